// Timestamps: writing a time as the RFC 3339 UTC text (second precision)
// that metav1.Time serializes to, for status fields controllers set.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_WORKLOADS_TIMESTAMPS_H_
#define BERTH_PLUGINS_WORKLOADS_TIMESTAMPS_H_

#include <chrono>
#include <string>

namespace berth::workloads {

// "2024-01-02T03:04:05Z".
std::string FormatTimestamp(std::chrono::system_clock::time_point t);

}  // namespace berth::workloads

#endif  // BERTH_PLUGINS_WORKLOADS_TIMESTAMPS_H_
