// Age: kubectl's way of printing how long ago something happened ("45s",
// "5m", "2d3h"), the rules of k8s.io/apimachinery duration.HumanDuration,
// plus parsing and formatting of the RFC 3339 timestamps objects carry.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_CORE_AGE_H_
#define BERTH_PLUGINS_CORE_AGE_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "berth/json.h"

namespace berth::core {

// Parses "2024-01-02T03:04:05Z" (optionally with fractional seconds or a
// "+hh:mm" offset). nullopt when the text is not such a timestamp.
std::optional<std::chrono::system_clock::time_point> ParseTimestamp(
    std::string_view text);

// "2024-01-02T03:04:05Z" (metav1.Time, whole seconds, UTC).
std::string FormatTimestamp(std::chrono::system_clock::time_point t);

// duration.HumanDuration: "<invalid>" below -1s, "0s" for -1s..0, then
// seconds below 2m, "Xm[Ys]" below 10m, minutes below 3h, "Xh[Ym]" below
// 8h, hours below 2d, "Xd[Yh]" below 8d, days below 2y, "Xy[Yd]" below 8y.
std::string HumanDuration(std::chrono::system_clock::duration d);

// The age column: HumanDuration(now - *timestamp), or "<unknown>" when the
// timestamp is absent or unparsable (kubectl's translateTimestampSince).
std::string AgeSince(const Json* timestamp,
                     std::chrono::system_clock::time_point now);

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_AGE_H_
