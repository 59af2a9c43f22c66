// Strategic merge patch (content type application/strategic-merge-patch+json)
// as k8s.io/apimachinery/pkg/util/strategicpatch applies it: maps merge
// recursively and `null` deletes a key; a list whose field has a merge key
// merges element-wise by that key (patch elements merge into the element
// with the same key value, new ones are added), other lists are replaced.
// Directives: `$patch: replace|delete` on a map or a list element,
// `$retainKeys`, `$setElementOrder/<list>` and
// `$deleteFromPrimitiveList/<list>`. Directive keys never reach the result.
//
// Thread safety: none of its own; the caller owns both values and must not
// use them from another thread during the call.
#ifndef BERTH_KERNEL_API_PATCH_STRATEGIC_MERGE_PATCH_H_
#define BERTH_KERNEL_API_PATCH_STRATEGIC_MERGE_PATCH_H_

#include <functional>
#include <optional>
#include <string>

#include "berth/json.h"
#include "berth/status.h"

namespace berth::patch {

// The merge strategy of the list at `dotted_path`, member names from the
// object root without indexes ("spec.containers",
// "spec.template.spec.containers.ports"):
//   nullopt    the list is replaced by the patch's list;
//   "name"     a list of objects merged by that key;
//   ""         a list of primitives merged as a set (metadata.finalizers).
// BerthKind::MergeKey has this shape.
using MergeKeyFn =
    std::function<std::optional<std::string>(const std::string& dotted_path)>;

// Applies `patch` (a JSON object) to `target` (a JSON object), all or
// nothing: on failure `target` is left as it was. Values are deep-copied
// with `alloc`, the allocator owning `target`; `merge_key` is called during
// the call only.
// Failures: BadRequest when either value is not an object or a directive is
// malformed (unknown `$patch` value, a `$retainKeys` list not naming every
// patched key, a `$setElementOrder` list that disagrees with the patch list,
// a merged list element without its merge key, a list of objects merged
// with no key); Invalid for lists of lists, which the format cannot express.
//
// `$patch: merge` is accepted as the (default) merge on a map and ignored as
// a list element; apimachinery rejects it in both places.
// Strings the patch holds by reference (rapidjson::StringRef) are shared,
// not copied; patches parsed from text hold none.
Status ApplyStrategicMergePatch(const Json& patch, Json& target,
                                JsonAlloc& alloc, const MergeKeyFn& merge_key);

}  // namespace berth::patch

#endif  // BERTH_KERNEL_API_PATCH_STRATEGIC_MERGE_PATCH_H_
