#include "inter_pod_affinity.h"

#include <algorithm>
#include <map>
#include <string_view>
#include <utility>

#include "berth/json.h"
#include "framework/matching.h"

namespace berth::scheduler {
namespace {

constexpr const char* kPreFilterKey = "PreFilterInterPodAffinity";
constexpr const char* kPreScoreKey = "PreScoreInterPodAffinity";

// Matching pods per topology key and value, built by Add and then Seal
// (sorted and merged), read by Get and AnyPositiveOn. Values are views into
// node labels, which the scheduling cycle holds unchanged (the cache is
// locked) for as long as PreFilter's state is read; flat sorted vectors
// spare a string copy and an allocation per counted pod, which dominate
// with thousands of pods carrying (anti-)affinity.
class TopologyCounts {
 public:
  void Add(const std::string& key, std::string_view value) {
    KeyCounts* k = nullptr;
    for (auto& existing : keys_) {
      if (existing.key == key) k = &existing;
    }
    if (!k) {
      keys_.push_back({key, {}});
      k = &keys_.back();
    }
    k->values.push_back({value, 1});
  }
  // Sorts and merges duplicate values; call once, after the last Add.
  void Seal() {
    for (auto& k : keys_) {
      std::sort(k.values.begin(), k.values.end());
      size_t out = 0;
      for (size_t i = 0; i < k.values.size(); ++i) {
        if (out > 0 && k.values[out - 1].first == k.values[i].first) {
          k.values[out - 1].second += k.values[i].second;
        } else {
          k.values[out++] = k.values[i];
        }
      }
      k.values.resize(out);
    }
  }
  int64_t Get(const std::string& key, std::string_view value) const {
    for (const auto& k : keys_) {
      if (k.key == key) return Find(k, value);
    }
    return 0;
  }
  bool empty() const { return keys_.empty(); }
  // Whether the node's value of any counted key has a positive count.
  bool AnyPositiveOn(const NodeInfo& node) const {
    for (const auto& k : keys_) {
      auto label = node.labels.find(k.key);
      if (label != node.labels.end() && Find(k, label->second) > 0) {
        return true;
      }
    }
    return false;
  }

 private:
  struct KeyCounts {
    std::string key;
    std::vector<std::pair<std::string_view, int64_t>> values;
  };
  static int64_t Find(const KeyCounts& k, std::string_view value) {
    auto it = std::lower_bound(
        k.values.begin(), k.values.end(), value,
        [](const auto& e, std::string_view v) { return e.first < v; });
    return it != k.values.end() && it->first == value ? it->second : 0;
  }
  std::vector<KeyCounts> keys_;
};

struct PreFilterState : StateData {
  TopologyCounts existing_anti_affinity;
  TopologyCounts affinity;
  TopologyCounts anti_affinity;
};

struct PreScoreState : StateData {
  // topologyKey -> value -> score.
  std::map<std::string, std::map<std::string, int64_t>> scores;
};

// Caches namespace labels for one cycle: the same few namespaces recur,
// and most terms list namespaces rather than select them.
class NamespaceLabels {
 public:
  explicit NamespaceLabels(SchedulerHandle* h) : handle_(h) {}
  // TermMatchesPod, fetching the pod's namespace labels only when the term
  // has a namespace selector its list did not already satisfy.
  bool Matches(const PodAffinityTerm& term, const PodInfo& pod) {
    if (!term.namespace_selector) {
      if (!term.has_label_selector) return false;
      bool listed = false;
      for (const auto& ns : term.namespaces) {
        if (ns == pod.ns) {
          listed = true;
          break;
        }
      }
      return listed && term.label_selector.Matches(pod.labels);
    }
    return TermMatchesPod(term, pod, Of(pod.ns));
  }
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
                NamespaceLabels& ns) {
  if (terms.empty()) return false;
  for (const auto& t : terms) {
    if (!ns.Matches(t, pod)) return false;
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
  // Existing pods whose required anti-affinity selects the incoming pod.
  for (const NodeInfo* node : handle_->NodesWithRequiredAntiAffinityPods()) {
    for (const auto& existing : node->pods_with_required_anti_affinity) {
      for (const auto& term : existing->required_anti_affinity) {
        if (!ns.Matches(term, pod)) continue;
        if (const std::string* v = Label(*node, term.topology_key)) {
          s->existing_anti_affinity.Add(term.topology_key, *v);
        }
      }
    }
  }
  if (!pod.required_affinity.empty() || !pod.required_anti_affinity.empty()) {
    for (const NodeInfo* node : handle_->Nodes()) {
      for (const auto& existing : node->pods) {
        if (MatchesAll(pod.required_affinity, *existing, ns)) {
          for (const auto& term : pod.required_affinity) {
            if (const std::string* v = Label(*node, term.topology_key)) {
              s->affinity.Add(term.topology_key, *v);
            }
          }
        }
        for (const auto& term : pod.required_anti_affinity) {
          if (!ns.Matches(term, *existing)) continue;
          if (const std::string* v = Label(*node, term.topology_key)) {
            s->anti_affinity.Add(term.topology_key, *v);
          }
        }
      }
    }
  }
  s->existing_anti_affinity.Seal();
  s->affinity.Seal();
  s->anti_affinity.Seal();
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
      if (s->affinity.Get(term.topology_key, *v) <= 0) pods_exist = false;
    }
    if (!pods_exist) {
      NamespaceLabels ns(handle_);
      if (!s->affinity.empty() || !MatchesAll(pod.required_affinity, pod, ns)) {
        return SchedulingStatus::Unresolvable(kAffinityReason);
      }
    }
  }
  for (const auto& term : pod.required_anti_affinity) {
    const std::string* v = Label(node, term.topology_key);
    if (v && s->anti_affinity.Get(term.topology_key, *v) > 0) {
      return SchedulingStatus::Unschedulable(kAntiAffinityReason);
    }
  }
  if (s->existing_anti_affinity.AnyPositiveOn(node)) {
    return SchedulingStatus::Unschedulable(kExistingAntiAffinityReason);
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
  auto add = [&](const NodeInfo& node, const std::string& key, int64_t w) {
    if (w == 0) return;
    if (const std::string* v = Label(node, key)) s->scores[key][*v] += w;
  };
  for (const NodeInfo* node : with_pods) {
    const auto& pods = has_preferred ? node->pods : node->pods_with_affinity;
    for (const auto& existing : pods) {
      for (const auto& w : pod.preferred_affinity) {
        if (ns.Matches(w.term, *existing)) {
          add(*node, w.term.topology_key, w.weight);
        }
      }
      for (const auto& w : pod.preferred_anti_affinity) {
        if (ns.Matches(w.term, *existing)) {
          add(*node, w.term.topology_key, -w.weight);
        }
      }
      for (const auto& t : existing->required_affinity) {
        if (ns.Matches(t, pod)) {
          add(*node, t.topology_key, hard_pod_affinity_weight_);
        }
      }
      for (const auto& w : existing->preferred_affinity) {
        if (ns.Matches(w.term, pod)) {
          add(*node, w.term.topology_key, w.weight);
        }
      }
      for (const auto& w : existing->preferred_anti_affinity) {
        if (ns.Matches(w.term, pod)) {
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
