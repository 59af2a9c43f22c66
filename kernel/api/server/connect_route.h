// ConnectRoute: serves one request for a connect subresource a plugin
// registered (GET or POST .../namespaces/{ns}/{resource}/{name}/{sub}):
// authorizes it ("get" for GET, "create" for POST, on resource/sub), asks
// the handler to Open it (its error is the reply, before any upgrade), then
// speaks the protocol the subresource and the client call for: a chunked
// body; exec channels over WebSocket (v5.channel.k8s.io, v4) or SPDY/3.1
// (v4.channel.k8s.io); port-forward as SPDY/3.1 tunnelled in WebSocket
// (SPDY/3.1+portforward.k8s.io) or on the upgraded connection itself.
// Once accepted, the session runs on a thread of its own (ConnectSessions)
// and the request thread returns to Poco's pool. A request the handler does
// not serve here (ConnectHandler::ServesLocally) goes to the resource's
// ConnectLocator and through the ConnectProxy to the node serving it.
//
// Thread safety: one call per request thread; the registry is immutable.
#ifndef BERTH_KERNEL_API_SERVER_CONNECT_ROUTE_H_
#define BERTH_KERNEL_API_SERVER_CONNECT_ROUTE_H_

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "berth/authorization.h"
#include "berth/kind.h"
#include "kernel/api/server/connect_proxy.h"
#include "kernel/api/server/connect_registry.h"
#include "kernel/api/server/connect_sessions.h"
#include "kernel/api/server/request_info.h"

namespace berth::api {

// Serves the request and returns the HTTP status it answered with (101 for
// an upgrade). The connection is taken over (not kept alive) once the
// handler accepted the request or the proxy reached the node. `proxy` may
// be null: nothing is proxied then.
int ServeConnect(const ConnectRegistry::Entry& entry, const KindInfo& info,
                 const RequestInfo& ri, const UserInfo& user,
                 const Authorizer& authorizer, ConnectSessions* sessions,
                 ConnectProxy* proxy, Poco::Net::HTTPServerRequest& request,
                 Poco::Net::HTTPServerResponse& response);

// Serves `req`, already authorized, with `handler`'s subresource `sub` in
// this process: Open (its error is the reply, with `info`, which may be
// null, naming the resource), then the protocol the client asked for. What
// ServeConnect does for a local request, and what a kubelet port does for
// every request. Returns the HTTP status answered.
int ServeConnectLocally(std::shared_ptr<ConnectHandler> handler,
                        const ConnectSubresource& sub, const KindInfo* info,
                        ConnectRequest req, ConnectSessions* sessions,
                        Poco::Net::HTTPServerRequest& request,
                        Poco::Net::HTTPServerResponse& response);

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_CONNECT_ROUTE_H_
