#include "pod_topology_spread.h"

#include <climits>
#include <cmath>
#include <map>
#include <utility>

#include "berth/json.h"
#include "framework/matching.h"
#include "framework/object_parser.h"

namespace berth::scheduler {
namespace {

constexpr const char* kPreFilterKey = "PreFilterPodTopologySpread";
constexpr const char* kPreScoreKey = "PreScorePodTopologySpread";
constexpr const char* kHostname = "kubernetes.io/hostname";

using TopologyPair = std::pair<std::string, std::string>;

struct PreFilterState : StateData {
  std::vector<TopologySpreadConstraint> constraints;
  std::map<TopologyPair, int64_t> matching;
  // Per constraint: the fewest matching pods in a domain, and the domains.
  std::vector<int64_t> min_matching;
  std::vector<int64_t> domains;
};

struct PreScoreState : StateData {
  std::vector<TopologySpreadConstraint> constraints;
  std::vector<double> weights;
  std::map<TopologyPair, int64_t> matching;
};

bool HasAllKeys(const NodeInfo& node,
                const std::vector<TopologySpreadConstraint>& cs) {
  for (const auto& c : cs) {
    if (!node.labels.count(c.topology_key)) return false;
  }
  return true;
}

int64_t CountMatching(const NodeInfo& node, const TopologySpreadConstraint& c,
                      const std::string& ns) {
  int64_t n = 0;
  for (const auto& p : node.pods) {
    if (p->terminating || p->ns != ns) continue;
    if (c.label_selector.Matches(p->labels)) ++n;
  }
  return n;
}

}  // namespace

StatusOr<std::shared_ptr<SchedulerPlugin>> PodTopologySpread::New(
    SchedulerHandle& handle, const std::string& args_json) const {
  auto plugin = std::make_shared<PodTopologySpread>(&handle);
  auto doc = ParseJson(args_json.empty() ? "{}" : args_json);
  if (!doc.ok()) return doc.status();
  std::string type = GetString(*doc, {"defaultingType"}, "System");
  if (type != "System" && type != "List") {
    return Status::Invalid(
        "PodTopologySpread: defaultingType must be System or List");
  }
  plugin->system_defaults_ = type == "System";
  if (const Json* cs = Member(*doc, "defaultConstraints");
      cs && cs->IsArray()) {
    for (const auto& c : cs->GetArray()) {
      TopologySpreadConstraint tsc;
      tsc.max_skew = static_cast<int32_t>(GetInt(c, {"maxSkew"}, 1));
      tsc.topology_key = GetString(c, {"topologyKey"});
      tsc.when_unsatisfiable =
          GetString(c, {"whenUnsatisfiable"}, "DoNotSchedule");
      plugin->default_constraints_.push_back(std::move(tsc));
    }
  }
  return std::shared_ptr<SchedulerPlugin>(plugin);
}

std::vector<TopologySpreadConstraint> PodTopologySpread::Constraints(
    const PodInfo& pod, const std::string& when) const {
  std::vector<TopologySpreadConstraint> out;
  if (!pod.topology_spread_constraints.empty()) {
    for (const auto& c : pod.topology_spread_constraints) {
      if (c.when_unsatisfiable == when) out.push_back(c);
    }
    return out;
  }
  // Defaults apply to pods a controller owns; kube-scheduler selects with the
  // selectors of the Services and controllers matching the pod, and the
  // pod's own labels are what those selectors match.
  if (pod.controller_uid.empty() || pod.labels.empty()) return out;
  std::vector<TopologySpreadConstraint> defaults = default_constraints_;
  if (system_defaults_) {
    defaults = {{3, kHostname, "ScheduleAnyway", {}, 1},
                {5, "topology.kubernetes.io/zone", "ScheduleAnyway", {}, 1}};
  }
  for (auto& c : defaults) {
    if (c.when_unsatisfiable != when) continue;
    c.label_selector.match_labels = pod.labels;
    out.push_back(std::move(c));
  }
  return out;
}

SchedulingStatus PodTopologySpread::PreFilter(CycleState& state,
                                              const PodInfo& pod) {
  auto cs = Constraints(pod, "DoNotSchedule");
  if (cs.empty()) return SchedulingStatus::Skip();
  auto s = std::make_shared<PreFilterState>();
  s->constraints = std::move(cs);
  std::vector<std::map<std::string, int64_t>> per_domain(s->constraints.size());
  for (const NodeInfo* node : handle_->Nodes()) {
    if (!NodeMatchesPodNodeAffinity(pod, *node)) continue;
    if (!HasAllKeys(*node, s->constraints)) continue;
    for (size_t i = 0; i < s->constraints.size(); ++i) {
      const auto& c = s->constraints[i];
      const std::string& value = node->labels.at(c.topology_key);
      int64_t n = CountMatching(*node, c, pod.ns);
      s->matching[{c.topology_key, value}] += n;
      per_domain[i][value] += n;
    }
  }
  for (size_t i = 0; i < s->constraints.size(); ++i) {
    int64_t min = per_domain[i].empty() ? 0 : LLONG_MAX;
    for (const auto& [v, n] : per_domain[i]) min = std::min(min, n);
    if (static_cast<int64_t>(per_domain[i].size()) <
        s->constraints[i].min_domains) {
      min = 0;
    }
    s->min_matching.push_back(min);
    s->domains.push_back(static_cast<int64_t>(per_domain[i].size()));
  }
  state.Write(kPreFilterKey, std::move(s));
  return {};
}

SchedulingStatus PodTopologySpread::Filter(const CycleState& state,
                                           const PodInfo& pod,
                                           const NodeInfo& node) {
  const auto* s = static_cast<const PreFilterState*>(state.Read(kPreFilterKey));
  if (!s) return {};
  for (size_t i = 0; i < s->constraints.size(); ++i) {
    const auto& c = s->constraints[i];
    auto label = node.labels.find(c.topology_key);
    if (label == node.labels.end()) {
      return SchedulingStatus::Unresolvable(kMissingLabelReason);
    }
    int64_t self = c.label_selector.Matches(pod.labels) ? 1 : 0;
    auto it = s->matching.find({c.topology_key, label->second});
    int64_t here = it == s->matching.end() ? 0 : it->second;
    if (here + self - s->min_matching[i] > c.max_skew) {
      return SchedulingStatus::Unschedulable(kReason);
    }
  }
  return {};
}

SchedulingStatus PodTopologySpread::PreScore(
    CycleState& state, const PodInfo& pod,
    const std::vector<const NodeInfo*>& nodes) {
  auto cs = Constraints(pod, "ScheduleAnyway");
  if (cs.empty()) return SchedulingStatus::Skip();
  auto s = std::make_shared<PreScoreState>();
  s->constraints = std::move(cs);
  std::vector<std::map<std::string, bool>> domains(s->constraints.size());
  for (const NodeInfo* node : nodes) {
    if (!HasAllKeys(*node, s->constraints)) continue;
    for (size_t i = 0; i < s->constraints.size(); ++i) {
      domains[i][node->labels.at(s->constraints[i].topology_key)] = true;
    }
  }
  for (size_t i = 0; i < s->constraints.size(); ++i) {
    s->weights.push_back(std::log(static_cast<double>(domains[i].size()) + 2));
  }
  // Pods are counted over every eligible node, not just the feasible ones.
  for (const NodeInfo* node : handle_->Nodes()) {
    if (!NodeMatchesPodNodeAffinity(pod, *node)) continue;
    if (!HasAllKeys(*node, s->constraints)) continue;
    for (const auto& c : s->constraints) {
      if (c.topology_key == kHostname) continue;
      const std::string& value = node->labels.at(c.topology_key);
      if (!domains[&c - &s->constraints[0]].count(value)) continue;
      s->matching[{c.topology_key, value}] += CountMatching(*node, c, pod.ns);
    }
  }
  state.Write(kPreScoreKey, std::move(s));
  return {};
}

SchedulingStatus PodTopologySpread::Score(const CycleState& state,
                                          const PodInfo& pod,
                                          const NodeInfo& node,
                                          int64_t& score) {
  score = 0;
  const auto* s = static_cast<const PreScoreState*>(state.Read(kPreScoreKey));
  if (!s) return {};
  if (!HasAllKeys(node, s->constraints)) {
    score = -1;  // ignored: NormalizeScore gives it 0
    return {};
  }
  double total = 0;
  for (size_t i = 0; i < s->constraints.size(); ++i) {
    const auto& c = s->constraints[i];
    int64_t count = 0;
    if (c.topology_key == kHostname) {
      count = CountMatching(node, c, pod.ns);
    } else {
      auto it =
          s->matching.find({c.topology_key, node.labels.at(c.topology_key)});
      if (it != s->matching.end()) count = it->second;
    }
    total += static_cast<double>(count) * s->weights[i] + (c.max_skew - 1);
  }
  score = static_cast<int64_t>(std::llround(total));
  return {};
}

SchedulingStatus PodTopologySpread::NormalizeScore(
    const CycleState& state, const PodInfo&, std::vector<NodeScore>& scores) {
  if (!state.Read(kPreScoreKey)) return {};
  int64_t min = LLONG_MAX, max = 0;
  for (const auto& s : scores) {
    if (s.score < 0) continue;
    min = std::min(min, s.score);
    max = std::max(max, s.score);
  }
  for (auto& s : scores) {
    if (s.score < 0) {
      s.score = 0;
    } else if (max == 0) {
      s.score = kMaxNodeScore;
    } else {
      s.score = kMaxNodeScore * (max + min - s.score) / max;
    }
  }
  return {};
}

}  // namespace berth::scheduler
