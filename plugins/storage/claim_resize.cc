#include "claim_resize.h"

#include "storage_fields.h"

namespace berth::storage {

Status ClaimResize::Admit(const AdmissionRequest& req, Json& obj,
                          JsonAlloc& alloc) {
  if (req.operation != AdmissionRequest::Operation::kUpdate ||
      !req.subresource.empty() || !req.resource.group.empty() ||
      req.resource.resource != "persistentvolumeclaims" || !req.old_object) {
    return {};
  }
  const Json& old = *req.old_object;
  auto old_size = StorageSize(Find(old, {"spec", "resources", "requests"}));
  auto new_size = StorageSize(Find(obj, {"spec", "resources", "requests"}));
  if (!old_size || !new_size || *new_size <= *old_size) return {};
  const std::string forbidden =
      "persistentvolumeclaims \"" + req.name + "\" is forbidden: ";
  if (GetString(old, {"status", "phase"}) != "Bound") {
    return Status::Forbidden(forbidden +
                             "Only bound persistent volume claims can be "
                             "expanded");
  }
  bool allowed = false;
  if (const std::string cls = ClaimClass(old); !cls.empty()) {
    auto sc = client_->Get({"storage.k8s.io", "v1", "storageclasses"}, "", cls);
    if (sc.ok()) {
      auto doc = ParseJson(*sc);
      const Json* expand =
          doc.ok() ? Member(*doc, "allowVolumeExpansion") : nullptr;
      allowed = expand && expand->IsBool() && expand->GetBool();
    }
  }
  if (allowed) return {};
  return Status::Forbidden(forbidden +
                           "only dynamically provisioned pvc can be resized "
                           "and the storageclass that provisions the pvc must "
                           "support resize");
}

}  // namespace berth::storage
