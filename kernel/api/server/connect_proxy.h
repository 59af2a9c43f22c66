// ConnectProxy: carries a connect request (pods/log, exec, attach,
// portforward) that another node serves to that node's kubelet port, as
// kube-apiserver's UpgradeAwareHandler does. The request line names the
// kubelet path the ConnectLocator gave; the client's headers go along except
// its credentials and hop-by-hop ones; the connection to the node is TLS
// with the API server's kubelet-client certificate. Once the node accepted
// the connection, the client's connection is taken over from Poco and bytes
// are spliced both ways until either side closes: the node's reply head
// (a 101 upgrade, a chunked log body, or its error) and every WebSocket or
// SPDY frame pass through unchanged.
//
// The node's serving certificate is not verified, as kube-apiserver does not
// without --kubelet-certificate-authority: kubelets serve self-signed
// certificates. The node authenticates the API server by its client
// certificate.
//
// Thread safety: Serve may be called from many request threads at once.
#ifndef BERTH_KERNEL_API_SERVER_CONNECT_PROXY_H_
#define BERTH_KERNEL_API_SERVER_CONNECT_PROXY_H_

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <string>
#include <utility>
#include <vector>

#include "berth/connect.h"
#include "berth/status.h"
#include "kernel/api/server/connect_sessions.h"

namespace berth::api {

// The request head sent to the node: `method` and the location's path,
// Host, then `headers` without Host, Authorization, Proxy-Authorization,
// Impersonate-*, Keep-Alive, Content-Length and Transfer-Encoding;
// Connection is kept for an upgrade (Upgrade header present) and is
// "close" otherwise, so the node ends the connection with its reply.
std::string KubeletRequestHead(
    const std::string& method, const ConnectLocation& location,
    const std::vector<std::pair<std::string, std::string>>& headers);

// The one-line error for a node that cannot be reached:
// `error dialing backend: node "n1" at 10.0.0.5:10250: <why>`.
std::string DialError(const ConnectLocation& location, const std::string& why);

class ConnectProxy {
 public:
  // `kubelet_client_tls` presents the kubelet-client certificate (null:
  // plain HTTP, tests only). `sessions` must outlive the proxy.
  ConnectProxy(Poco::Net::Context::Ptr kubelet_client_tls,
               ConnectSessions* sessions)
      : tls_(std::move(kubelet_client_tls)), sessions_(sessions) {}

  // Proxies `request` to `location` and returns the HTTP status for the
  // request's metrics: 101 for an upgrade and 200 for a stream once the
  // connection is handed to a session thread (the node's own code reaches
  // the client unchanged), 500 with DialError when the node cannot be
  // reached.
  int Serve(const ConnectLocation& location,
            Poco::Net::HTTPServerRequest& request,
            Poco::Net::HTTPServerResponse& response);

 private:
  Poco::Net::Context::Ptr tls_;
  ConnectSessions* sessions_;
};

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_CONNECT_PROXY_H_
