// SpawnProcessRunner: the kernel's exec service (berth/process.h) on
// posix_spawn. Children get only the descriptors they are given (every pipe
// is close-on-exec in the parent); detached daemons start a session of
// their own and are reaped by a background thread, so no zombie is left
// whichever thread spawned them.
//
// Thread safety: Run and SpawnDaemon may be called from any thread at once.
#ifndef BERTH_KERNEL_EXEC_PROCESS_RUNNER_H_
#define BERTH_KERNEL_EXEC_PROCESS_RUNNER_H_

#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "berth/process.h"

namespace berth {

class SpawnProcessRunner : public ProcessRunner {
 public:
  SpawnProcessRunner() = default;
  SpawnProcessRunner(const SpawnProcessRunner&) = delete;
  SpawnProcessRunner& operator=(const SpawnProcessRunner&) = delete;
  // Stops the reaper; daemons still running are left running.
  ~SpawnProcessRunner() override;

  StatusOr<ProcessResult> Run(const ProcessSpec& spec) override;
  StatusOr<int> SpawnDaemon(const DaemonSpec& spec) override;

 private:
  void Reap();

  std::mutex mu_;
  std::condition_variable cv_;
  std::set<int> daemons_;  // pids not yet reaped
  bool stopping_ = false;
  std::thread reaper_;
};

}  // namespace berth

#endif  // BERTH_KERNEL_EXEC_PROCESS_RUNNER_H_
