// Timestamps: the RFC 3339 forms node agents (sim and real) write and read —
// metav1.Time
// ("2024-01-02T03:04:05Z") and metav1.MicroTime
// ("2024-01-02T03:04:05.123456Z").
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_NODE_COMMON_TIMESTAMPS_H_
#define BERTH_PLUGINS_NODE_COMMON_TIMESTAMPS_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace berth::kubelet {

using TimePoint = std::chrono::system_clock::time_point;

std::string FormatTime(TimePoint t);
std::string FormatMicroTime(TimePoint t);
// Parses either form (UTC "Z" only, as the API writes them); nullopt when
// the text is not one.
std::optional<TimePoint> ParseTime(std::string_view text);

}  // namespace berth::kubelet

#endif  // BERTH_PLUGINS_NODE_COMMON_TIMESTAMPS_H_
