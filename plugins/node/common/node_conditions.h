// NodeConditions: the four conditions a kubelet's status setters write on
// its Node (MemoryPressure, DiskPressure, PIDPressure, Ready) with their
// reasons and messages, keeping each condition's lastTransitionTime while
// its status does not change. Shared by the real node agent and the sim.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_NODE_COMMON_NODE_CONDITIONS_H_
#define BERTH_PLUGINS_NODE_COMMON_NODE_CONDITIONS_H_

#include "berth/json.h"
#include "timestamps.h"

namespace berth::kubelet {

// What the node observes; all false is a healthy node.
struct NodePressure {
  bool memory = false;
  bool disk = false;
  bool pids = false;
  // Ready False with this message when not empty ("container runtime is
  // down").
  std::string not_ready_message;
};

// status.conditions at `now`, in kubelet's order. `old_status` (may be
// null) is the Node's current status.
Json BuildNodeConditions(const NodePressure& pressure, const Json* old_status,
                         TimePoint now, JsonAlloc& a);

}  // namespace berth::kubelet

#endif  // BERTH_PLUGINS_NODE_COMMON_NODE_CONDITIONS_H_
