// NodeUnschedulable: a cordoned node (spec.unschedulable) takes only pods
// tolerating the node.kubernetes.io/unschedulable:NoSchedule taint.
//
// Thread safety: stateless; every method may run concurrently.
#ifndef BERTH_PLUGINS_SCHEDULER_NODE_UNSCHEDULABLE_NODE_UNSCHEDULABLE_H_
#define BERTH_PLUGINS_SCHEDULER_NODE_UNSCHEDULABLE_NODE_UNSCHEDULABLE_H_

#include "berth/scheduler.h"

namespace berth::scheduler {

class NodeUnschedulable : public SchedulerPlugin {
 public:
  static constexpr const char* kName = "NodeUnschedulable";
  static constexpr const char* kReason = "node(s) were unschedulable";
  std::string Name() const override { return kName; }
  uint32_t Points() const override { return kFilter; }
  StatusOr<std::shared_ptr<SchedulerPlugin>> New(
      SchedulerHandle&, const std::string&) const override {
    return std::shared_ptr<SchedulerPlugin>(
        std::make_shared<NodeUnschedulable>());
  }
  SchedulingStatus Filter(const CycleState& state, const PodInfo& pod,
                          const NodeInfo& node) override;
};

}  // namespace berth::scheduler

#endif  // BERTH_PLUGINS_SCHEDULER_NODE_UNSCHEDULABLE_NODE_UNSCHEDULABLE_H_
