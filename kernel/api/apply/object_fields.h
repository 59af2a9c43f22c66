// Object fields: an object's JSON seen as a FieldSet — the fields an object
// sets, the fields that changed between two versions of it, and removing a
// set of fields from it. Lists follow the kind's merge keys (Kind::MergeKey
// via patch::MergeKeyFn): a list with a key is associative, its items are
// "k:" elements; a list merged as a set of scalars has "v:" items; any
// other list is atomic, one field as a whole.
//
// Thread safety: pure functions; the caller owns the values.
#ifndef BERTH_KERNEL_API_APPLY_OBJECT_FIELDS_H_
#define BERTH_KERNEL_API_APPLY_OBJECT_FIELDS_H_

#include "berth/json.h"
#include "kernel/api/apply/field_set.h"
#include "kernel/api/patch/strategic_merge_patch.h"

namespace berth::apply {

// The fields an applied configuration sets, as structured-merge-diff's
// ToFieldSet: scalars, nulls, empty maps, atomic lists and list items are
// members; maps that hold something are reached through their members only.
FieldSet FieldsOf(const Json& obj, const patch::MergeKeyFn& merge_key);

// What changed from `before` to `after`. A path that appears is added along
// with every path beneath it (a new map is itself a member), a scalar or
// atomic list that differs is modified, a path that disappears is removed.
// metadata, spec and status exist in every object, so they are never
// members themselves.
struct FieldChanges {
  FieldSet added;
  FieldSet modified;
  FieldSet removed;
};
FieldChanges CompareObjects(const Json& before, const Json& after,
                            const patch::MergeKeyFn& merge_key);

// Removes from `obj` each path of `remove`, unless `keep` holds a path at
// or beneath it (then only what is beneath it and not kept goes). Paths
// that `obj` does not have are skipped.
void RemoveFields(Json& obj, const FieldSet& remove, const FieldSet& keep);

}  // namespace berth::apply

#endif  // BERTH_KERNEL_API_APPLY_OBJECT_FIELDS_H_
