// Decision: what the garbage collector does with an object that has owner
// references, given what it found about each owner — the rules of
// kube-controller-manager's attemptToDeleteItem:
//  - an owner that exists (same uid) and is not being deleted in foreground
//    is "solid"; one that is gone, or was recreated under a new uid, or is a
//    namespaced owner missing from the dependent's namespace, is "dangling";
//    one deleting in foreground is "waiting" for its dependents;
//  - with a solid owner the object stays, and only its references to
//    dangling and waiting owners are removed;
//  - with no solid owner but a waiting one, an object that has dependents of
//    its own is deleted in foreground (so the wait is transitive); first its
//    own blocking references are made non-blocking if one of its dependents
//    is itself deleting in foreground, which would otherwise be a cycle;
//  - otherwise it is deleted, with the policy its own GC finalizers ask for
//    (orphan, foreground) or in background;
//  - an owner that cannot be resolved (unknown kind, or a namespaced owner
//    of a cluster-scoped object) means nothing is done, never a deletion.
//
// Thread safety: a pure function.
#ifndef BERTH_KERNEL_GC_DECISION_H_
#define BERTH_KERNEL_GC_DECISION_H_

#include <string>
#include <vector>

#include "kernel/api/server/deletion_propagation.h"
#include "kernel/gc/ownership.h"

namespace berth::gc {

enum class OwnerState {
  kSolid,
  kDangling,
  kWaitingForDependents,
  kUnresolvable
};

struct Decision {
  enum class Action { kNone, kRemoveOwnerReferences, kDelete };
  Action action = Action::kNone;
  // kRemoveOwnerReferences: the owner uids to drop.
  std::vector<std::string> remove_uids;
  // kDelete: the propagation to delete with, and whether to make the
  // object's own references non-blocking first.
  api::Propagation propagation = api::Propagation::kBackground;
  bool unblock_first = false;
};

// `states[i]` is the state of `o.owners[i]`. `has_dependents`: the object
// owns something; `dependent_deleting_dependents`: one of those is itself
// deleting in foreground.
Decision DecideForDependent(const Ownership& o,
                            const std::vector<OwnerState>& states,
                            bool has_dependents,
                            bool dependent_deleting_dependents);

}  // namespace berth::gc

#endif  // BERTH_KERNEL_GC_DECISION_H_
