// JSON merge patch (RFC 7386, content type application/merge-patch+json):
// a patch object merges into the target member by member, `null` deletes a
// member, and any non-object value replaces what it lands on.
//
// Thread safety: none of its own; the caller owns both values and must not
// use them from another thread during the call.
#ifndef BERTH_KERNEL_API_PATCH_JSON_MERGE_PATCH_H_
#define BERTH_KERNEL_API_PATCH_JSON_MERGE_PATCH_H_

#include "berth/json.h"

namespace berth::patch {

// Applies `patch` to `target` in place; cannot fail. Values taken from the
// patch are deep-copied with `alloc`, which must be the allocator owning
// `target`. A non-object patch replaces the whole target, as the RFC says;
// callers that need an object (API objects) check the patch first.
// Strings the patch holds by reference (rapidjson::StringRef) are shared,
// not copied; patches parsed from text hold none.
void ApplyMergePatch(const Json& patch, Json& target, JsonAlloc& alloc);

}  // namespace berth::patch

#endif  // BERTH_KERNEL_API_PATCH_JSON_MERGE_PATCH_H_
