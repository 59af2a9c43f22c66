// NodeLease: a node's heartbeat object as a kubelet writes it — a
// coordination.k8s.io/v1 Lease named after the node in kube-node-lease, held
// by the node, owned by the Node object so it goes with it. Shared by the
// real node agent and the sim.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_NODE_COMMON_NODE_LEASE_H_
#define BERTH_PLUGINS_NODE_COMMON_NODE_LEASE_H_

#include <string>

#include "timestamps.h"

namespace berth::kubelet {

// kubelet's nodeLeaseDurationSeconds.
constexpr int kLeaseDurationSeconds = 40;
constexpr const char* kNodeLeaseNamespace = "kube-node-lease";

// The node's Lease renewed at `now`, owned by the Node `node_uid` (no owner
// when empty).
std::string BuildLeaseJson(const std::string& node_name,
                           const std::string& node_uid, TimePoint now);

// The merge patch that renews the Lease at `now`.
std::string LeaseRenewPatch(const std::string& node_name, TimePoint now);

}  // namespace berth::kubelet

#endif  // BERTH_PLUGINS_NODE_COMMON_NODE_LEASE_H_
