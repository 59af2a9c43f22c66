// CriLogReader: reads a container's log file in the CRI format the runtime
// writes ("<RFC3339Nano> <stdout|stderr> <F|P> <text>") and turns it into
// what `kubectl logs` shows: the text (partial lines joined), optionally
// prefixed by the timestamp, limited by tailLines, sinceTime and
// limitBytes. A stand-in for plugins/node/logs (which adds rotation) until
// it is wired.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_NODE_AGENT_CRI_LOG_READER_H_
#define BERTH_PLUGINS_NODE_AGENT_CRI_LOG_READER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "timestamps.h"

namespace berth::node {

struct CriLogOptions {
  bool timestamps = false;
  std::optional<int64_t> tail_lines;
  std::optional<kubelet::TimePoint> since;
  std::optional<int64_t> limit_bytes;
};

struct LogLine {
  std::string timestamp;  // as written
  std::string text;       // with its trailing newline when complete
};

// Parses complete CRI lines of `data`; `consumed` gets the bytes used (a
// trailing line without "\n" is left for the next read).
std::vector<LogLine> ParseCriLines(std::string_view data, size_t* consumed);

// Formats `lines` per `opts` (tail and since applied; limitBytes is the
// caller's, over the whole stream).
std::string FormatLogLines(const std::vector<LogLine>& lines,
                           const CriLogOptions& opts);

}  // namespace berth::node

#endif  // BERTH_PLUGINS_NODE_AGENT_CRI_LOG_READER_H_
