// Managed fields: an object's `metadata.managedFields`, the list of
// managers and the fields each one owns, as metav1.ManagedFieldsEntry
// encodes them:
//   {manager, operation: Apply|Update, apiVersion, time,
//    fieldsType: FieldsV1, fieldsV1, subresource?}
// Two entries are the same manager when name, operation and subresource
// match and, for Update operations, the apiVersion too (an applier keeps
// one entry across versions, as in the apiserver).
//
// Thread safety: value types and pure functions.
#ifndef BERTH_KERNEL_API_APPLY_MANAGED_FIELDS_H_
#define BERTH_KERNEL_API_APPLY_MANAGED_FIELDS_H_

#include <string>
#include <vector>

#include "berth/json.h"
#include "berth/status.h"
#include "kernel/api/apply/field_set.h"

namespace berth::apply {

inline constexpr char kOperationApply[] = "Apply";
inline constexpr char kOperationUpdate[] = "Update";

struct ManagedFieldsEntry {
  std::string manager;
  std::string operation;  // kOperationApply or kOperationUpdate
  std::string api_version;
  std::string time;  // RFC 3339, seconds
  std::string subresource;
  FieldSet fields;

  bool SameManager(const ManagedFieldsEntry& other) const;
};

using ManagedFields = std::vector<ManagedFieldsEntry>;

// The entries of `obj`'s metadata.managedFields; empty when it has none.
// BadRequest when the member is not a list of entries with a manager, an
// operation and a FieldsV1 fieldsType.
StatusOr<ManagedFields> DecodeManagedFields(const Json& obj);

// Writes `entries` into obj.metadata.managedFields in the apiserver's order
// (Apply before Update, then oldest first, then by manager), dropping the
// entries that own nothing; removes the member when none is left. `obj`
// must be an object; `a` is its allocator.
void EncodeManagedFields(ManagedFields entries, Json& obj, JsonAlloc& a);

}  // namespace berth::apply

#endif  // BERTH_KERNEL_API_APPLY_MANAGED_FIELDS_H_
