#include "node_name.h"

namespace berth::scheduler {

SchedulingStatus NodeName::Filter(const CycleState&, const PodInfo& pod,
                                  const NodeInfo& node) {
  if (pod.node_name.empty() || pod.node_name == node.name) return {};
  return SchedulingStatus::Unresolvable(kReason);
}

}  // namespace berth::scheduler
