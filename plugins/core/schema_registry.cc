#include "schema_registry.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <map>
#include <set>

namespace berth::core {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

constexpr std::string_view kRefPrefix = "#/components/schemas/";

void Key(Writer& w, std::string_view s) {
  w.Key(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}
void Str(Writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

bool IsScalarExpr(std::string_view t) {
  return t == "string" || t == "integer" || t == "int64" || t == "number" ||
         t == "boolean" || t == "byte" || t == "object";
}

// The referenced type name of an expression, "" for scalars.
std::string_view RefOf(std::string_view t) {
  while (t.substr(0, 2) == "[]" || t.substr(0, 2) == "{}") t = t.substr(2);
  t = t.substr(0, t.find('@'));
  return IsScalarExpr(t) ? std::string_view() : t;
}

void WriteScalar(Writer& w, std::string_view t) {
  if (t == "int64" || t == "integer") {
    Key(w, "type");
    Str(w, "integer");
    Key(w, "format");
    Str(w, t == "int64" ? "int64" : "int32");
  } else if (t == "number") {
    Key(w, "type");
    Str(w, "number");
    Key(w, "format");
    Str(w, "double");
  } else if (t == "byte") {
    Key(w, "type");
    Str(w, "string");
    Key(w, "format");
    Str(w, "byte");
  } else if (t == "object") {
    Key(w, "type");
    Str(w, "object");
    Key(w, "x-kubernetes-preserve-unknown-fields");
    w.Bool(true);
  } else {
    Key(w, "type");
    Str(w, t);
  }
}

void WriteRef(Writer& w, std::string_view name) {
  Key(w, "allOf");
  w.StartArray();
  w.StartObject();
  Key(w, "$ref");
  Str(w, std::string(kRefPrefix) + SchemaName(name));
  w.EndObject();
  w.EndArray();
}

// Writes the members of the schema for expression `t` (no braces).
void WriteExprMembers(Writer& w, std::string_view t) {
  std::string_view merge;
  if (size_t at = t.find('@'); at != std::string_view::npos) {
    merge = t.substr(at + 1);
    t = t.substr(0, at);
  }
  if (t.substr(0, 2) == "[]") {
    Key(w, "type");
    Str(w, "array");
    Key(w, "items");
    w.StartObject();
    WriteExprMembers(w, t.substr(2));
    w.EndObject();
    if (!merge.empty()) {
      std::vector<std::string_view> keys;
      size_t start = 0;
      while (true) {
        size_t comma = merge.find(',', start);
        keys.push_back(merge.substr(start, comma - start));
        if (comma == std::string_view::npos) break;
        start = comma + 1;
      }
      Key(w, "x-kubernetes-list-map-keys");
      w.StartArray();
      for (auto k : keys) Str(w, k);
      w.EndArray();
      Key(w, "x-kubernetes-list-type");
      Str(w, "map");
      Key(w, "x-kubernetes-patch-merge-key");
      Str(w, keys.front());
      Key(w, "x-kubernetes-patch-strategy");
      Str(w, "merge");
    }
  } else if (t.substr(0, 2) == "{}") {
    Key(w, "type");
    Str(w, "object");
    Key(w, "additionalProperties");
    w.StartObject();
    WriteExprMembers(w, t.substr(2));
    w.EndObject();
  } else if (IsScalarExpr(t)) {
    WriteScalar(w, t);
  } else {
    WriteRef(w, t);
  }
}

void WriteType(Writer& w, const SchemaType& t) {
  w.StartObject();
  if (!t.description.empty()) {
    Key(w, "description");
    Str(w, t.description);
  }
  if (!t.scalar.empty()) {
    Key(w, "type");
    Str(w, t.scalar);
    if (!t.format.empty()) {
      Key(w, "format");
      Str(w, t.format);
    }
    w.EndObject();
    return;
  }
  Key(w, "type");
  Str(w, "object");
  if (!t.required.empty()) {
    Key(w, "required");
    w.StartArray();
    for (auto r : t.required) Str(w, r);
    w.EndArray();
  }
  Key(w, "properties");
  w.StartObject();
  for (const auto& p : t.props) {
    Key(w, p.name);
    w.StartObject();
    if (!p.description.empty()) {
      Key(w, "description");
      Str(w, p.description);
    }
    WriteExprMembers(w, p.type);
    w.EndObject();
  }
  w.EndObject();
  if (!t.kind.empty()) {
    Key(w, "x-kubernetes-group-version-kind");
    w.StartArray();
    w.StartObject();
    Key(w, "group");
    Str(w, t.group);
    Key(w, "kind");
    Str(w, t.kind);
    Key(w, "version");
    Str(w, "v1");
    w.EndObject();
    w.EndArray();
  }
  w.EndObject();
}

const std::map<std::string, const SchemaType*>& Registry() {
  static const auto* types = [] {
    auto* v = new std::vector<SchemaType>();
    AddPodSchemas(*v);
    AddVolumeSchemas(*v);
    AddServiceSchemas(*v);
    AddClusterSchemas(*v);
    AddDiscoverySchemas(*v);
    return v;
  }();
  static const auto* by_name = [] {
    auto* m = new std::map<std::string, const SchemaType*>();
    for (const auto& t : *types) (*m)[SchemaName(t.name)] = &t;
    return m;
  }();
  return *by_name;
}

}  // namespace

std::string SchemaName(std::string_view n) {
  if (n.find('.') != std::string_view::npos) return std::string(n);
  static const std::map<std::string_view, std::string_view> kAliases = {
      {"Quantity", "io.k8s.apimachinery.pkg.api.resource."},
      {"IntOrString", "io.k8s.apimachinery.pkg.util.intstr."},
      {"Time", "io.k8s.apimachinery.pkg.apis.meta.v1."},
      {"MicroTime", "io.k8s.apimachinery.pkg.apis.meta.v1."},
      {"ObjectMeta", "io.k8s.apimachinery.pkg.apis.meta.v1."},
      {"ListMeta", "io.k8s.apimachinery.pkg.apis.meta.v1."},
      {"LabelSelector", "io.k8s.apimachinery.pkg.apis.meta.v1."},
      {"LabelSelectorRequirement", "io.k8s.apimachinery.pkg.apis.meta.v1."},
      {"Condition", "io.k8s.apimachinery.pkg.apis.meta.v1."}};
  auto it = kAliases.find(n);
  std::string prefix =
      it == kAliases.end() ? "io.k8s.api.core.v1." : std::string(it->second);
  return prefix + std::string(n);
}

std::string SchemaClosureJson(const std::vector<std::string>& roots) {
  return SchemaClosureJson(roots, {});
}

std::string SchemaClosureJson(const std::vector<std::string>& roots,
                              const std::vector<SchemaType>& extra) {
  std::map<std::string, const SchemaType*> types = Registry();
  for (const auto& t : extra) types[SchemaName(t.name)] = &t;
  std::set<std::string> seen;
  std::vector<std::string> todo(roots.begin(), roots.end());
  while (!todo.empty()) {
    std::string name = todo.back();
    todo.pop_back();
    auto it = types.find(name);
    if (it == types.end() || !seen.insert(name).second) continue;
    for (const auto& p : it->second->props) {
      std::string_view ref = RefOf(p.type);
      if (!ref.empty()) todo.push_back(SchemaName(ref));
    }
  }
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  for (const auto& name : seen) {
    Key(w, name);
    WriteType(w, *types.at(name));
  }
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::string PodTemplateSchemasJson() {
  return SchemaClosureJson({"io.k8s.api.core.v1.PodTemplateSpec"});
}

}  // namespace berth::core
