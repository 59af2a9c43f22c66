#include "config_map_kind.h"

#include "age.h"
#include "base64.h"
#include "printing.h"
#include "schema_registry.h"
#include "validation.h"

namespace berth::core {
namespace {

int64_t MemberCountOf(const Json* v) {
  return v && v->IsObject() ? v->MemberCount() : 0;
}

bool Equal(const Json* a, const Json* b) {
  if (!a || !b) return a == b;
  return *a == *b;
}

}  // namespace

void ValidateImmutableData(const Json& obj, const Json* old,
                           std::vector<FieldCause>& causes) {
  if (!old) return;
  const Json* was = Member(*old, "immutable");
  if (!was || !was->IsBool() || !was->GetBool()) return;
  const Json* now = Member(obj, "immutable");
  if (!now || !now->IsBool() || !now->GetBool()) {
    causes.push_back(field::Forbidden(
        "immutable", "field is immutable when `immutable` is set"));
  }
  for (const char* part : {"data", "binaryData"}) {
    if (!Equal(Member(obj, part), Member(*old, part))) {
      causes.push_back(
          field::Forbidden(part, "field is immutable when `immutable` is set"));
    }
  }
}

ConfigMapKind::ConfigMapKind() {
  info_.version = "v1";
  info_.kind = "ConfigMap";
  info_.plural = "configmaps";
  info_.singular = "configmap";
  info_.short_names = {"cm"};
  info_.schema_name = "io.k8s.api.core.v1.ConfigMap";
  schemas_ = SchemaClosureJson({info_.schema_name});
}

std::vector<FieldCause> ConfigMapKind::Validate(const Json& obj,
                                                const Json* old) const {
  std::vector<FieldCause> causes;
  const Json* data = Member(obj, "data");
  if (data && data->IsObject()) {
    for (auto it = data->MemberBegin(); it != data->MemberEnd(); ++it) {
      const std::string key = it->name.GetString();
      AddInvalid(causes, Key("data", key), key, IsConfigMapKey(key));
    }
  }
  if (const Json* bin = Member(obj, "binaryData"); bin && bin->IsObject()) {
    for (auto it = bin->MemberBegin(); it != bin->MemberEnd(); ++it) {
      const std::string key = it->name.GetString();
      const std::string path = Key("binaryData", key);
      AddInvalid(causes, path, key, IsConfigMapKey(key));
      if (data && Member(*data, key)) {
        causes.push_back(
            field::Invalid(path, key, "duplicate of key present in data"));
      }
      if (!it->value.IsString() || !Base64Decode(Str(&it->value))) {
        causes.push_back(
            field::Invalid(path, "<binary data>", "illegal base64 data"));
      }
    }
  }
  ValidateImmutableData(obj, old, causes);
  return causes;
}

std::vector<PrinterColumn> ConfigMapKind::Columns() const {
  return {NameColumn(),
          StringColumn("Data",
                       "Data contains the configuration data. Each key must "
                       "consist of alphanumeric characters, '-', '_' or '.'."),
          AgeColumn()};
}

void ConfigMapKind::Cells(const Json& obj,
                          std::chrono::system_clock::time_point now,
                          Json& cells, JsonAlloc& alloc) const {
  AppendCell(cells, Str(Find(obj, {"metadata", "name"})), alloc);
  AppendCell(cells,
             MemberCountOf(Member(obj, "data")) +
                 MemberCountOf(Member(obj, "binaryData")),
             alloc);
  AppendCell(cells, AgeSince(Find(obj, {"metadata", "creationTimestamp"}), now),
             alloc);
}

}  // namespace berth::core
