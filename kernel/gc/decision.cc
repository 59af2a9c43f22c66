#include "kernel/gc/decision.h"

namespace berth::gc {

Decision DecideForDependent(const Ownership& o,
                            const std::vector<OwnerState>& states,
                            bool has_dependents,
                            bool dependent_deleting_dependents) {
  Decision d;
  if (o.owners.empty() || states.size() != o.owners.size()) return d;
  bool solid = false;
  bool waiting = false;
  std::vector<std::string> stale;
  for (size_t i = 0; i < states.size(); ++i) {
    switch (states[i]) {
      case OwnerState::kUnresolvable:
        return d;
      case OwnerState::kSolid:
        solid = true;
        break;
      case OwnerState::kWaitingForDependents:
        waiting = true;
        stale.push_back(o.owners[i].uid);
        break;
      case OwnerState::kDangling:
        stale.push_back(o.owners[i].uid);
        break;
    }
  }
  if (solid) {
    if (!stale.empty()) {
      d.action = Decision::Action::kRemoveOwnerReferences;
      d.remove_uids = std::move(stale);
    }
    return d;
  }
  d.action = Decision::Action::kDelete;
  if (waiting && has_dependents) {
    d.propagation = api::Propagation::kForeground;
    d.unblock_first = dependent_deleting_dependents;
  } else if (o.orphan_finalizer) {
    d.propagation = api::Propagation::kOrphan;
  } else if (o.foreground_finalizer) {
    d.propagation = api::Propagation::kForeground;
  }
  return d;
}

}  // namespace berth::gc
