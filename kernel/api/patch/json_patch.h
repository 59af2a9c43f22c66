// JSON patch (RFC 6902, content type application/json-patch+json): a list of
// add/remove/replace/move/copy/test operations addressed by JSON pointers
// (RFC 6901: "~1" is "/", "~0" is "~", "-" is one past an array's end).
//
// Thread safety: none of its own; the caller owns both values and must not
// use them from another thread during the call.
#ifndef BERTH_KERNEL_API_PATCH_JSON_PATCH_H_
#define BERTH_KERNEL_API_PATCH_JSON_PATCH_H_

#include "berth/json.h"
#include "berth/status.h"

namespace berth::patch {

// Applies every operation of `patch` (a JSON array) to `target`, all or
// nothing: on failure `target` is left as it was. Values are deep-copied
// with `alloc`, the allocator owning `target`.
// Failures: BadRequest when the patch document is malformed (not an array,
// an operation without a string "op"/"path", an unknown op, a missing
// "value"/"from", a pointer not starting with "/"); Invalid (422, as the
// Kubernetes API answers) when an operation does not apply: a failed
// "test", a path or index that does not exist, moving a value into itself.
// Strings the patch holds by reference (rapidjson::StringRef) are shared,
// not copied; patches parsed from text hold none.
Status ApplyJsonPatch(const Json& patch, Json& target, JsonAlloc& alloc);

}  // namespace berth::patch

#endif  // BERTH_KERNEL_API_PATCH_JSON_PATCH_H_
