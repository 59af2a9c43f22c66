// DependencyGraph: the garbage collector's picture of who owns whom, keyed
// by uid, like kube-controller-manager's GC graph. It holds a node only for
// an object that has ownerReferences, is named as an owner by another
// object, or is being deleted with a GC finalizer; every other object costs
// nothing. A node named as an owner but not (or no longer) observed is
// "virtual": it has dependents but no store key.
//
// Observe/Remove apply one watch event and report the work it causes: uids
// whose ownership must be checked (AttemptToDelete) and owners whose
// dependents must be orphaned (AttemptToOrphan). The graph never reads the
// store; the collector verifies every decision against the latest object.
//
// Thread safety: none; the collector guards it with a mutex.
#ifndef BERTH_KERNEL_GC_DEPENDENCY_GRAPH_H_
#define BERTH_KERNEL_GC_DEPENDENCY_GRAPH_H_

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "kernel/gc/ownership.h"

namespace berth::gc {

// What a graph change asks the collector to do (uids, possibly repeated).
struct GraphWork {
  std::vector<std::string> attempt_to_delete;
  std::vector<std::string> attempt_to_orphan;
};

// A dependent as its owner sees it.
struct DependentInfo {
  std::string uid;
  std::string key;            // store key; "" when virtual
  bool blocks_owner = false;  // its reference has blockOwnerDeletion
  bool deleting_dependents = false;
};

class DependencyGraph {
 public:
  // The object at store key `key` was added or modified. The first time an
  // object is observed its owners are checked and its GC finalizers acted
  // on, so replaying a start-up list needs nothing special.
  void Observe(const std::string& key, const Ownership& o, GraphWork* work);
  // The object was deleted; `o` is its final state.
  void Remove(const Ownership& o, GraphWork* work);

  // The store key of `uid`; nullopt when the graph has no observed node.
  std::optional<std::string> KeyOf(const std::string& uid) const;
  // The dependents of `uid` (empty when unknown).
  std::vector<DependentInfo> Dependents(const std::string& uid) const;

  // Nodes held, virtual ones included (memory check).
  size_t size() const { return nodes_.size(); }

 private:
  struct Node {
    std::string key;  // "" while virtual
    std::vector<OwnerReference> owners;
    std::unordered_set<std::string> dependents;
    bool deleting_dependents = false;
    bool orphaning = false;
  };

  // Drops `uid` if nothing about it needs remembering.
  void Prune(const std::string& uid);
  // `dependent` no longer references `owner_uid` as blocking (or at all).
  void Unlink(const std::string& owner_uid, const std::string& dependent,
              bool remove, GraphWork* work);

  std::unordered_map<std::string, Node> nodes_;
};

}  // namespace berth::gc

#endif  // BERTH_KERNEL_GC_DEPENDENCY_GRAPH_H_
