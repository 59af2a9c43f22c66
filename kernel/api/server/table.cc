#include "kernel/api/server/table.h"

#include <chrono>

#include "berth/json.h"

namespace berth::api {

IncludeObject ParseIncludeObject(const std::string& value) {
  if (value == "None") return IncludeObject::kNone;
  if (value == "Object") return IncludeObject::kObject;
  return IncludeObject::kMetadata;
}

std::string BuildTable(
    const Kind& kind,
    const std::vector<std::shared_ptr<const std::string>>& objects,
    IncludeObject include, const std::string& resource_version,
    const std::string& continue_token, bool with_columns) {
  std::vector<PrinterColumn> columns = kind.Columns();
  const bool generic = columns.empty();
  if (generic) {
    columns = {{"Name", "string", "name",
                "Name must be unique within a namespace.", 0},
               {"Created At", "date", "",
                "CreationTimestamp is a timestamp representing the server "
                "time when this object was created.",
                0}};
  }
  JsonDoc d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  SetString(d, "kind", "Table", a);
  SetString(d, "apiVersion", "meta.k8s.io/v1", a);
  Json meta(rapidjson::kObjectType);
  if (!resource_version.empty())
    SetString(meta, "resourceVersion", resource_version, a);
  if (!continue_token.empty()) SetString(meta, "continue", continue_token, a);
  SetMember(d, "metadata", std::move(meta), a);
  if (with_columns) {
    Json defs(rapidjson::kArrayType);
    for (const auto& c : columns) {
      Json def(rapidjson::kObjectType);
      SetString(def, "name", c.name, a);
      SetString(def, "type", c.type, a);
      SetString(def, "format", c.format, a);
      SetString(def, "description", c.description, a);
      def.AddMember("priority", c.priority, a);
      defs.PushBack(def, a);
    }
    SetMember(d, "columnDefinitions", std::move(defs), a);
  }
  Json rows(rapidjson::kArrayType);
  const auto now = std::chrono::system_clock::now();
  for (const auto& bytes : objects) {
    JsonDoc obj;
    obj.Parse(bytes->data(), bytes->size());
    if (obj.HasParseError() || !obj.IsObject()) continue;
    Json row(rapidjson::kObjectType);
    Json cells(rapidjson::kArrayType);
    if (generic) {
      cells.PushBack(Json(GetString(obj, {"metadata", "name"}).c_str(), a), a);
      cells.PushBack(
          Json(GetString(obj, {"metadata", "creationTimestamp"}).c_str(), a),
          a);
    } else {
      kind.Cells(obj, now, cells, a);
    }
    SetMember(row, "cells", std::move(cells), a);
    if (include == IncludeObject::kObject) {
      SetMember(row, "object", Json(obj, a), a);
    } else if (include == IncludeObject::kMetadata) {
      Json partial(rapidjson::kObjectType);
      SetString(partial, "kind", "PartialObjectMetadata", a);
      SetString(partial, "apiVersion", "meta.k8s.io/v1", a);
      if (const Json* m = Member(obj, "metadata")) {
        SetMember(partial, "metadata", Json(*m, a), a);
      }
      SetMember(row, "object", std::move(partial), a);
    }
    rows.PushBack(row, a);
  }
  SetMember(d, "rows", std::move(rows), a);
  return ToJson(d);
}

}  // namespace berth::api
