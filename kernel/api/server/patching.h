// Patching: the four PATCH content types applied to a stored object, and the
// autoscaling/v1 Scale view of an object for the scale subresource.
//
// Thread safety: pure functions.
#ifndef BERTH_KERNEL_API_SERVER_PATCHING_H_
#define BERTH_KERNEL_API_SERVER_PATCHING_H_

#include <string>
#include <string_view>

#include "berth/json.h"
#include "berth/kind.h"
#include "berth/status.h"
#include "kernel/api/server/resource_service.h"

namespace berth::api {

// Parses a patch body: JSON for json/merge/strategic patches, YAML or JSON
// for apply. BadRequest when malformed.
StatusOr<JsonDoc> ParsePatchBody(PatchType type, std::string_view body);

// Applies `patch` to `target` in place. Server-side apply is applied as a
// field-wise strategic merge of the applied configuration.
Status ApplyPatch(const Kind& kind, PatchType type, const Json& patch,
                  JsonDoc& target);

// {"kind":"Scale","apiVersion":"autoscaling/v1",...} for an object with
// spec.replicas, status.replicas and a label selector.
std::string BuildScale(const Json& obj);

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_PATCHING_H_
