#include "storage_settings.h"

#include "berth/json.h"
#include "storage_fields.h"

namespace berth::storage {

StatusOr<StorageSettings> ParseStorageSettings(const std::string& json) {
  StorageSettings out;
  auto doc = ParseJson(json.empty() ? "{}" : json);
  if (!doc.ok())
    return Status::BadRequest("settings: " + doc.status().message());
  if (!doc->IsObject()) return Status::BadRequest("settings must be a mapping");
  for (auto it = doc->MemberBegin(); it != doc->MemberEnd(); ++it) {
    const std::string key = it->name.GetString();
    std::string* target = nullptr;
    if (key == "defaultClassName") target = &out.default_class_name;
    if (key == "defaultClassProvisioner") {
      target = &out.default_class_provisioner;
    }
    if (key == "defaultClassBindingMode") {
      target = &out.default_class_binding_mode;
    }
    if (!target) return Status::BadRequest("unknown setting " + key);
    if (!it->value.IsString()) {
      return Status::BadRequest("setting " + key + " must be a string");
    }
    *target = it->value.GetString();
  }
  if (out.default_class_binding_mode != "Immediate" &&
      out.default_class_binding_mode != "WaitForFirstConsumer") {
    return Status::BadRequest(
        "setting defaultClassBindingMode must be Immediate or "
        "WaitForFirstConsumer");
  }
  return out;
}

std::string DefaultClassObject(const StorageSettings& settings) {
  JsonDoc d;
  d.SetObject();
  auto& a = d.GetAllocator();
  SetString(d, "apiVersion", "storage.k8s.io/v1", a);
  SetString(d, "kind", "StorageClass", a);
  Json& meta = EnsureObject(d, "metadata", a);
  SetString(meta, "name", settings.default_class_name, a);
  SetString(EnsureObject(meta, "annotations", a), kDefaultClassAnnotation,
            "true", a);
  SetString(d, "provisioner", settings.default_class_provisioner, a);
  SetString(d, "reclaimPolicy", "Delete", a);
  SetString(d, "volumeBindingMode", settings.default_class_binding_mode, a);
  return ToJson(d);
}

}  // namespace berth::storage
