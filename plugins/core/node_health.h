// NodeHealth: the node lifecycle controller's decisions about one Node, as
// pure functions over its JSON: when its kubelet was last heard from (the
// Lease's renewTime or the Ready condition's heartbeat), whether it has
// been silent past the grace period, turning its conditions Unknown, the
// taints its conditions call for (node.kubernetes.io/not-ready,
// unreachable, memory-pressure, ... as kube-controller-manager sets them),
// and marking its pods not Ready.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_CORE_NODE_HEALTH_H_
#define BERTH_PLUGINS_CORE_NODE_HEALTH_H_

#include <chrono>
#include <optional>
#include <string>

#include "berth/json.h"
#include "node_lifecycle_settings.h"

namespace berth::core {

using TimePoint = std::chrono::system_clock::time_point;

inline constexpr char kTaintNotReady[] = "node.kubernetes.io/not-ready";
inline constexpr char kTaintUnreachable[] = "node.kubernetes.io/unreachable";

// The later of the Lease's spec.renewTime (`lease` may be null) and the
// node's Ready condition lastHeartbeatTime; nullopt when neither is there.
std::optional<TimePoint> LastHeartbeat(const Json& node, const Json* lease);

struct NodeHealth {
  // Silent past its grace period (the startup grace period when it never
  // reported): its conditions should be Unknown.
  bool silent = false;
  // When the answer may change if nothing else happens: the end of the
  // grace period for a healthy node. Zero when silent.
  std::chrono::milliseconds recheck_after{0};
};

NodeHealth AssessNodeHealth(const Json& node, const Json* lease,
                            const NodeLifecycleSettings& settings,
                            TimePoint now);

// Sets each of Ready, MemoryPressure, DiskPressure and PIDPressure that is
// not already Unknown to Unknown (reason NodeStatusUnknown, "Kubelet stopped
// posting node status."; a missing one is added with NodeStatusNeverUpdated,
// "Kubelet never posted node status."), keeping lastHeartbeatTime. Returns
// whether anything changed.
bool MarkNodeStatusUnknown(Json& node, TimePoint now, JsonAlloc& a);

// The status of a condition of `node` ("True", "False", "Unknown"), "" when
// the node has no such condition.
std::string NodeConditionStatus(const Json& node, const std::string& type);

// Makes spec.taints hold exactly the condition taints the node calls for —
// not-ready / unreachable (NoSchedule and NoExecute) from Ready False /
// Unknown, memory-pressure, disk-pressure, pid-pressure and
// network-unavailable (NoSchedule) from those conditions, unschedulable
// from spec.unschedulable — keeping every other taint, and the timeAdded of
// those that stay. New NoExecute taints get timeAdded `now`. Returns whether
// spec.taints changed.
bool SyncConditionTaints(Json& node, TimePoint now, JsonAlloc& a);

// Sets the pod's Ready condition to False (as the node lifecycle
// controller's MarkPodsNotReady does). Returns whether it changed.
bool MarkPodNotReady(Json& pod, TimePoint now, JsonAlloc& a);

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_NODE_HEALTH_H_
