#include "node_affinity.h"

#include "framework/matching.h"
#include "framework/normalize.h"

namespace berth::scheduler {

StatusOr<std::shared_ptr<SchedulerPlugin>> NodeAffinity::New(
    SchedulerHandle&, const std::string&) const {
  return std::shared_ptr<SchedulerPlugin>(std::make_shared<NodeAffinity>());
}

SchedulingStatus NodeAffinity::Filter(const CycleState&, const PodInfo& pod,
                                      const NodeInfo& node) {
  if (NodeMatchesPodNodeAffinity(pod, node)) return {};
  return SchedulingStatus::Unresolvable(kReason);
}

SchedulingStatus NodeAffinity::Score(const CycleState&, const PodInfo& pod,
                                     const NodeInfo& node, int64_t& score) {
  score = 0;
  for (const auto& term : pod.preferred_node_affinity) {
    if (term.weight != 0 && NodeMatchesTerm(term.preference, node)) {
      score += term.weight;
    }
  }
  return {};
}

SchedulingStatus NodeAffinity::NormalizeScore(const CycleState&, const PodInfo&,
                                              std::vector<NodeScore>& scores) {
  DefaultNormalizeScore(kMaxNodeScore, /*reverse=*/false, scores);
  return {};
}

}  // namespace berth::scheduler
