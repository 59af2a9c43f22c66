#include "kernel/gc/dependency_graph.h"

namespace berth::gc {

void DependencyGraph::Observe(const std::string& key, const Ownership& o,
                              GraphWork* work) {
  if (o.uid.empty()) return;
  auto it = nodes_.find(o.uid);
  const bool gc_finalizer = o.DeletingDependents() || o.Orphaning();
  if (it == nodes_.end() && o.owners.empty() && !gc_finalizer) return;
  Node& n = nodes_[o.uid];
  const bool first_seen = n.key.empty();
  n.key = key;

  // Owners added: link them (virtual until observed) and check them.
  bool owners_added = false;
  for (const auto& ref : o.owners) {
    bool known = false;
    for (const auto& old : n.owners) known = known || old.uid == ref.uid;
    if (!known || first_seen) {
      nodes_[ref.uid].dependents.insert(o.uid);
      owners_added = true;
    }
  }
  // Owners dropped or no longer blocked by this object: a foreground owner
  // may now be free to go.
  const std::vector<OwnerReference> old_owners = n.owners;
  for (const auto& old : old_owners) {
    const OwnerReference* now = o.RefTo(old.uid);
    if (!now) {
      Unlink(old.uid, o.uid, /*remove=*/true, work);
    } else if (old.block_owner_deletion && !now->block_owner_deletion) {
      Unlink(old.uid, o.uid, /*remove=*/false, work);
    }
  }
  // Unlink may have pruned nodes; find this one again.
  Node& node = nodes_[o.uid];
  node.owners = o.owners;
  if (owners_added) work->attempt_to_delete.push_back(o.uid);

  if (o.Orphaning() && (!node.orphaning || first_seen)) {
    work->attempt_to_orphan.push_back(o.uid);
  }
  if (o.DeletingDependents() && (!node.deleting_dependents || first_seen)) {
    work->attempt_to_delete.push_back(o.uid);
    for (const auto& d : node.dependents) work->attempt_to_delete.push_back(d);
  }
  node.orphaning = o.Orphaning();
  node.deleting_dependents = o.DeletingDependents();
  Prune(o.uid);
}

void DependencyGraph::Remove(const Ownership& o, GraphWork* work) {
  auto it = nodes_.find(o.uid);
  if (it == nodes_.end()) return;
  std::vector<OwnerReference> owners = std::move(it->second.owners);
  it->second.owners.clear();
  it->second.key.clear();
  it->second.deleting_dependents = false;
  it->second.orphaning = false;
  for (const auto& d : it->second.dependents) {
    work->attempt_to_delete.push_back(d);
  }
  for (const auto& ref : owners) {
    Unlink(ref.uid, o.uid, /*remove=*/true, work);
  }
  Prune(o.uid);
}

void DependencyGraph::Unlink(const std::string& owner_uid,
                             const std::string& dependent, bool remove,
                             GraphWork* work) {
  auto it = nodes_.find(owner_uid);
  if (it == nodes_.end()) return;
  if (remove) it->second.dependents.erase(dependent);
  if (it->second.deleting_dependents) {
    work->attempt_to_delete.push_back(owner_uid);
  }
  Prune(owner_uid);
}

void DependencyGraph::Prune(const std::string& uid) {
  auto it = nodes_.find(uid);
  if (it == nodes_.end()) return;
  const Node& n = it->second;
  if (n.dependents.empty() && n.owners.empty() && !n.deleting_dependents &&
      !n.orphaning) {
    nodes_.erase(it);
  }
}

std::optional<std::string> DependencyGraph::KeyOf(
    const std::string& uid) const {
  auto it = nodes_.find(uid);
  if (it == nodes_.end() || it->second.key.empty()) return std::nullopt;
  return it->second.key;
}

std::vector<DependentInfo> DependencyGraph::Dependents(
    const std::string& uid) const {
  std::vector<DependentInfo> out;
  auto it = nodes_.find(uid);
  if (it == nodes_.end()) return out;
  for (const auto& d : it->second.dependents) {
    DependentInfo info;
    info.uid = d;
    if (auto dn = nodes_.find(d); dn != nodes_.end()) {
      info.key = dn->second.key;
      info.deleting_dependents = dn->second.deleting_dependents;
      for (const auto& ref : dn->second.owners) {
        if (ref.uid == uid && ref.block_owner_deletion)
          info.blocks_owner = true;
      }
    }
    out.push_back(std::move(info));
  }
  return out;
}

}  // namespace berth::gc
