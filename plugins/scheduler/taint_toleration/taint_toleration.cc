#include "taint_toleration.h"

#include "framework/matching.h"
#include "framework/normalize.h"

namespace berth::scheduler {

StatusOr<std::shared_ptr<SchedulerPlugin>> TaintToleration::New(
    SchedulerHandle&, const std::string&) const {
  return std::shared_ptr<SchedulerPlugin>(std::make_shared<TaintToleration>());
}

SchedulingStatus TaintToleration::Filter(const CycleState&, const PodInfo& pod,
                                         const NodeInfo& node) {
  for (const auto& taint : node.taints) {
    if (taint.effect != "NoSchedule" && taint.effect != "NoExecute") continue;
    if (ToleratesAny(pod.tolerations, taint)) continue;
    return SchedulingStatus::Unresolvable("node(s) had untolerated taint {" +
                                          taint.key + ": " + taint.value + "}");
  }
  return {};
}

SchedulingStatus TaintToleration::Score(const CycleState&, const PodInfo& pod,
                                        const NodeInfo& node, int64_t& score) {
  score = 0;
  for (const auto& taint : node.taints) {
    if (taint.effect != "PreferNoSchedule") continue;
    bool tolerated = false;
    for (const auto& t : pod.tolerations) {
      if ((t.effect.empty() || t.effect == "PreferNoSchedule") &&
          Tolerates(t, taint)) {
        tolerated = true;
        break;
      }
    }
    if (!tolerated) ++score;
  }
  return {};
}

SchedulingStatus TaintToleration::NormalizeScore(
    const CycleState&, const PodInfo&, std::vector<NodeScore>& scores) {
  DefaultNormalizeScore(kMaxNodeScore, /*reverse=*/true, scores);
  return {};
}

}  // namespace berth::scheduler
