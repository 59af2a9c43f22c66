// SchedulerCache: the nodes and the pods placed on them, as the scheduler
// believes them to be. Bound pods come from the pod watch; a pod the
// scheduler decided on is "assumed" on its node at once (so the next pod
// sees the space taken) and confirmed when the watch shows it bound. An
// assumed pod whose binding finished but was never confirmed expires after
// a TTL, like kube-scheduler's cache. Nodes not (or no longer) in the API
// but holding pods stay as ghosts outside the snapshot.
//
// Thread safety: every method locks; a scheduling cycle holds Lock() while
// it reads Nodes() and the NodeInfos, so they do not change under it.
#ifndef BERTH_PLUGINS_SCHEDULER_RUNTIME_SCHEDULER_CACHE_H_
#define BERTH_PLUGINS_SCHEDULER_RUNTIME_SCHEDULER_CACHE_H_

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "berth/scheduler.h"

namespace berth::scheduler {

class SchedulerCache {
 public:
  using Clock = std::chrono::steady_clock;
  explicit SchedulerCache(
      std::chrono::milliseconds assumed_ttl = std::chrono::seconds(30));

  // Adds a node or updates its labels, taints, allocatable and
  // unschedulable flag (its pods stay). Returns whether anything scheduling
  // looks at changed (heartbeats change nothing).
  bool AddOrUpdateNode(NodeInfo node);
  void RemoveNode(const std::string& name);

  // A pod bound to pod->node_name as the API shows it (confirms an assumed
  // one; moves it if the node changed).
  void AddOrUpdateBoundPod(std::shared_ptr<const PodInfo> pod);
  // Deleted or finished: its resources are free.
  void RemovePod(const std::string& key);
  // Whether the pod is assumed and not yet confirmed or forgotten.
  bool IsAssumed(const std::string& key) const;
  // Whether the cache holds the pod (bound or assumed).
  bool Has(const std::string& key) const;

  // Places `pod` (node_name set to the chosen node) before binding.
  void AssumePod(std::shared_ptr<const PodInfo> pod);
  // The bind call returned: the TTL for confirmation starts.
  void FinishBinding(const std::string& key);
  // Binding failed: the assumed pod is removed.
  void ForgetPod(const std::string& key);
  // Removes assumed pods whose TTL passed; returns how many.
  size_t CleanupExpired(Clock::time_point now);

  void SetNamespaceLabels(const std::string& ns,
                          std::map<std::string, std::string> labels);
  void RemoveNamespace(const std::string& ns);
  // Caller holds Lock (a scheduling cycle does).
  std::map<std::string, std::string> NamespaceLabelsLocked(
      const std::string& ns) const;

  // Held by a scheduling cycle while it reads the nodes.
  std::unique_lock<std::mutex> Lock() const {
    return std::unique_lock<std::mutex>(mu_);
  }
  // The nodes in the API (not ghosts), in a stable order. Caller holds Lock.
  const std::vector<const NodeInfo*>& NodesLocked() const { return list_; }
  std::vector<const NodeInfo*> NodesWithAffinityPodsLocked() const;
  std::vector<const NodeInfo*> NodesWithRequiredAntiAffinityPodsLocked() const;
  size_t NodeCount() const;
  size_t PodCount() const;

 private:
  struct NodeEntry {
    NodeInfo info;
    bool in_api = false;
  };
  struct PodState {
    std::shared_ptr<const PodInfo> pod;
    bool assumed = false;
    bool binding_finished = false;
    Clock::time_point deadline;
  };

  void AddToNodeLocked(std::shared_ptr<const PodInfo> pod);
  void RemoveFromNodeLocked(const PodInfo& pod);
  void RebuildListLocked();

  const std::chrono::milliseconds assumed_ttl_;
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<NodeEntry>> nodes_;
  std::vector<const NodeInfo*> list_;
  // Pods with (anti-)affinity / required anti-affinity anywhere: when none,
  // the walks over every node for them are skipped.
  size_t affinity_pods_ = 0;
  size_t anti_affinity_pods_ = 0;
  std::unordered_map<std::string, PodState> pods_;
  std::map<std::string, std::map<std::string, std::string>> namespaces_;
};

}  // namespace berth::scheduler

#endif  // BERTH_PLUGINS_SCHEDULER_RUNTIME_SCHEDULER_CACHE_H_
