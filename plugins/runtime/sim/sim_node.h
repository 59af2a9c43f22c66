// SimNode: the API objects a simulated node consists of, built as a kubelet
// would write them — the Node at registration (labels kubernetes.io/hostname,
// os, arch; spec.podCIDR; the group's taints), its status (capacity,
// allocatable, the MemoryPressure/DiskPressure/PIDPressure/Ready conditions,
// InternalIP and Hostname addresses, nodeInfo), and its Lease in
// kube-node-lease.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_RUNTIME_SIM_SIM_NODE_H_
#define BERTH_PLUGINS_RUNTIME_SIM_SIM_NODE_H_

#include <string>

#include "berth/json.h"
#include "node_lease.h"
#include "sim_settings.h"
#include "timestamps.h"

namespace berth::sim {

using kubelet::BuildLeaseJson;
using kubelet::FormatMicroTime;
using kubelet::FormatTime;
using kubelet::kLeaseDurationSeconds;
using kubelet::kNodeLeaseNamespace;
using kubelet::ParseTime;
using kubelet::TimePoint;

// The Node to create (its status is written separately: the API drops
// status on create).
std::string BuildNodeJson(const SimNodeSpec& node);

// The node's status at `now`. Conditions keep their lastTransitionTime from
// `old_status` (may be null) when their status did not change, as kubelet's
// setters do.
Json BuildNodeStatus(const SimNodeSpec& node, const Json* old_status,
                     TimePoint now, JsonAlloc& a);

}  // namespace berth::sim

#endif  // BERTH_PLUGINS_RUNTIME_SIM_SIM_NODE_H_
