#include "node_unschedulable.h"

#include "framework/matching.h"

namespace berth::scheduler {

SchedulingStatus NodeUnschedulable::Filter(const CycleState&,
                                           const PodInfo& pod,
                                           const NodeInfo& node) {
  if (!node.unschedulable) return {};
  static const Taint kTaint{"node.kubernetes.io/unschedulable", "",
                            "NoSchedule"};
  if (ToleratesAny(pod.tolerations, kTaint)) return {};
  return SchedulingStatus::Unresolvable(kReason);
}

}  // namespace berth::scheduler
