// NodeResourcesBalancedAllocation: prefers nodes whose cpu and memory would
// be used in equal fractions with the pod placed: score
// (1 - standard deviation of the fractions) * 100 (score weight 1).
//
// Thread safety: stateless; every method may run concurrently.
#ifndef BERTH_PLUGINS_SCHEDULER_BALANCED_ALLOCATION_BALANCED_ALLOCATION_H_
#define BERTH_PLUGINS_SCHEDULER_BALANCED_ALLOCATION_BALANCED_ALLOCATION_H_

#include "berth/scheduler.h"

namespace berth::scheduler {

class BalancedAllocation : public SchedulerPlugin {
 public:
  static constexpr const char* kName = "NodeResourcesBalancedAllocation";
  std::string Name() const override { return kName; }
  uint32_t Points() const override { return kScore; }
  StatusOr<std::shared_ptr<SchedulerPlugin>> New(
      SchedulerHandle&, const std::string&) const override {
    return std::shared_ptr<SchedulerPlugin>(
        std::make_shared<BalancedAllocation>());
  }
  SchedulingStatus Score(const CycleState& state, const PodInfo& pod,
                         const NodeInfo& node, int64_t& score) override;
};

}  // namespace berth::scheduler

#endif  // BERTH_PLUGINS_SCHEDULER_BALANCED_ALLOCATION_BALANCED_ALLOCATION_H_
