// Ownership: the few fields of an object the garbage collector reads — its
// identity, its metadata.ownerReferences, and whether it is being deleted
// with the `orphan` or `foregroundDeletion` finalizer. Parsed once per
// watch event so the collector never keeps whole objects.
//
// Thread safety: plain values and pure functions.
#ifndef BERTH_KERNEL_GC_OWNERSHIP_H_
#define BERTH_KERNEL_GC_OWNERSHIP_H_

#include <string>
#include <string_view>
#include <vector>

#include "berth/json.h"

namespace berth::gc {

// One metadata.ownerReferences entry.
struct OwnerReference {
  std::string api_version;  // "v1", "apps/v1"
  std::string kind;         // "ConfigMap"
  std::string name;
  std::string uid;
  bool controller = false;
  bool block_owner_deletion = false;

  // "apps/v1" -> "apps", "v1" -> "".
  std::string Group() const;
  std::string Version() const;
};

struct Ownership {
  std::string uid;
  std::string ns;  // "" for cluster-scoped objects
  std::string name;
  std::vector<OwnerReference> owners;
  bool being_deleted = false;  // metadata.deletionTimestamp is set
  bool orphan_finalizer = false;
  bool foreground_finalizer = false;

  // Being deleted in foreground: waits for its blocking dependents.
  bool DeletingDependents() const {
    return being_deleted && foreground_finalizer;
  }
  // Being deleted with Orphan: its dependents must drop their references.
  bool Orphaning() const { return being_deleted && orphan_finalizer; }
  // The reference to `owner_uid`, or nullptr.
  const OwnerReference* RefTo(std::string_view owner_uid) const;
};

// Reads the ownership fields of an object; entries without a uid are
// skipped (the apiserver would have refused them). Never fails: a field of
// the wrong type reads as absent.
Ownership ParseOwnership(const Json& obj);
// Same, from JSON text; an unparsable text gives an empty Ownership (no uid).
Ownership ParseOwnership(std::string_view json);

}  // namespace berth::gc

#endif  // BERTH_KERNEL_GC_OWNERSHIP_H_
