// Field manager: who owns which field of an object, kept in
// `metadata.managedFields` on every write, and server-side apply on top of
// it, as the apiserver's FieldManager and structured-merge-diff's Updater
// do it.
//
//  - An Update (create, PUT, json/merge/strategic patch) gives its manager
//    the fields it added or changed and takes them from every other
//    manager; removed fields leave every owner.
//  - An Apply makes the applied configuration's fields the applier's set,
//    removes from the object the fields the applier owned before and no
//    longer applies unless another manager owns them, and refuses to
//    change a field another manager owns (409 Conflict) unless forced, in
//    which case the other manager loses it. kubectl's own applier
//    ("kubectl") may take the fields its client-side apply annotation
//    (last-applied-configuration) still describes, so moving from
//    `kubectl apply` to `kubectl apply --server-side` needs no force.
//  - A manager's timestamp moves only when it changes something (an
//    updater's fields, an applier's object or set), so a write that
//    changes nothing leaves managedFields byte-for-byte alone.
//
// Fields the server owns (apiVersion, kind, metadata.name/namespace/uid/
// resourceVersion/generation/creationTimestamp/managedFields…) are never
// tracked, nor is status on the main resource of a kind with a status
// subresource, nor anything but status through that subresource.
//
// Thread safety: pure functions; the caller owns the values.
#ifndef BERTH_KERNEL_API_APPLY_FIELD_MANAGER_H_
#define BERTH_KERNEL_API_APPLY_FIELD_MANAGER_H_

#include <string>

#include "berth/json.h"
#include "berth/status.h"
#include "kernel/api/apply/field_set.h"
#include "kernel/api/patch/strategic_merge_patch.h"

namespace berth::apply {

// Who writes, and how the kind lays out its object.
struct WriteContext {
  std::string manager;              // the request's field manager
  std::string api_version;          // "v1", "apps/v1"
  std::string subresource;          // "", "status", "scale"
  bool status_subresource = false;  // the kind serves status separately
  patch::MergeKeyFn merge_key;      // the kind's list merge keys
  std::string now;                  // RFC 3339 time of the write
};

// The part of `fields` the field manager tracks for a write through
// `ctx.subresource` (see the header comment).
FieldSet TrackedFields(FieldSet fields, const WriteContext& ctx);

// Records an Update by ctx.manager that turned `before` (null: a create)
// into `after`, in after.metadata.managedFields. The entries start from the
// ones `after` carries when it carries valid ones (a client may rewrite
// managedFields, as kubectl does when it upgrades client-side apply
// ownership) and from `before`'s otherwise. `a` is `after`'s allocator.
void RecordUpdate(const Json* before, Json& after, JsonAlloc& a,
                  const WriteContext& ctx);

// Checks an applied configuration the way the apiserver does: BadRequest
// when its apiVersion is not ctx.api_version or it carries managedFields.
Status CheckAppliedConfig(const Json& config, const WriteContext& ctx);

// The applied configuration without the metadata the server owns, which an
// applier cannot set.
JsonDoc AppliedConfig(const Json& config);

// Records, for an object created by an apply of `config`, the applier's
// entry in obj.metadata.managedFields (replacing any). `a` is `obj`'s
// allocator.
void RecordApplyCreate(const Json& config, Json& obj, JsonAlloc& a,
                       const WriteContext& ctx);

// Server-side apply of `config` (already through AppliedConfig) over
// `live`: the merged object with its managedFields updated. Conflict (409,
// causes of type FieldManagerConflict, worded as the apiserver words them)
// when it would change fields other managers own and `force` is false;
// BadRequest when the configuration cannot be merged.
StatusOr<JsonDoc> ApplyConfig(const Json& live, const Json& config,
                              const WriteContext& ctx, bool force);

}  // namespace berth::apply

#endif  // BERTH_KERNEL_API_APPLY_FIELD_MANAGER_H_
