// NodeAffinity: the pod's nodeSelector and required node affinity filter
// nodes (matchExpressions on labels, matchFields on metadata.name as
// DaemonSet pods use); preferred terms score the sum of the weights of the
// terms a node matches (score weight 2 by default).
//
// Thread safety: stateless; every method may run concurrently.
#ifndef BERTH_PLUGINS_SCHEDULER_NODE_AFFINITY_NODE_AFFINITY_H_
#define BERTH_PLUGINS_SCHEDULER_NODE_AFFINITY_NODE_AFFINITY_H_

#include "berth/scheduler.h"

namespace berth::scheduler {

class NodeAffinity : public SchedulerPlugin {
 public:
  static constexpr const char* kName = "NodeAffinity";
  static constexpr const char* kReason =
      "node(s) didn't match Pod's node affinity/selector";
  std::string Name() const override { return kName; }
  uint32_t Points() const override { return kFilter | kScore; }
  StatusOr<std::shared_ptr<SchedulerPlugin>> New(
      SchedulerHandle&, const std::string&) const override;
  SchedulingStatus Filter(const CycleState& state, const PodInfo& pod,
                          const NodeInfo& node) override;
  SchedulingStatus Score(const CycleState& state, const PodInfo& pod,
                         const NodeInfo& node, int64_t& score) override;
  SchedulingStatus NormalizeScore(const CycleState& state, const PodInfo& pod,
                                  std::vector<NodeScore>& scores) override;
};

}  // namespace berth::scheduler

#endif  // BERTH_PLUGINS_SCHEDULER_NODE_AFFINITY_NODE_AFFINITY_H_
