// BerthProcess: a real `berth server` child on 127.0.0.1 with a fresh data
// dir, measured from fork/exec to its first 200 from /readyz, and reached
// with the admin client certificate of the kubeconfig it writes.
//
// Thread safety: one thread uses a BerthProcess; endpoint() may be shared.
#ifndef BERTH_BENCH_API_BERTH_PROCESS_H_
#define BERTH_BENCH_API_BERTH_PROCESS_H_

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "bench/api/child_process.h"
#include "bench/api/https_connection.h"
#include "berth/status.h"

namespace berth::bench {

class BerthProcess {
 public:
  // Starts `binary server` on a free port with `data_dir` (created by the
  // server), output in `data_dir`.log, and polls /readyz until it answers
  // 200. Unavailable (with the log's tail) when the server exits or is not
  // ready within `ready_timeout`. `extra_args` follow the server's own
  // (e.g. --config FILE); without --config the server runs
  // conf/control-plane.yaml (no node on this machine).
  static StatusOr<std::unique_ptr<BerthProcess>> Start(
      const std::string& binary, const std::string& data_dir,
      const std::vector<std::string>& extra_args = {},
      std::chrono::seconds ready_timeout = std::chrono::seconds(30));

  // Milliseconds from just before fork to the first 200 from /readyz.
  double ready_ms() const { return ready_ms_; }
  // What the server's own ready line says ("ready on URL in N ms", counted
  // from its main()), so exec and dynamic linking show as the difference;
  // -1 when the line did not appear within a second.
  double self_reported_ms() const { return self_reported_ms_; }
  pid_t pid() const { return child_->pid(); }
  // Host, port and the admin credentials of DATA_DIR/admin.kubeconfig.
  const Endpoint& endpoint() const { return endpoint_; }
  // SIGTERM and wait; the exit code.
  int Stop() { return child_->Stop(); }

 private:
  BerthProcess() = default;
  std::unique_ptr<ChildProcess> child_;
  Endpoint endpoint_;
  double ready_ms_ = 0;
  double self_reported_ms_ = -1;
};

// Polls GET `path` on host:port over TLS (peer not verified: the CA may not
// exist yet) as fast as it can until it answers 200. Returns the time since
// `since` in ms; Unavailable when `child` exits or `timeout` passes.
StatusOr<double> PollUntil200(const std::string& host, int port,
                              const std::string& path,
                              std::chrono::steady_clock::time_point since,
                              ChildProcess* child,
                              std::chrono::seconds timeout);

// The server URL's port and the credentials of a kubeconfig written by
// `berth server` (inline *-data fields). Invalid when it cannot be read.
StatusOr<Endpoint> EndpointFromKubeconfig(const std::string& path);

}  // namespace berth::bench

#endif  // BERTH_BENCH_API_BERTH_PROCESS_H_
