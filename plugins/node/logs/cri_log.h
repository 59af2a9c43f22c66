// CRI log lines: the format a runtime writes a container's output in
// (berth/runtime.h), "<RFC3339Nano time> <stdout|stderr> <F|P> <text>", one
// record per line; P marks a partial record the next one continues.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_NODE_LOGS_CRI_LOG_H_
#define BERTH_PLUGINS_NODE_LOGS_CRI_LOG_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace berth::node {

struct CriLogRecord {
  int64_t time_ns = 0;  // since the Unix epoch, UTC
  std::string stream;   // "stdout" or "stderr"
  bool partial = false;
  std::string text;  // without the newline
};

// The record in `line` (without its trailing "\n"), or nullopt when the
// line is not a CRI record.
std::optional<CriLogRecord> ParseCriLogLine(std::string_view line);

// "2026-01-02T15:04:05.123456789Z" → nanoseconds since the epoch (any
// RFC 3339 offset, any fraction length); nullopt when not RFC 3339.
std::optional<int64_t> ParseRfc3339(std::string_view text);

// Go's time.RFC3339Nano rendering in UTC: trailing zeros of the fraction
// dropped ("2026-01-02T15:04:05.1Z", "2026-01-02T15:04:05Z").
std::string FormatRfc3339Nano(int64_t time_ns);

// One CRI record line (with "\n") as a runtime writes it.
std::string FormatCriLogLine(int64_t time_ns, std::string_view stream,
                             bool partial, std::string_view text);

}  // namespace berth::node

#endif  // BERTH_PLUGINS_NODE_LOGS_CRI_LOG_H_
