#include "scheduler_cache.h"

#include "framework/matching.h"

namespace berth::scheduler {
namespace {
std::string KeyOf(const PodInfo& p) { return p.ns + "/" + p.name; }
}  // namespace

SchedulerCache::SchedulerCache(std::chrono::milliseconds assumed_ttl)
    : assumed_ttl_(assumed_ttl) {}

void SchedulerCache::RebuildListLocked() {
  list_.clear();
  for (const auto& [name, e] : nodes_) {
    if (e->in_api) list_.push_back(&e->info);
  }
}

bool SchedulerCache::AddOrUpdateNode(NodeInfo node) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& e = nodes_[node.name];
  bool added = !e || !e->in_api;
  if (!e) {
    e = std::make_unique<NodeEntry>();
    e->info.name = node.name;
  }
  auto same_taints = [](const std::vector<Taint>& a,
                        const std::vector<Taint>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (a[i].key != b[i].key || a[i].value != b[i].value ||
          a[i].effect != b[i].effect) {
        return false;
      }
    }
    return true;
  };
  const Resources& old = e->info.allocatable;
  bool changed = added || e->info.labels != node.labels ||
                 !same_taints(e->info.taints, node.taints) ||
                 e->info.unschedulable != node.unschedulable ||
                 old.milli_cpu != node.allocatable.milli_cpu ||
                 old.memory != node.allocatable.memory ||
                 old.ephemeral_storage != node.allocatable.ephemeral_storage ||
                 old.pods != node.allocatable.pods ||
                 old.scalar != node.allocatable.scalar;
  e->in_api = true;
  e->info.labels = std::move(node.labels);
  e->info.taints = std::move(node.taints);
  e->info.unschedulable = node.unschedulable;
  e->info.allocatable = std::move(node.allocatable);
  if (added) RebuildListLocked();
  return changed;
}

void SchedulerCache::RemoveNode(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = nodes_.find(name);
  if (it == nodes_.end()) return;
  if (it->second->info.pods.empty()) {
    nodes_.erase(it);
  } else {
    it->second->in_api = false;
  }
  RebuildListLocked();
}

void SchedulerCache::AddToNodeLocked(std::shared_ptr<const PodInfo> pod) {
  auto& e = nodes_[pod->node_name];
  if (!e) {
    e = std::make_unique<NodeEntry>();
    e->info.name = pod->node_name;
  }
  if (pod->HasAffinity()) ++affinity_pods_;
  if (!pod->required_anti_affinity.empty()) ++anti_affinity_pods_;
  AddPod(std::move(pod), e->info);
}

void SchedulerCache::RemoveFromNodeLocked(const PodInfo& pod) {
  auto it = nodes_.find(pod.node_name);
  if (it == nodes_.end()) return;
  if (berth::scheduler::RemovePod(pod, it->second->info)) {
    if (pod.HasAffinity()) --affinity_pods_;
    if (!pod.required_anti_affinity.empty()) --anti_affinity_pods_;
  }
  if (!it->second->in_api && it->second->info.pods.empty()) {
    nodes_.erase(it);
  }
}

void SchedulerCache::AddOrUpdateBoundPod(std::shared_ptr<const PodInfo> pod) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string key = KeyOf(*pod);
  auto it = pods_.find(key);
  if (it != pods_.end()) RemoveFromNodeLocked(*it->second.pod);
  PodState& s = pods_[key];
  s.pod = pod;
  s.assumed = false;
  s.binding_finished = false;
  AddToNodeLocked(std::move(pod));
}

void SchedulerCache::RemovePod(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = pods_.find(key);
  if (it == pods_.end()) return;
  RemoveFromNodeLocked(*it->second.pod);
  pods_.erase(it);
}

bool SchedulerCache::IsAssumed(const std::string& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = pods_.find(key);
  return it != pods_.end() && it->second.assumed;
}

bool SchedulerCache::Has(const std::string& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  return pods_.count(key) > 0;
}

void SchedulerCache::AssumePod(std::shared_ptr<const PodInfo> pod) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string key = KeyOf(*pod);
  auto it = pods_.find(key);
  if (it != pods_.end()) RemoveFromNodeLocked(*it->second.pod);
  PodState& s = pods_[key];
  s.pod = pod;
  s.assumed = true;
  s.binding_finished = false;
  AddToNodeLocked(std::move(pod));
}

void SchedulerCache::FinishBinding(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = pods_.find(key);
  if (it == pods_.end() || !it->second.assumed) return;
  it->second.binding_finished = true;
  it->second.deadline = Clock::now() + assumed_ttl_;
}

void SchedulerCache::ForgetPod(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = pods_.find(key);
  if (it == pods_.end() || !it->second.assumed) return;
  RemoveFromNodeLocked(*it->second.pod);
  pods_.erase(it);
}

size_t SchedulerCache::CleanupExpired(Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  for (auto it = pods_.begin(); it != pods_.end();) {
    const PodState& s = it->second;
    if (s.assumed && s.binding_finished && s.deadline <= now) {
      RemoveFromNodeLocked(*s.pod);
      it = pods_.erase(it);
      ++n;
    } else {
      ++it;
    }
  }
  return n;
}

void SchedulerCache::SetNamespaceLabels(
    const std::string& ns, std::map<std::string, std::string> labels) {
  std::lock_guard<std::mutex> lock(mu_);
  namespaces_[ns] = std::move(labels);
}

void SchedulerCache::RemoveNamespace(const std::string& ns) {
  std::lock_guard<std::mutex> lock(mu_);
  namespaces_.erase(ns);
}

std::map<std::string, std::string> SchedulerCache::NamespaceLabelsLocked(
    const std::string& ns) const {
  auto it = namespaces_.find(ns);
  return it == namespaces_.end() ? std::map<std::string, std::string>{}
                                 : it->second;
}

std::vector<const NodeInfo*> SchedulerCache::NodesWithAffinityPodsLocked()
    const {
  std::vector<const NodeInfo*> out;
  if (affinity_pods_ == 0) return out;
  for (const NodeInfo* n : list_) {
    if (!n->pods_with_affinity.empty()) out.push_back(n);
  }
  return out;
}

std::vector<const NodeInfo*>
SchedulerCache::NodesWithRequiredAntiAffinityPodsLocked() const {
  std::vector<const NodeInfo*> out;
  if (anti_affinity_pods_ == 0) return out;
  for (const NodeInfo* n : list_) {
    if (!n->pods_with_required_anti_affinity.empty()) out.push_back(n);
  }
  return out;
}

size_t SchedulerCache::NodeCount() const {
  std::lock_guard<std::mutex> lock(mu_);
  return list_.size();
}

size_t SchedulerCache::PodCount() const {
  std::lock_guard<std::mutex> lock(mu_);
  return pods_.size();
}

}  // namespace berth::scheduler
