// PodTopologySpread: keeps matching pods spread over topology domains.
// DoNotSchedule constraints filter nodes where placing the pod would make
// (matching pods in the node's domain + self - the fewest in any domain)
// exceed maxSkew; ScheduleAnyway constraints score nodes with fewer matching
// pods higher (score weight 2). A pod without constraints gets
// kube-scheduler's system defaults (zone maxSkew 5, hostname maxSkew 3,
// ScheduleAnyway), selecting the pods of its own controller.
//
// Thread safety: PreFilter/PreScore write CycleState; Filter/Score only read
// it and may run concurrently.
#ifndef BERTH_PLUGINS_SCHEDULER_POD_TOPOLOGY_SPREAD_POD_TOPOLOGY_SPREAD_H_
#define BERTH_PLUGINS_SCHEDULER_POD_TOPOLOGY_SPREAD_POD_TOPOLOGY_SPREAD_H_

#include "berth/scheduler.h"

namespace berth::scheduler {

class PodTopologySpread : public SchedulerPlugin {
 public:
  static constexpr const char* kName = "PodTopologySpread";
  static constexpr const char* kReason =
      "node(s) didn't match pod topology spread constraints";
  static constexpr const char* kMissingLabelReason =
      "node(s) didn't match pod topology spread constraints (missing "
      "required label)";

  explicit PodTopologySpread(SchedulerHandle* handle = nullptr)
      : handle_(handle) {}
  std::string Name() const override { return kName; }
  uint32_t Points() const override {
    return kPreFilter | kFilter | kPreScore | kScore;
  }
  // args: {"defaultingType": "System"|"List", "defaultConstraints": [...]}.
  StatusOr<std::shared_ptr<SchedulerPlugin>> New(
      SchedulerHandle& handle, const std::string& args_json) const override;
  SchedulingStatus PreFilter(CycleState& state, const PodInfo& pod) override;
  SchedulingStatus Filter(const CycleState& state, const PodInfo& pod,
                          const NodeInfo& node) override;
  SchedulingStatus PreScore(CycleState& state, const PodInfo& pod,
                            const std::vector<const NodeInfo*>& nodes) override;
  SchedulingStatus Score(const CycleState& state, const PodInfo& pod,
                         const NodeInfo& node, int64_t& score) override;
  SchedulingStatus NormalizeScore(const CycleState& state, const PodInfo& pod,
                                  std::vector<NodeScore>& scores) override;

 private:
  // The pod's constraints with `when` ("DoNotSchedule"/"ScheduleAnyway"),
  // or the defaults when it has none.
  std::vector<TopologySpreadConstraint> Constraints(
      const PodInfo& pod, const std::string& when) const;

  SchedulerHandle* handle_;
  bool system_defaults_ = true;
  std::vector<TopologySpreadConstraint> default_constraints_;
};

}  // namespace berth::scheduler

#endif  // BERTH_PLUGINS_SCHEDULER_POD_TOPOLOGY_SPREAD_POD_TOPOLOGY_SPREAD_H_
