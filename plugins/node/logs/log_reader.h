// Log reader: serves `kubectl logs` from a container's CRI log file as the
// kubelet does (pkg/kubelet/kuberuntime/logs): tailLines, sinceSeconds /
// sinceTime, timestamps, limitBytes, follow, partial records joined into
// one line (a timestamp prefix only at the start of a line). Only the
// current file is read (rotated files are not, as with the kubelet). With
// follow, the reader waits at the end of the file for more, reopens the
// path when it was rotated (a new file under the same name) and stops when
// the container is gone, the client is gone, or the limit is reached.
//
// Thread safety: ReadLogs is reentrant; one call per stream.
#ifndef BERTH_PLUGINS_NODE_LOGS_LOG_READER_H_
#define BERTH_PLUGINS_NODE_LOGS_LOG_READER_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "berth/connect.h"
#include "berth/status.h"
#include "berth/streams.h"

namespace berth::node {

struct LogOptions {
  std::optional<int64_t> tail_lines;   // last N lines; 0: none
  std::optional<int64_t> since_ns;     // records at or after (epoch ns)
  bool timestamps = false;             // prefix lines with the record time
  std::optional<int64_t> limit_bytes;  // stop after this many bytes
  bool follow = false;
  std::string stream;  // "" both, "Stdout" or "Stderr" (PodLogOptions.stream)
};

// The options of a pods/log request (follow, tailLines, sinceSeconds,
// sinceTime, timestamps, limitBytes, stream), `now_ns` anchoring
// sinceSeconds. BadRequest with the apiserver's message for a bad value
// ("at most one of `sinceTime` or `sinceSeconds` may be specified",
// "tailLines: Invalid value: -1: must be greater than or equal to 0"...).
StatusOr<LogOptions> LogOptionsFromRequest(const ConnectRequest& request,
                                           int64_t now_ns);

struct FollowControl {
  // True while more may come: the container is still running. Checked at
  // the end of the file; the reader stops once it says false and nothing
  // more arrived.
  std::function<bool()> container_running;
  // How long to wait at the end of the file before looking again.
  std::chrono::milliseconds poll{100};
};

// Writes the log at `path` to `out` under `options`. NotFound when the
// file does not exist (the kubelet's `failed to open log file "<path>":
// open <path>: no such file or directory`); OK when the client went away
// or the limit was reached.
Status ReadLogs(const std::string& path, const LogOptions& options,
                ResponseStream& out, const FollowControl& follow = {});

}  // namespace berth::node

#endif  // BERTH_PLUGINS_NODE_LOGS_LOG_READER_H_
