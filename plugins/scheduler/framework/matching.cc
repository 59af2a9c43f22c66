#include "matching.h"

#include <algorithm>
#include <cstdlib>

namespace berth::scheduler {
namespace {

bool RequirementHolds(const NodeSelectorTerm::Requirement& r, bool has,
                      const std::string& value) {
  auto in = [&] {
    return std::find(r.values.begin(), r.values.end(), value) != r.values.end();
  };
  if (r.op == "In") return has && in();
  if (r.op == "NotIn") return !has || !in();
  if (r.op == "Exists") return has;
  if (r.op == "DoesNotExist") return !has;
  if (r.op == "Gt" || r.op == "Lt") {
    if (!has || r.values.size() != 1) return false;
    char* end = nullptr;
    long long node_v = std::strtoll(value.c_str(), &end, 10);
    if (*end != '\0') return false;
    long long want = std::strtoll(r.values[0].c_str(), &end, 10);
    if (*end != '\0') return false;
    return r.op == "Gt" ? node_v > want : node_v < want;
  }
  return false;
}

void Subtract(const Resources& from, Resources& into) {
  into.milli_cpu -= from.milli_cpu;
  into.memory -= from.memory;
  into.ephemeral_storage -= from.ephemeral_storage;
  into.pods -= from.pods;
  for (const auto& [k, v] : from.scalar) into.scalar[k] -= v;
}

void Add(const Resources& from, Resources& into) {
  into.milli_cpu += from.milli_cpu;
  into.memory += from.memory;
  into.ephemeral_storage += from.ephemeral_storage;
  into.pods += from.pods;
  for (const auto& [k, v] : from.scalar) into.scalar[k] += v;
}

bool Erase(std::vector<std::shared_ptr<const PodInfo>>& pods,
           const PodInfo& pod) {
  for (size_t i = 0; i < pods.size(); ++i) {
    if (pods[i]->name == pod.name && pods[i]->ns == pod.ns) {
      pods[i] = std::move(pods.back());
      pods.pop_back();
      return true;
    }
  }
  return false;
}

}  // namespace

bool NodeMatchesTerm(const NodeSelectorTerm& term, const NodeInfo& node) {
  if (term.match_expressions.empty() && term.match_fields.empty()) {
    return false;
  }
  for (const auto& r : term.match_expressions) {
    auto it = node.labels.find(r.key);
    bool has = it != node.labels.end();
    if (!RequirementHolds(r, has, has ? it->second : std::string())) {
      return false;
    }
  }
  for (const auto& r : term.match_fields) {
    if (r.key != "metadata.name") return false;
    if (!RequirementHolds(r, true, node.name)) return false;
  }
  return true;
}

bool NodeMatchesPodNodeAffinity(const PodInfo& pod, const NodeInfo& node) {
  for (const auto& [k, v] : pod.node_selector) {
    auto it = node.labels.find(k);
    if (it == node.labels.end() || it->second != v) return false;
  }
  if (pod.required_node_affinity.empty()) return true;
  for (const auto& term : pod.required_node_affinity) {
    if (NodeMatchesTerm(term, node)) return true;
  }
  return false;
}

bool Tolerates(const Toleration& t, const Taint& taint) {
  if (!t.effect.empty() && t.effect != taint.effect) return false;
  if (!t.key.empty() && t.key != taint.key) return false;
  if (t.op == "Exists") return true;
  return (t.op.empty() || t.op == "Equal") && t.value == taint.value;
}

bool ToleratesAny(const std::vector<Toleration>& tolerations,
                  const Taint& taint) {
  for (const auto& t : tolerations) {
    if (Tolerates(t, taint)) return true;
  }
  return false;
}

bool TermMatchesPod(const PodAffinityTerm& term, const PodInfo& pod,
                    const std::map<std::string, std::string>& ns_labels) {
  bool ns_ok = std::find(term.namespaces.begin(), term.namespaces.end(),
                         pod.ns) != term.namespaces.end();
  if (!ns_ok && term.namespace_selector) {
    ns_ok = term.namespace_selector->Matches(ns_labels);
  }
  if (!ns_ok || !term.has_label_selector) return false;
  return term.label_selector.Matches(pod.labels);
}

void AddPod(std::shared_ptr<const PodInfo> pod, NodeInfo& node) {
  Add(pod->requests, node.requested);
  Add(pod->non_zero_requests, node.non_zero_requested);
  if (pod->HasAffinity()) node.pods_with_affinity.push_back(pod);
  if (!pod->required_anti_affinity.empty()) {
    node.pods_with_required_anti_affinity.push_back(pod);
  }
  node.pods.push_back(std::move(pod));
}

bool RemovePod(const PodInfo& pod, NodeInfo& node) {
  for (const auto& p : node.pods) {
    if (p->name != pod.name || p->ns != pod.ns) continue;
    std::shared_ptr<const PodInfo> stored = p;
    Subtract(stored->requests, node.requested);
    Subtract(stored->non_zero_requests, node.non_zero_requested);
    Erase(node.pods_with_affinity, pod);
    Erase(node.pods_with_required_anti_affinity, pod);
    Erase(node.pods, pod);
    return true;
  }
  return false;
}

}  // namespace berth::scheduler
