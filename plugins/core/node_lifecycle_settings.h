// NodeLifecycleSettings: the core plugin settings that govern node health
// and taint-based eviction, with kube-controller-manager's (1.32) and
// kube-apiserver's defaults: how long a node may stay silent before it is
// Unknown, how often unhealthy nodes are looked at again, and the
// tolerationSeconds the DefaultTolerationSeconds admission gives pods.
//
// Thread safety: values.
#ifndef BERTH_PLUGINS_CORE_NODE_LIFECYCLE_SETTINGS_H_
#define BERTH_PLUGINS_CORE_NODE_LIFECYCLE_SETTINGS_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "berth/status.h"

namespace berth::core {

struct NodeLifecycleSettings {
  // --node-monitor-grace-period: 50s since Kubernetes 1.32 (was 40s).
  std::chrono::milliseconds grace_period{50000};
  // --node-startup-grace-period: for a node that never posted status.
  std::chrono::milliseconds startup_grace_period{60000};
  // --node-monitor-period: how often a node that is not Ready is checked.
  std::chrono::milliseconds monitor_period{5000};
  // --default-not-ready-toleration-seconds and
  // --default-unreachable-toleration-seconds.
  int64_t not_ready_toleration_seconds = 300;
  int64_t unreachable_toleration_seconds = 300;
};

// Reads `nodeMonitorGracePeriod`, `nodeStartupGracePeriod`,
// `nodeMonitorPeriod` (Go durations such as "50s", "1m30s", "500ms"),
// `defaultNotReadyTolerationSeconds` and
// `defaultUnreachableTolerationSeconds` (integers >= 0) from the plugin's
// settings JSON; absent keys keep the defaults. Invalid values give
// Status::Invalid naming the setting.
StatusOr<NodeLifecycleSettings> ParseNodeLifecycleSettings(
    const std::string& settings_json);

// A Go duration string ("1h2m3s", "500ms", "0") as milliseconds; nullopt
// when malformed or negative.
std::optional<std::chrono::milliseconds> ParseGoDuration(std::string_view s);

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_NODE_LIFECYCLE_SETTINGS_H_
