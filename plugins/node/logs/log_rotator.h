// Log rotator: keeps a container's CRI log file under a size and a number
// of files, as the kubelet's container log manager does
// (containerLogMaxSize, containerLogMaxFiles): when the file has reached
// the size it is renamed — to "<log>.<YYYYMMDD-hhmmss>" (the kubelet's naming)
// or "<log>.1" shifting older ones up (logrotate's) — the runtime is asked
// to reopen the path, and the oldest rotated files beyond max_files - 1 are
// removed. Nothing is compressed. When the reopen fails the rename is
// undone so the runtime keeps writing where readers look.
//
// Thread safety: not synchronized; one rotator call per log at a time.
#ifndef BERTH_PLUGINS_NODE_LOGS_LOG_ROTATOR_H_
#define BERTH_PLUGINS_NODE_LOGS_LOG_ROTATOR_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "berth/status.h"

namespace berth::node {

struct LogRotation {
  int64_t max_size_bytes = 10 * 1024 * 1024;  // 10Mi
  int max_files = 5;  // current file included; at least 2
  enum class Naming { kTimestamp, kNumbered };
  Naming naming = Naming::kTimestamp;
};

class LogRotator {
 public:
  // Reopens the log file in the runtime (ContainerRuntime::
  // ReopenContainerLog for the container).
  using ReopenFn = std::function<Status()>;
  using NowFn = std::function<std::chrono::system_clock::time_point()>;

  explicit LogRotator(LogRotation options, NowFn now = {});

  // Rotates `log_path` when it has reached max_size_bytes. Returns true
  // when it rotated. Errors: Internal with the errno text when renaming or
  // removing failed; the reopen's error (after undoing the rename).
  StatusOr<bool> RotateIfNeeded(const std::string& log_path,
                                const ReopenFn& reopen);

  // The rotated files of `log_path`, oldest first.
  std::vector<std::string> RotatedFiles(const std::string& log_path) const;

 private:
  LogRotation options_;
  NowFn now_;
};

}  // namespace berth::node

#endif  // BERTH_PLUGINS_NODE_LOGS_LOG_ROTATOR_H_
