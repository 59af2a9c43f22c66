#include "inter_pod_affinity.h"

#include <map>
#include <utility>

#include "berth/json.h"
#include "framework/matching.h"

namespace berth::scheduler {
namespace {

constexpr const char* kPreFilterKey = "PreFilterInterPodAffinity";
constexpr const char* kPreScoreKey = "PreScoreInterPodAffinity";

using TopologyPair = std::pair<std::string, std::string>;
using TopologyCounts = std::map<TopologyPair, int64_t>;

struct PreFilterState : StateData {
  TopologyCounts existing_anti_affinity;
  TopologyCounts affinity;
  TopologyCounts anti_affinity;
};

struct PreScoreState : StateData {
  // topologyKey -> value -> score.
  std::map<std::string, std::map<std::string, int64_t>> scores;
};

// Caches namespace labels for one cycle: the same few namespaces recur.
class NamespaceLabels {
 public:
  explicit NamespaceLabels(SchedulerHandle* h) : handle_(h) {}
  const std::map<std::string, std::string>& Of(const std::string& ns) {
    auto it = cache_.find(ns);
    if (it != cache_.end()) return it->second;
    return cache_
        .emplace(ns, handle_ ? handle_->NamespaceLabels(ns)
                             : std::map<std::string, std::string>{})
        .first->second;
  }

