// NodeName: a pod that names its node (spec.nodeName) fits only that node.
//
// Thread safety: stateless; every method may run concurrently.
#ifndef BERTH_PLUGINS_SCHEDULER_NODE_NAME_NODE_NAME_H_
#define BERTH_PLUGINS_SCHEDULER_NODE_NAME_NODE_NAME_H_

#include "berth/scheduler.h"

namespace berth::scheduler {

class NodeName : public SchedulerPlugin {
 public:
  static constexpr const char* kName = "NodeName";
  static constexpr const char* kReason =
      "node(s) didn't match the requested node name";
  std::string Name() const override { return kName; }
  uint32_t Points() const override { return kFilter; }
  StatusOr<std::shared_ptr<SchedulerPlugin>> New(
      SchedulerHandle&, const std::string&) const override {
    return std::shared_ptr<SchedulerPlugin>(std::make_shared<NodeName>());
  }
  SchedulingStatus Filter(const CycleState& state, const PodInfo& pod,
                          const NodeInfo& node) override;
};

}  // namespace berth::scheduler

#endif  // BERTH_PLUGINS_SCHEDULER_NODE_NAME_NODE_NAME_H_
