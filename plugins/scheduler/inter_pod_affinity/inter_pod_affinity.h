// InterPodAffinity: required pod affinity and anti-affinity of the incoming
// pod, and required anti-affinity of the pods already placed against it,
// filter nodes by topology domain (topologyKey); preferred terms of both
// sides (and existing pods' required affinity, at weight 1) score them
// (score weight 2 by default).
//
// Thread safety: PreFilter/PreScore write CycleState; Filter/Score only read
// it and may run concurrently.
#ifndef BERTH_PLUGINS_SCHEDULER_INTER_POD_AFFINITY_INTER_POD_AFFINITY_H_
#define BERTH_PLUGINS_SCHEDULER_INTER_POD_AFFINITY_INTER_POD_AFFINITY_H_

#include "berth/scheduler.h"

namespace berth::scheduler {

class InterPodAffinity : public SchedulerPlugin {
 public:
  static constexpr const char* kName = "InterPodAffinity";
  static constexpr const char* kAffinityReason =
      "node(s) didn't match pod affinity rules";
  static constexpr const char* kAntiAffinityReason =
      "node(s) didn't match pod anti-affinity rules";
  static constexpr const char* kExistingAntiAffinityReason =
      "node(s) didn't satisfy existing pods anti-affinity rules";

  explicit InterPodAffinity(SchedulerHandle* handle = nullptr)
      : handle_(handle) {}
  std::string Name() const override { return kName; }
  uint32_t Points() const override {
    return kPreFilter | kFilter | kPreScore | kScore;
  }
  StatusOr<std::shared_ptr<SchedulerPlugin>> New(
      SchedulerHandle& handle, const std::string& args_json) const override;
  SchedulingStatus PreFilter(CycleState& state, const PodInfo& pod) override;
  SchedulingStatus Filter(const CycleState& state, const PodInfo& pod,
                          const NodeInfo& node) override;
  SchedulingStatus PreScore(CycleState& state, const PodInfo& pod,
                            const std::vector<const NodeInfo*>& nodes) override;
  SchedulingStatus Score(const CycleState& state, const PodInfo& pod,
                         const NodeInfo& node, int64_t& score) override;
  // Min-max scaling to [0, 100].
  SchedulingStatus NormalizeScore(const CycleState& state, const PodInfo& pod,
                                  std::vector<NodeScore>& scores) override;

 private:
  SchedulerHandle* handle_;
  int64_t hard_pod_affinity_weight_ = 1;
};

}  // namespace berth::scheduler

#endif  // BERTH_PLUGINS_SCHEDULER_INTER_POD_AFFINITY_INTER_POD_AFFINITY_H_