 private:
  SchedulerHandle* handle_;
  std::map<std::string, std::map<std::string, std::string>> cache_;
};

bool MatchesAll(const std::vector<PodAffinityTerm>& terms, const PodInfo& pod,
                const std::map<std::string, std::string>& ns_labels) {
  if (terms.empty()) return false;
  for (const auto& t : terms) {
    if (!TermMatchesPod(t, pod, ns_labels)) return false;
  }
  return true;
}

const std::string* Label(const NodeInfo& node, const std::string& key) {
  auto it = node.labels.find(key);
  return it == node.labels.end() ? nullptr : &it->second;
}

}  // namespace

StatusOr<std::shared_ptr<SchedulerPlugin>> InterPodAffinity::New(
    SchedulerHandle& handle, const std::string& args_json) const {
  auto plugin = std::make_shared<InterPodAffinity>(&handle);
  auto doc = ParseJson(args_json.empty() ? "{}" : args_json);
  if (!doc.ok()) return doc.status();
  plugin->hard_pod_affinity_weight_ =
      GetInt(*doc, {"hardPodAffinityWeight"}, 1);
  if (plugin->hard_pod_affinity_weight_ < 0 ||
      plugin->hard_pod_affinity_weight_ > 100) {
    return Status::Invalid(
        "InterPodAffinity: hardPodAffinityWeight must be in 0..100");
  }
  return std::shared_ptr<SchedulerPlugin>(plugin);
}

SchedulingStatus InterPodAffinity::PreFilter(CycleState& state,
                                             const PodInfo& pod) {
  auto s = std::make_shared<PreFilterState>();
  NamespaceLabels ns(handle_);
  const auto& pod_ns_labels = ns.Of(pod.ns);
  // Existing pods whose required anti-affinity selects the incoming pod.
  for (const NodeInfo* node : handle_->NodesWithRequiredAntiAffinityPods()) {
    for (const auto& existing : node->pods_with_required_anti_affinity) {
      for (const auto& term : existing->required_anti_affinity) {
        if (!TermMatchesPod(term, pod, pod_ns_labels)) continue;
        if (const std::string* v = Label(*node, term.topology_key)) {
          s->existing_anti_affinity[{term.topology_key, *v}]++;
        }
      }
    }
  }
  if (!pod.required_affinity.empty() || !pod.required_anti_affinity.empty()) {
    for (const NodeInfo* node : handle_->Nodes()) {
      for (const auto& existing : node->pods) {
        const auto& labels = ns.Of(existing->ns);
        if (MatchesAll(pod.required_affinity, *existing, labels)) {
          for (const auto& term : pod.required_affinity) {
            if (const std::string* v = Label(*node, term.topology_key)) {
              s->affinity[{term.topology_key, *v}]++;
            }
          }
        }
        for (const auto& term : pod.required_anti_affinity) {
          if (!TermMatchesPod(term, *existing, labels)) continue;
          if (const std::string* v = Label(*node, term.topology_key)) {
            s->anti_affinity[{term.topology_key, *v}]++;
          }
        }
      }
    }
  }
  if (s->existing_anti_affinity.empty() && pod.required_affinity.empty() &&
      pod.required_anti_affinity.empty()) {
    return SchedulingStatus::Skip();
  }
  state.Write(kPreFilterKey, std::move(s));
  return {};
}

SchedulingStatus InterPodAffinity::Filter(const CycleState& state,
                                          const PodInfo& pod,
                                          const NodeInfo& node) {
  const auto* s = static_cast<const PreFilterState*>(state.Read(kPreFilterKey));
  if (!s) return {};
  // Required affinity: every term's domain on this node holds a matching
  // pod, except for the first pod of a group that matches its own terms.
  if (!pod.required_affinity.empty()) {
    bool pods_exist = true;
    for (const auto& term : pod.required_affinity) {
      const std::string* v = Label(node, term.topology_key);
      if (!v) {
        return SchedulingStatus::Unresolvable(kAffinityReason);
      }
      auto it = s->affinity.find({term.topology_key, *v});
      if (it == s->affinity.end() || it->second <= 0) pods_exist = false;
    }
    if (!pods_exist) {
      std::map<std::string, std::string> own_ns_labels =
          handle_ ? handle_->NamespaceLabels(pod.ns)
                  : std::map<std::string, std::string>{};
      if (!s->affinity.empty() ||
          !MatchesAll(pod.required_affinity, pod, own_ns_labels)) {
        return SchedulingStatus::Unresolvable(kAffinityReason);
      }
    }
  }
  for (const auto& term : pod.required_anti_affinity) {
    const std::string* v = Label(node, term.topology_key);
    if (!v) continue;
    auto it = s->anti_affinity.find({term.topology_key, *v});
    if (it != s->anti_affinity.end() && it->second > 0) {
      return SchedulingStatus::Unschedulable(kAntiAffinityReason);
    }
  }
  for (const auto& [pair, count] : s->existing_anti_affinity) {
    if (count <= 0) continue;
    const std::string* v = Label(node, pair.first);
    if (v && *v == pair.second) {
      return SchedulingStatus::Unschedulable(kExistingAntiAffinityReason);
    }
  }
  return {};
}

SchedulingStatus InterPodAffinity::PreScore(
    CycleState& state, const PodInfo& pod,
    const std::vector<const NodeInfo*>& nodes) {
  bool has_preferred =
      !pod.preferred_affinity.empty() || !pod.preferred_anti_affinity.empty();
  std::vector<const NodeInfo*> with_pods =
      has_preferred ? handle_->Nodes() : handle_->NodesWithAffinityPods();
  if (with_pods.empty()) return SchedulingStatus::Skip();
  auto s = std::make_shared<PreScoreState>();
  NamespaceLabels ns(handle_);
  const auto& pod_ns_labels = ns.Of(pod.ns);
  auto add = [&](const NodeInfo& node, const std::string& key, int64_t w) {
    if (w == 0) return;
    if (const std::string* v = Label(node, key)) s->scores[key][*v] += w;
  };
  for (const NodeInfo* node : with_pods) {
    const auto& pods = has_preferred ? node->pods : node->pods_with_affinity;
    for (const auto& existing : pods) {
      const auto& labels = ns.Of(existing->ns);
      for (const auto& w : pod.preferred_affinity) {
        if (TermMatchesPod(w.term, *existing, labels)) {
          add(*node, w.term.topology_key, w.weight);
        }
      }
      for (const auto& w : pod.preferred_anti_affinity) {
        if (TermMatchesPod(w.term, *existing, labels)) {
          add(*node, w.term.topology_key, -w.weight);
        }
      }
      for (const auto& t : existing->required_affinity) {
        if (TermMatchesPod(t, pod, pod_ns_labels)) {
          add(*node, t.topology_key, hard_pod_affinity_weight_);
        }
      }
      for (const auto& w : existing->preferred_affinity) {
        if (TermMatchesPod(w.term, pod, pod_ns_labels)) {
          add(*node, w.term.topology_key, w.weight);
        }
      }
      for (const auto& w : existing->preferred_anti_affinity) {
        if (TermMatchesPod(w.term, pod, pod_ns_labels)) {
          add(*node, w.term.topology_key, -w.weight);
        }
      }
    }
  }
  if (s->scores.empty()) return SchedulingStatus::Skip();
  state.Write(kPreScoreKey, std::move(s));
  return {};
}

SchedulingStatus InterPodAffinity::Score(const CycleState& state,
                                         const PodInfo&, const NodeInfo& node,
                                         int64_t& score) {
  score = 0;
  const auto* s = static_cast<const PreScoreState*>(state.Read(kPreScoreKey));
  if (!s) return {};
  for (const auto& [key, values] : s->scores) {
    const std::string* v = Label(node, key);
    if (!v) continue;
    auto it = values.find(*v);
    if (it != values.end()) score += it->second;
  }
  return {};
}

SchedulingStatus InterPodAffinity::NormalizeScore(
    const CycleState& state, const PodInfo&, std::vector<NodeScore>& scores) {
  if (!state.Read(kPreScoreKey) || scores.empty()) return {};
  int64_t min = scores[0].score, max = scores[0].score;
  for (const auto& s : scores) {
    min = std::min(min, s.score);
    max = std::max(max, s.score);
  }
  for (auto& s : scores) {
    s.score = max > min ? kMaxNodeScore * (s.score - min) / (max - min) : 0;
  }
  return {};
}

}  // namespace berth::scheduler
