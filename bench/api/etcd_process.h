// EtcdProcess: a single-member etcd (Debian's /usr/bin/etcd) on loopback for
// the side-by-side create benchmark: default fsync settings, its own data
// dir, client TLS with a throwaway CA and client-certificate auth, as a
// kube-apiserver talks to it.
//
// Thread safety: one thread uses an EtcdProcess; endpoint() may be shared.
#ifndef BERTH_BENCH_API_ETCD_PROCESS_H_
#define BERTH_BENCH_API_ETCD_PROCESS_H_

#include <memory>
#include <string>

#include "bench/api/child_process.h"
#include "bench/api/https_connection.h"
#include "berth/status.h"

namespace berth::bench {

class EtcdProcess {
 public:
  // Makes a CA and a certificate for 127.0.0.1 in `dir` (openssl command),
  // starts `binary` with its data in `dir`/data and output in
  // `dir`/etcd.log, and waits until GET /health answers 200. Unavailable
  // (with the log's tail) when it exits or is not healthy within 30 s.
  static StatusOr<std::unique_ptr<EtcdProcess>> Start(const std::string& binary,
                                                      const std::string& dir);

  pid_t pid() const { return child_->pid(); }
  const Endpoint& endpoint() const { return endpoint_; }
  int Stop() { return child_->Stop(); }

 private:
  EtcdProcess() = default;
  std::unique_ptr<ChildProcess> child_;
  Endpoint endpoint_;
};

// `etcd --version`'s first line, e.g. "etcd Version: 3.4.23", or "".
std::string EtcdVersion(const std::string& binary);

}  // namespace berth::bench

#endif  // BERTH_BENCH_API_ETCD_PROCESS_H_
