// OwnerRefs: the controller ownerReference a workload controller stamps on
// what it creates, and reading which controller owns an object. The
// kernel's garbage collector deletes owned objects through these references
// and the controller manager maps owned objects back to their owner.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_WORKLOADS_OWNER_REFS_H_
#define BERTH_PLUGINS_WORKLOADS_OWNER_REFS_H_

#include <string>

#include "berth/json.h"

namespace berth::workloads {

// {"apiVersion":..,"kind":..,"name":..,"uid":..,"controller":true,
//  "blockOwnerDeletion":true} for `owner` (a full object).
Json ControllerRef(const Json& owner, JsonAlloc& alloc);

// Sets metadata.ownerReferences of `obj` to [ControllerRef(owner)].
void SetControllerRef(Json& obj, const Json& owner, JsonAlloc& alloc);

// The uid in obj's controller ownerReference, "" when it has none.
std::string ControllerUid(const Json& obj);

}  // namespace berth::workloads

#endif  // BERTH_PLUGINS_WORKLOADS_OWNER_REFS_H_
