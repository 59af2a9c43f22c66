// DaemonPlacement: which nodes a DaemonSet's pod belongs on, as the
// DaemonSet controller's NodeShouldRunDaemonPod decides it — the pod's
// nodeSelector and required node affinity against the node's labels and
// name, and the node's NoSchedule/NoExecute taints against the pod's
// tolerations — plus the changes the controller makes to every daemon pod:
// the standard tolerations and the nodeAffinity that pins it to its node.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_WORKLOADS_DAEMON_PLACEMENT_H_
#define BERTH_PLUGINS_WORKLOADS_DAEMON_PLACEMENT_H_

#include <string>

#include "berth/json.h"

namespace berth::workloads {

struct DaemonPlacement {
  // A new daemon pod should be created on the node.
  bool should_run = false;
  // An existing daemon pod may stay (false: a NoExecute taint it does not
  // tolerate, or the selector or affinity no longer match).
  bool should_continue_running = false;
};

// `pod_spec` is the daemon pod's spec with AddDaemonTolerations applied.
DaemonPlacement PlaceDaemonPod(const Json& node, const Json& pod_spec);

// True when one of `tolerations` (an array, or nullptr) tolerates `taint`.
bool Tolerates(const Json* tolerations, const Json& taint);

// True when `node` satisfies one of the terms of a NodeSelector's
// nodeSelectorTerms (matchExpressions on labels, matchFields on
// metadata.name). No terms match nothing.
bool NodeSelectorTermsMatch(const Json& terms, const Json& node);

// Adds the tolerations every daemon pod gets (not-ready and unreachable
// NoExecute; disk, memory and pid pressure and unschedulable NoSchedule;
// network-unavailable NoSchedule with host networking), skipping ones the
// spec already has.
void AddDaemonTolerations(Json& pod_spec, JsonAlloc& alloc);

// Sets required node affinity to the single term `matchFields
// metadata.name In [node]`, replacing the other required terms (the node
// already satisfied them), as Kubernetes does before the scheduler binds.
void PinToNode(Json& pod_spec, const std::string& node, JsonAlloc& alloc);

// The node a daemon pod is bound to (spec.nodeName) or pinned to (the
// matchFields term); "" when neither.
std::string TargetNode(const Json& pod);

}  // namespace berth::workloads

#endif  // BERTH_PLUGINS_WORKLOADS_DAEMON_PLACEMENT_H_
