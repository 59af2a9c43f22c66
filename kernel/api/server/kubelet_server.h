// KubeletServer: a node's kubelet API port — the connect handlers this
// process registered (the node agent's log, exec, attach and port-forward)
// served over HTTPS on kubelet's paths (kubelet_paths.h), for API servers
// to proxy kubectl logs/exec/attach/port-forward to. It reuses the API
// server's protocol code (ServeConnectLocally: chunked logs, WebSocket
// v5/v4 and SPDY/3.1 exec, SPDY port-forward) and knows no kind by name.
//
// Only API servers get in: the client must present a certificate signed by
// the cluster CA (a handshake with any other is refused), naming an allowed
// user or group (kube-apiserver-kubelet-client, system:masters); no
// certificate is 401 Unauthorized, another user 403 Forbidden.
//
// Thread safety: Bind, Start and Stop from one thread; requests are served
// on Poco's pool and on session threads.
#ifndef BERTH_KERNEL_API_SERVER_KUBELET_SERVER_H_
#define BERTH_KERNEL_API_SERVER_KUBELET_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include "berth/connect.h"
#include "berth/status.h"
#include "kernel/api/tls/pki.h"

namespace Poco {
class ThreadPool;
namespace Net {
class SecureServerSocket;
class TCPServer;
}  // namespace Net
}  // namespace Poco

namespace berth::api {

class ConnectSessions;
class ConnectionSet;

struct KubeletServerOptions {
  std::string bind_address = "0.0.0.0";
  int port = 10250;  // 0: pick a free port
  // Client certificates must chain to this CA (PEM file).
  std::string client_ca_file;
  // The serving certificate and key (PEM files), e.g. from
  // tls::EnsureSelfSignedServingCert.
  std::string cert_file;
  std::string key_file;
  // Who may use the port: a certificate's CN, or one of its O groups.
  std::vector<std::string> allowed_users = {tls::kKubeletClientUser};
  std::vector<std::string> allowed_groups = {tls::kKubeletClientGroup};
  int max_threads = 64;
};

class KubeletServer {
 public:
  explicit KubeletServer(KubeletServerOptions options);
  ~KubeletServer();
  KubeletServer(const KubeletServer&) = delete;
  KubeletServer& operator=(const KubeletServer&) = delete;

  // Loads the certificates and binds the port, so port() is known before
  // the plugins register (the node agent publishes it). Internal when a
  // certificate cannot be loaded, Unavailable when the port is taken.
  Status Bind();
  // Serves `handlers` (the process's registered ConnectHandlers) on the
  // bound port. Internal when Bind did not succeed or Start already ran.
  Status Start(std::vector<std::shared_ptr<ConnectHandler>> handlers);
  // Ends running sessions, stops accepting and waits for request threads.
  // Idempotent.
  void Stop();
  int port() const { return port_; }

  struct Context;  // shared with request handlers

 private:
  KubeletServerOptions options_;
  std::shared_ptr<Context> ctx_;
  std::unique_ptr<Poco::Net::SecureServerSocket> socket_;
  std::unique_ptr<Poco::ThreadPool> pool_;
  std::shared_ptr<ConnectionSet> connections_;
  std::unique_ptr<Poco::Net::TCPServer> server_;
  int port_ = 0;
};

// A bound kubelet port as `berth server --kubelet-port` starts one, and as
// `berth agent` should: serving <cert_dir>/kubelet.crt and kubelet.key,
// self-signed for this machine (ServingSans) as a kubelet makes its own,
// created or renewed as needed; client certificates must chain to
// `client_ca_file` (the cluster CA). The caller Starts it once the plugins
// registered. Errors: EnsureSelfSignedServingCert's, then Bind's.
StatusOr<std::unique_ptr<KubeletServer>> BindKubeletPort(
    const std::string& cert_dir, const std::string& client_ca_file,
    const std::string& bind_address, int port);

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_KUBELET_SERVER_H_
