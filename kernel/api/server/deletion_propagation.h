// Deletion propagation: how DELETE's propagationPolicy / orphanDependents
// become the garbage-collection finalizers on the deleted object, as the
// apiserver's generic registry does. Foreground adds `foregroundDeletion`
// (the object stays until the collector has removed its blocking
// dependents), Orphan adds `orphan` (the collector first strips the object
// from its dependents' ownerReferences), Background removes both (the object
// goes now; the collector deletes the dependents afterwards). Without an
// explicit policy, a finalizer already on the object is kept.
//
// Thread safety: pure functions.
#ifndef BERTH_KERNEL_API_SERVER_DELETION_PROPAGATION_H_
#define BERTH_KERNEL_API_SERVER_DELETION_PROPAGATION_H_

#include <optional>
#include <string>
#include <vector>

#include "berth/status.h"

namespace berth::api {

inline constexpr char kOrphanFinalizer[] = "orphan";
inline constexpr char kForegroundDeletionFinalizer[] = "foregroundDeletion";

enum class Propagation { kUnset, kBackground, kForeground, kOrphan };

// Parses DeleteOptions' `propagationPolicy` ("" is kUnset) together with the
// deprecated `orphanDependents`. Invalid (422, Kubernetes' wording) for an
// unknown policy or when both are set.
StatusOr<Propagation> ParsePropagation(const std::string& policy,
                                       std::optional<bool> orphan_dependents);

// The finalizers `finalizers` become when the object is deleted with
// `propagation`: other finalizers keep their order, the GC finalizer the
// policy asks for is appended.
std::vector<std::string> FinalizersForDeletion(
    const std::vector<std::string>& finalizers, Propagation propagation);

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_DELETION_PROPAGATION_H_
