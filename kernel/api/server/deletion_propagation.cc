#include "kernel/api/server/deletion_propagation.h"

#include <algorithm>

#include "berth/kind.h"

namespace berth::api {

StatusOr<Propagation> ParsePropagation(const std::string& policy,
                                       std::optional<bool> orphan_dependents) {
  const char kPrefix[] = "DeleteOptions.meta.k8s.io \"\" is invalid: ";
  if (orphan_dependents && !policy.empty()) {
    FieldCause c = field::Invalid(
        "propagationPolicy", policy,
        "orphanDependents and deletionPropagation cannot be both set");
    return Status::Invalid(kPrefix + c.field + ": " + c.message, {c});
  }
  if (orphan_dependents) {
    return *orphan_dependents ? Propagation::kOrphan : Propagation::kBackground;
  }
  if (policy.empty()) return Propagation::kUnset;
  if (policy == "Background") return Propagation::kBackground;
  if (policy == "Foreground") return Propagation::kForeground;
  if (policy == "Orphan") return Propagation::kOrphan;
  FieldCause c = field::NotSupported("propagationPolicy", policy,
                                     {"Foreground", "Background", "Orphan"});
  return Status::Invalid(kPrefix + c.field + ": " + c.message, {c});
}

std::vector<std::string> FinalizersForDeletion(
    const std::vector<std::string>& finalizers, Propagation propagation) {
  auto has = [&finalizers](const char* f) {
    return std::find(finalizers.begin(), finalizers.end(), f) !=
           finalizers.end();
  };
  bool orphan = false;
  bool foreground = false;
  switch (propagation) {
    case Propagation::kOrphan:
      orphan = true;
      break;
    case Propagation::kForeground:
      foreground = true;
      break;
    case Propagation::kBackground:
      break;
    case Propagation::kUnset:
      // An earlier DELETE's choice stands; orphan wins as in Kubernetes.
      orphan = has(kOrphanFinalizer);
      foreground = !orphan && has(kForegroundDeletionFinalizer);
      break;
  }
  std::vector<std::string> out;
  for (const auto& f : finalizers) {
    if (f != kOrphanFinalizer && f != kForegroundDeletionFinalizer) {
      out.push_back(f);
    }
  }
  if (orphan) out.push_back(kOrphanFinalizer);
  if (foreground) out.push_back(kForegroundDeletionFinalizer);
  return out;
}

}  // namespace berth::api
