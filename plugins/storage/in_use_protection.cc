#include "in_use_protection.h"

#include "validation.h"

namespace berth::storage {

bool HasFinalizer(const Json& obj, const char* finalizer) {
  const Json* list = Find(obj, {"metadata", "finalizers"});
  if (!list || !list->IsArray()) return false;
  for (const auto& f : list->GetArray()) {
    if (core::Str(&f) == finalizer) return true;
  }
  return false;
}

bool RemoveFinalizer(Json& obj, const char* finalizer) {
  Json* list = Find(obj, {"metadata", "finalizers"});
  if (!list || !list->IsArray()) return false;
  for (auto it = list->Begin(); it != list->End(); ++it) {
    if (core::Str(&*it) == finalizer) {
      list->Erase(it);
      return true;
    }
  }
  return false;
}

Status InUseProtection::Admit(const AdmissionRequest& req, Json& obj,
                              JsonAlloc& alloc) {
  if (req.operation != AdmissionRequest::Operation::kCreate ||
      !req.subresource.empty() || !req.resource.group.empty()) {
    return {};
  }
  const char* finalizer = nullptr;
  if (req.resource.resource == "persistentvolumeclaims") {
    finalizer = kPvcProtectionFinalizer;
  } else if (req.resource.resource == "persistentvolumes") {
    finalizer = kPvProtectionFinalizer;
  } else {
    return {};
  }
  if (HasFinalizer(obj, finalizer)) return {};
  Json& meta = EnsureObject(obj, "metadata", alloc);
  Json* list = Member(meta, "finalizers");
  if (!list || !list->IsArray()) {
    SetMember(meta, "finalizers", Json(rapidjson::kArrayType), alloc);
    list = Member(meta, "finalizers");
  }
  list->PushBack(Json(finalizer, alloc), alloc);
  return {};
}

}  // namespace berth::storage
