#include "kernel/api/apply/managed_fields.h"

#include <algorithm>
#include <tuple>
#include <utility>

namespace berth::apply {

bool ManagedFieldsEntry::SameManager(const ManagedFieldsEntry& other) const {
  if (manager != other.manager || operation != other.operation ||
      subresource != other.subresource) {
    return false;
  }
  return operation == kOperationApply || api_version == other.api_version;
}

StatusOr<ManagedFields> DecodeManagedFields(const Json& obj) {
  ManagedFields out;
  const Json* list = Find(obj, {"metadata", "managedFields"});
  if (!list || list->IsNull()) return out;
  if (!list->IsArray()) {
    return Status::BadRequest("metadata.managedFields must be a list");
  }
  for (auto& e : list->GetArray()) {
    if (!e.IsObject()) {
      return Status::BadRequest(
          "metadata.managedFields: an entry is not an "
          "object");
    }
    ManagedFieldsEntry entry;
    entry.manager = GetString(e, {"manager"});
    entry.operation = GetString(e, {"operation"});
    entry.api_version = GetString(e, {"apiVersion"});
    entry.time = GetString(e, {"time"});
    entry.subresource = GetString(e, {"subresource"});
    if (entry.operation != kOperationApply &&
        entry.operation != kOperationUpdate) {
      return Status::BadRequest(
          "metadata.managedFields: operation must be Apply or Update");
    }
    std::string type = GetString(e, {"fieldsType"});
    if (type != "FieldsV1") {
      return Status::BadRequest(
          "metadata.managedFields: fieldsType must be FieldsV1");
    }
    if (const Json* f = Member(e, "fieldsV1")) {
      auto set = FieldSet::FromFieldsV1(*f);
      if (!set.ok()) return set.status();
      entry.fields = std::move(set).value();
    }
    out.push_back(std::move(entry));
  }
  return out;
}

void EncodeManagedFields(ManagedFields entries, Json& obj, JsonAlloc& a) {
  std::erase_if(entries,
                [](const ManagedFieldsEntry& e) { return e.fields.Empty(); });
  Json& meta = EnsureObject(obj, "metadata", a);
  if (entries.empty()) {
    meta.RemoveMember("managedFields");
    return;
  }
  std::stable_sort(
      entries.begin(), entries.end(),
      [](const ManagedFieldsEntry& p, const ManagedFieldsEntry& q) {
        return std::tie(p.operation, p.time, p.manager, p.api_version,
                        p.subresource) < std::tie(q.operation, q.time,
                                                  q.manager, q.api_version,
                                                  q.subresource);
      });
  Json list(rapidjson::kArrayType);
  for (const auto& e : entries) {
    Json j(rapidjson::kObjectType);
    SetString(j, "manager", e.manager, a);
    SetString(j, "operation", e.operation, a);
    SetString(j, "apiVersion", e.api_version, a);
    if (!e.time.empty()) SetString(j, "time", e.time, a);
    SetString(j, "fieldsType", "FieldsV1", a);
    Json fields;
    e.fields.ToFieldsV1(fields, a);
    SetMember(j, "fieldsV1", std::move(fields), a);
    if (!e.subresource.empty()) SetString(j, "subresource", e.subresource, a);
    list.PushBack(std::move(j), a);
  }
  SetMember(meta, "managedFields", std::move(list), a);
}

}  // namespace berth::apply
