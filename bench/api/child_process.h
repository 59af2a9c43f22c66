// ChildProcess: a server the benchmark starts (berth, etcd) and must never
// leave behind. Children die with the benchmark (PR_SET_PDEATHSIG) and
// KillAllChildren ends every live one from a signal-handling thread.
//
// Thread safety: one thread uses a ChildProcess; KillAllChildren may run on
// any thread at any time.
#ifndef BERTH_BENCH_API_CHILD_PROCESS_H_
#define BERTH_BENCH_API_CHILD_PROCESS_H_

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "berth/status.h"

namespace berth::bench {

class ChildProcess {
 public:
  // Forks and execs argv[0] (a path) with `argv`, stdout and stderr
  // appended to `log_path`. Must be called from the main thread: the child
  // is killed when the thread that forked it ends. Internal if fork fails;
  // an exec failure shows as exit code 127.
  static StatusOr<std::unique_ptr<ChildProcess>> Spawn(
      const std::vector<std::string>& argv, const std::string& log_path);
  // Kills the process if it still runs.
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // SIGTERM, then SIGKILL after `timeout_s`; returns the exit code (-1 when
  // killed by a signal or already reaped).
  int Stop(int timeout_s = 20);
  // True once the process has exited (reaps it).
  bool Exited();
  pid_t pid() const { return pid_; }

 private:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}
  pid_t pid_;
};

// SIGKILLs every child that is still running (async-signal-safe).
void KillAllChildren();

// VmRSS of `pid` in KiB from /proc/PID/status; -1 if unreadable.
int64_t VmRssKib(pid_t pid);

// A TCP port on 127.0.0.1 that was free a moment ago. Unavailable if none.
StatusOr<int> FreeLoopbackPort();

}  // namespace berth::bench

#endif  // BERTH_BENCH_API_CHILD_PROCESS_H_
