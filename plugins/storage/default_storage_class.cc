#include "default_storage_class.h"

#include "storage_fields.h"
#include "validation.h"

namespace berth::storage {

using core::Str;

std::optional<std::string> DefaultClassName(const Json& list) {
  const Json* items = Member(list, "items");
  if (!items || !items->IsArray()) return std::nullopt;
  std::optional<std::string> best;
  std::string best_created;
  for (const auto& sc : items->GetArray()) {
    if (!IsDefaultClass(sc)) continue;
    const std::string name = Str(Find(sc, {"metadata", "name"}));
    // RFC 3339 timestamps in UTC compare as text.
    const std::string created =
        Str(Find(sc, {"metadata", "creationTimestamp"}));
    if (!best || created > best_created ||
        (created == best_created && name < *best)) {
      best = name;
      best_created = created;
    }
  }
  return best;
}

Status DefaultStorageClass::Admit(const AdmissionRequest& req, Json& obj,
                                  JsonAlloc& alloc) {
  if (req.operation != AdmissionRequest::Operation::kCreate ||
      !req.subresource.empty() || !req.resource.group.empty() ||
      req.resource.resource != "persistentvolumeclaims") {
    return {};
  }
  if (Find(obj, {"spec", "storageClassName"}) ||
      Find(obj, {"metadata", "annotations", kBetaClassAnnotation})) {
    return {};
  }
  auto list = client_->List({"storage.k8s.io", "v1", "storageclasses"}, "");
  if (!list.ok()) return list.status();
  auto doc = ParseJson(*list);
  if (!doc.ok())
    return Status::Internal("storageclasses: " + doc.status().message());
  auto name = DefaultClassName(*doc);
  if (!name) return {};
  SetString(EnsureObject(obj, "spec", alloc), "storageClassName", *name, alloc);
  return {};
}

}  // namespace berth::storage
