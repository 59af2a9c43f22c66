// ApiServer: the Kubernetes REST API over HTTP(S) on a Poco TCPServer whose
// connections (KeepAliveConnection) run Poco's HTTP request machinery.
// Every request goes authenticate -> route -> ResourceService; discovery,
// OpenAPI, /version, health and /metrics are served from documents built at
// start. Watches stream chunked JSON until their timeout or the client goes,
// written by a WatchFanout rather than by a server thread each. Connect
// subresources (exec, logs, port-forward) run on ConnectSessions threads.
//
// Thread safety: Start and Stop from one thread; requests are served on the
// server's thread pool, each on one thread.
#ifndef BERTH_KERNEL_API_SERVER_API_SERVER_H_
#define BERTH_KERNEL_API_SERVER_API_SERVER_H_

#include <Poco/Net/Context.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "berth/status.h"
#include "kernel/api/server/connect_proxy.h"
#include "kernel/api/server/connect_registry.h"
#include "kernel/api/server/connect_sessions.h"
#include "kernel/api/server/discovery.h"
#include "kernel/api/server/keep_alive_connection.h"
#include "kernel/api/server/metrics.h"
#include "kernel/api/server/openapi.h"
#include "kernel/api/server/resource_service.h"
#include "kernel/api/server/watch_fanout.h"
#include "kernel/api/tls/authn.h"
#include "kernel/api/tls/tokens.h"
#include "kernel/plugin/kind_registry.h"

namespace Poco {
class ThreadPool;
namespace Net {
class TCPServer;
}
}  // namespace Poco

namespace berth::api {

struct ApiServerOptions {
  std::string bind_address = "0.0.0.0";
  int port = 6443;              // 0: pick a free port
  Poco::Net::Context::Ptr tls;  // null: plain HTTP (tests only)
  const tls::TokenAuthenticator* tokens = nullptr;
  bool allow_anonymous = false;  // plain-HTTP tests without credentials
  // Asked after `tokens` for a bearer token they do not know.
  tls::PluginAuthenticators authenticators;
  // The cluster CA (PEM) served to anyone at GET /cacerts, as k3s does, so
  // a joining node can fetch it and check it against the hash it was given
  // (the CA is public; trusting it is the client's decision). Empty: 404.
  std::string ca_cert_pem;
  int max_threads = 1024;
  // The plugins' connect subresources (pods/log, pods/exec...).
  std::vector<std::shared_ptr<ConnectHandler>> connect_handlers;
  // Where connect requests served on other nodes go (berth/connect.h).
  std::vector<std::shared_ptr<ConnectLocator>> connect_locators;
  // The kubelet-client identity presented to nodes' kubelet ports; null:
  // nothing is proxied to nodes.
  Poco::Net::Context::Ptr kubelet_client_tls;
};

// Everything a request handler needs; owned by ApiServer.
struct ApiContext {
  const KindRegistry* kinds = nullptr;
  ResourceService* service = nullptr;
  std::unique_ptr<ConnectRegistry> connect;
  ConnectSessions* connect_sessions = nullptr;  // running connect sessions
  std::unique_ptr<ConnectProxy> connect_proxy;  // null: no proxying
  std::unique_ptr<Discovery> discovery;
  std::unique_ptr<OpenApi> openapi;
  Metrics* metrics = nullptr;
  WatchFanout* fanout = nullptr;  // serves watches once their head is decided
  ApiServerOptions options;
  std::atomic<bool> ready{false};
  std::atomic<bool> stopping{false};
};

class ApiServer {
 public:
  // `kinds` (frozen), `service` and `metrics` must outlive the server.
  ApiServer(ApiServerOptions options, const KindRegistry* kinds,
            ResourceService* service, Metrics* metrics);
  ~ApiServer();

  // Binds and starts serving. Errors: the bind failure as Unavailable.
  Status Start();
  // Ends open watches, stops accepting, waits for handlers.
  void Stop();
  int port() const { return port_; }
  void set_ready(bool r) { ctx_.ready = r; }

 private:
  ApiContext ctx_;
  std::unique_ptr<WatchFanout> fanout_;
  std::unique_ptr<ConnectSessions> connect_sessions_;
  std::unique_ptr<Poco::ThreadPool> pool_;
  std::shared_ptr<ConnectionSet> connections_;
  std::unique_ptr<Poco::Net::TCPServer> server_;
  int port_ = 0;
};

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_API_SERVER_H_
