// TaintToleration: filters out nodes with a NoSchedule or NoExecute taint the
// pod does not tolerate, and prefers nodes with fewer untolerated
// PreferNoSchedule taints (score weight 3 by default).
//
// Thread safety: stateless; every method may run concurrently.
#ifndef BERTH_PLUGINS_SCHEDULER_TAINT_TOLERATION_TAINT_TOLERATION_H_
#define BERTH_PLUGINS_SCHEDULER_TAINT_TOLERATION_TAINT_TOLERATION_H_

#include "berth/scheduler.h"

namespace berth::scheduler {

class TaintToleration : public SchedulerPlugin {
 public:
  static constexpr const char* kName = "TaintToleration";
  std::string Name() const override { return kName; }
  uint32_t Points() const override { return kFilter | kScore; }
  StatusOr<std::shared_ptr<SchedulerPlugin>> New(
      SchedulerHandle&, const std::string&) const override;
  // Unresolvable "node(s) had untolerated taint {key: value}" naming the
  // first such taint.
  SchedulingStatus Filter(const CycleState& state, const PodInfo& pod,
                          const NodeInfo& node) override;
  // The number of untolerated PreferNoSchedule taints.
  SchedulingStatus Score(const CycleState& state, const PodInfo& pod,
                         const NodeInfo& node, int64_t& score) override;
  // Fewer taints score higher: 100 - count * 100 / max.
  SchedulingStatus NormalizeScore(const CycleState& state, const PodInfo& pod,
                                  std::vector<NodeScore>& scores) override;
};

}  // namespace berth::scheduler

#endif  // BERTH_PLUGINS_SCHEDULER_TAINT_TOLERATION_TAINT_TOLERATION_H_
