#include "printing.h"

#include <map>

namespace berth::core {

PrinterColumn NameColumn() {
  return {"Name", "string", "name",
          "Name must be unique within a namespace. Is required when creating "
          "resources, although some resources may allow a client to request "
          "the generation of an appropriate name automatically. Name is "
          "primarily intended for creation idempotence and configuration "
          "definition. Cannot be updated. More info: "
          "https://kubernetes.io/docs/concepts/overview/working-with-objects/"
          "names#names",
          0};
}

PrinterColumn AgeColumn() {
  return {"Age", "string", "",
          "CreationTimestamp is a timestamp representing the server time when "
          "this object was created. It is not guaranteed to be set in "
          "happens-before order across separate operations. Clients may not "
          "set this value. It is represented in RFC3339 form and is in UTC.\n\n"
          "Populated by the system. Read-only. Null for lists. More info: "
          "https://git.k8s.io/community/contributors/devel/sig-architecture/"
          "api-conventions.md#metadata",
          0};
}

PrinterColumn StringColumn(std::string name, std::string description,
                           int priority) {
  return {std::move(name), "string", "", std::move(description), priority};
}

void AppendCell(Json& cells, std::string_view value, JsonAlloc& alloc) {
  cells.PushBack(
      Json(value.data(), static_cast<rapidjson::SizeType>(value.size()), alloc),
      alloc);
}

void AppendCell(Json& cells, int64_t value, JsonAlloc& alloc) {
  cells.PushBack(Json(value), alloc);
}

std::string FormatLabels(const Json* labels) {
  if (!labels || !labels->IsObject() || labels->MemberCount() == 0) {
    return "<none>";
  }
  std::map<std::string, std::string> sorted;
  for (auto it = labels->MemberBegin(); it != labels->MemberEnd(); ++it) {
    sorted[it->name.GetString()] =
        it->value.IsString() ? it->value.GetString() : "";
  }
  std::string out;
  for (const auto& [k, v] : sorted) {
    if (!out.empty()) out += ",";
    out += k + "=" + v;
  }
  return out;
}

std::string BoolField(const Json* v) {
  return v && v->IsBool() && v->GetBool() ? "true" : "false";
}

}  // namespace berth::core
