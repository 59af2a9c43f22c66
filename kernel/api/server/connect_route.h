// ConnectRoute: serves one request for a connect subresource a plugin
// registered (GET or POST .../namespaces/{ns}/{resource}/{name}/{sub}):
// authorizes it ("get" for GET, "create" for POST, on resource/sub), asks
// the handler to Open it (its error is the reply, before any upgrade), then
// speaks the protocol the subresource and the client call for: a chunked
// body; exec channels over WebSocket (v5.channel.k8s.io, v4) or SPDY/3.1
// (v4.channel.k8s.io); port-forward as SPDY/3.1 tunnelled in WebSocket
// (SPDY/3.1+portforward.k8s.io) or on the upgraded connection itself.
// Once accepted, the session runs on a thread of its own (ConnectSessions)
// and the request thread returns to Poco's pool.
//
// Thread safety: one call per request thread; the registry is immutable.
#ifndef BERTH_KERNEL_API_SERVER_CONNECT_ROUTE_H_
#define BERTH_KERNEL_API_SERVER_CONNECT_ROUTE_H_

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "berth/authorization.h"
#include "berth/kind.h"
#include "kernel/api/server/connect_registry.h"
#include "kernel/api/server/connect_sessions.h"
#include "kernel/api/server/request_info.h"

namespace berth::api {

// Serves the request and returns the HTTP status it answered with (101 for
// an upgrade). The connection is taken over (not kept alive) once the
// handler accepted the request.
int ServeConnect(const ConnectRegistry::Entry& entry, const KindInfo& info,
                 const RequestInfo& ri, const UserInfo& user,
                 const Authorizer& authorizer, ConnectSessions* sessions,
                 Poco::Net::HTTPServerRequest& request,
                 Poco::Net::HTTPServerResponse& response);

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_CONNECT_ROUTE_H_
