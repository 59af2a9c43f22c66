// What ResourceService's create, update and delete paths share about
// stored objects: reading the stored bytes, the comparisons that decide
// whether a write changes anything (generation, no-op updates), the
// metadata a client may not change, finalizer lists, the type-meta check,
// and the compare-and-swap step of the update loop with its retry marker.
//
// Thread safety: pure functions over their arguments (the store calls are
// the store's own thread safety).
#ifndef BERTH_KERNEL_API_SERVER_STORED_OBJECT_OPS_H_
#define BERTH_KERNEL_API_SERVER_STORED_OBJECT_OPS_H_

#include <optional>
#include <string>
#include <vector>

#include "berth/json.h"
#include "berth/kind.h"
#include "berth/status.h"
#include "kernel/api/apply/field_manager.h"
#include "kernel/api/server/resource_service.h"
#include "kernel/api/server/stamped_object.h"
#include "kernel/store/store.h"

namespace berth::api::object_ops {

// How many lost compare-and-swaps an update retries before giving up.
inline constexpr int kMaxUpdateAttempts = 16;

// The 409 detail Kubernetes gives a stale resourceVersion.
inline constexpr char kModifiedDetail[] =
    "the object has been modified; please apply your changes to the latest "
    "version and try again";

// A deep copy with its own allocator.
JsonDoc Copy(const Json& v);
// The stored object's JSON; Internal when the bytes are not an object.
StatusOr<JsonDoc> Parse(const store::Object& o);
// The members other than metadata and status (what `generation` tracks)
// are equal.
bool SpecEqual(const Json& a, const Json& b);
// Equal apart from resourceVersion; managedFields count.
bool SameObject(const Json& a, const Json& b);
// The field-manager context of a write through `subresource`.
apply::WriteContext FieldContext(const Kind& kind,
                                 const std::string& subresource,
                                 const WriteOptions& opts);
bool HasFinalizers(const Json& obj);
std::vector<std::string> FinalizersOf(const Json& obj);
// Replaces metadata.finalizers; an empty list removes the member.
void SetFinalizers(JsonDoc& obj, const std::vector<std::string>& finalizers);
// Copies into `obj` the metadata a client cannot change on update (uid,
// creationTimestamp, generation, deletion fields, namespace, name).
void KeepSystemMetadata(const Json& old, Json& obj, JsonAlloc& a);
// Fills apiVersion and kind; BadRequest when the body names others.
Status CheckTypeMeta(const Kind& kind, Json& obj, JsonAlloc& a);
// Writes `stamped` over `key` if nobody wrote it since revision `seen`;
// otherwise fails with the retry marker (IsRetry) and leaves the newer
// state in `*newer`, so the caller's next attempt starts from it.
StatusOr<store::Object> CompareAndWrite(store::Store* store,
                                        const std::string& key, uint64_t seen,
                                        const StampedObject& stamped,
                                        const store::Attrs& attrs,
                                        std::optional<store::Object>* newer);
// Whether `s` is CompareAndWrite's lost race (retried, never returned).
bool IsRetry(const Status& s);
// The lost-race status, for other compare-and-swap steps (deletion).
Status RetryStatus();
// The state an update attempt starts from: `*newer` when the last
// compare-and-swap lost (then cleared), else the store's read cache.
StatusOr<store::Object> Current(store::Store* store, const std::string& key,
                                std::optional<store::Object>* newer);

}  // namespace berth::api::object_ops

#endif  // BERTH_KERNEL_API_SERVER_STORED_OBJECT_OPS_H_
