#include "kernel/api/server/openapi.h"

#include <cstdio>
#include <functional>
#include <set>

#include "kernel/api/server/meta_schemas.h"

namespace berth::api {
namespace {

constexpr const char* kRefPrefix = "#/components/schemas/";
constexpr const char* kObjectMeta =
    "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

std::string SchemaNameOf(const KindInfo& info) {
  if (!info.schema_name.empty()) return info.schema_name;
  return "io.berth.generated." + (info.group.empty() ? "core" : info.group) +
         "." + info.version + "." + info.kind;
}

// The schema of `info` served in `version`, one of its
// also_served_versions: "io.k8s.api.apps.v1.Deployment" becomes
// "io.k8s.api.apps.v1beta2.Deployment", as Kubernetes names its versions'
// schemas.
std::string SchemaNameIn(const KindInfo& info, const std::string& version) {
  std::string name = SchemaNameOf(info);
  const std::string own = "." + info.version + ".";
  size_t at = name.rfind(own);
  if (at == std::string::npos) return name + "." + version;
  return name.substr(0, at) + "." + version + "." +
         name.substr(at + own.size());
}

std::string GvPath(const KindInfo& info) {
  return info.group.empty() ? "api/" + info.version
                            : "apis/" + info.group + "/" + info.version;
}

Json Gvk(const KindInfo& info, JsonAlloc& a) {
  Json o(rapidjson::kObjectType);
  SetString(o, "group", info.group, a);
  SetString(o, "kind", info.kind, a);
  SetString(o, "version", info.version, a);
  return o;
}

Json Ref(const std::string& name, JsonAlloc& a) {
  Json o(rapidjson::kObjectType);
  SetString(o, "$ref", kRefPrefix + name, a);
  return o;
}

Json Param(const char* name, const char* in, const char* description,
           bool required, JsonAlloc& a) {
  Json p(rapidjson::kObjectType);
  SetString(p, "name", name, a);
  SetString(p, "in", in, a);
  SetString(p, "description", description, a);
  if (required) p.AddMember("required", true, a);
  Json schema(rapidjson::kObjectType);
  SetString(schema, "type", "string", a);
  schema.AddMember("uniqueItems", true, a);
  SetMember(p, "schema", std::move(schema), a);
  return p;
}

Json Responses(const std::string& schema, const std::vector<const char*>& codes,
               JsonAlloc& a) {
  Json responses(rapidjson::kObjectType);
  for (const char* code : codes) {
    Json content(rapidjson::kObjectType);
    for (const char* type : {"application/json", "application/yaml"}) {
      Json media(rapidjson::kObjectType);
      SetMember(media, "schema", Ref(schema, a), a);
      SetMember(content, type, std::move(media), a);
    }
    Json r(rapidjson::kObjectType);
    SetString(r, "description",
              code[0] == '2' && code[2] == '1' ? "Created" : "OK", a);
    SetMember(r, "content", std::move(content), a);
    SetMember(responses, code, std::move(r), a);
  }
  return responses;
}

Json Operation(const KindInfo& info, const std::string& action,
               const std::string& verb_id, const std::string& schema,
               bool write, bool patch, JsonAlloc& a) {
  Json op(rapidjson::kObjectType);
  SetString(op, "operationId",
            verb_id + (info.namespaced ? "Namespaced" : "") + info.kind, a);
  SetString(op, "x-kubernetes-action", action, a);
  SetMember(op, "x-kubernetes-group-version-kind", Gvk(info, a), a);
  Json params(rapidjson::kArrayType);
  if (write) {
    params.PushBack(Param("dryRun", "query",
                          "When present, indicates that modifications should "
                          "not be persisted.",
                          false, a),
                    a);
    params.PushBack(Param("fieldManager", "query",
                          "fieldManager is a name associated with the actor "
                          "or entity that is making these changes.",
                          false, a),
                    a);
    params.PushBack(Param("fieldValidation", "query",
                          "fieldValidation instructs the server on how to "
                          "handle objects in the request containing unknown "
                          "or duplicate fields.",
                          false, a),
                    a);
  }
  if (patch) {
    params.PushBack(
        Param("force", "query", "Force is going to \"force\" Apply requests.",
              false, a),
        a);
    Json content(rapidjson::kObjectType);
    for (const char* type :
         {"application/apply-patch+yaml", "application/json-patch+json",
          "application/merge-patch+json",
          "application/strategic-merge-patch+json"}) {
      Json media(rapidjson::kObjectType);
      SetMember(media, "schema",
                Ref("io.k8s.apimachinery.pkg.apis.meta.v1.Patch", a), a);
      SetMember(content, type, std::move(media), a);
    }
    Json body(rapidjson::kObjectType);
    SetMember(body, "content", std::move(content), a);
    body.AddMember("required", true, a);
    SetMember(op, "requestBody", std::move(body), a);
  } else if (write && action != "delete") {
    Json content(rapidjson::kObjectType);
    Json media(rapidjson::kObjectType);
    SetMember(media, "schema", Ref(schema, a), a);
    SetMember(content, "*/*", std::move(media), a);
    Json body(rapidjson::kObjectType);
    SetMember(body, "content", std::move(content), a);
    body.AddMember("required", true, a);
    SetMember(op, "requestBody", std::move(body), a);
  }
  SetMember(op, "parameters", std::move(params), a);
  SetMember(
      op, "responses",
      Responses(schema,
                action == "post" ? std::vector<const char*>{"200", "201", "202"}
                                 : std::vector<const char*>{"200"},
                a),
      a);
  return op;
}

void CollectRefs(const Json& v, std::set<std::string>* out) {
  if (v.IsObject()) {
    for (auto& m : v.GetObject()) {
      if (std::string_view(m.name.GetString()) == "$ref" &&
          m.value.IsString()) {
        std::string ref = m.value.GetString();
        if (ref.rfind(kRefPrefix, 0) == 0) {
          out->insert(ref.substr(std::string(kRefPrefix).size()));
        }
      } else {
        CollectRefs(m.value, out);
      }
    }
  } else if (v.IsArray()) {
    for (auto& e : v.GetArray()) CollectRefs(e, out);
  }
}

std::string HexHash(const std::string& s) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%016zX", std::hash<std::string>{}(s));
  return buf;
}

}  // namespace

OpenApi::OpenApi(std::vector<const Kind*> kinds) {
  auto& a = schemas_.GetAllocator();
  schemas_.Parse(MetaSchemasJson());
  // Per group-version document, the kinds served in it, each described in
  // that version (a copy of its KindInfo with the version and schema name
  // of that version).
  std::map<std::string, std::vector<KindInfo>> by_gv;
  for (const Kind* k : kinds) {
    const KindInfo& info = k->Info();
    by_gv[GvPath(info)].push_back(info);
    std::string text = k->OpenApiSchemas();
    JsonDoc parsed;
    if (!text.empty()) parsed.Parse(text.data(), text.size());
    if (!text.empty() && !parsed.HasParseError() && parsed.IsObject()) {
      for (auto& m : parsed.GetObject()) {
        SetMember(schemas_, m.name.GetString(), Json(m.value, a), a);
      }
    }
    std::string name = SchemaNameOf(info);
    Json* root = Member(schemas_, name);
    if (!root) {
      // No schema: accept anything, but keep the object's envelope typed.
      Json s(rapidjson::kObjectType);
      SetString(s, "type", "object", a);
      s.AddMember("x-kubernetes-preserve-unknown-fields", true, a);
      Json props(rapidjson::kObjectType);
      Json meta(rapidjson::kObjectType);
      Json all(rapidjson::kArrayType);
      all.PushBack(Ref(kObjectMeta, a), a);
      SetMember(meta, "allOf", std::move(all), a);
      SetMember(props, "metadata", std::move(meta), a);
      SetMember(s, "properties", std::move(props), a);
      SetMember(schemas_, name, std::move(s), a);
      root = Member(schemas_, name);
    }
    if (!Member(*root, "x-kubernetes-group-version-kind")) {
      Json gvks(rapidjson::kArrayType);
      gvks.PushBack(Gvk(info, a), a);
      SetMember(*root, "x-kubernetes-group-version-kind", std::move(gvks), a);
    }
    // Another served version has the same fields (conversion maps any
    // difference): the same schema under that version's name and GVK, so
    // that kubectl finds the kind it validates and patches.
    for (const auto& v : info.also_served_versions) {
      KindInfo served = info;
      served.version = v;
      served.schema_name = SchemaNameIn(info, v);
      Json alias(*Member(schemas_, name), a);
      Json gvks(rapidjson::kArrayType);
      gvks.PushBack(Gvk(served, a), a);
      SetMember(alias, "x-kubernetes-group-version-kind", std::move(gvks), a);
      SetMember(schemas_, served.schema_name, std::move(alias), a);
      by_gv[GvPath(served)].push_back(std::move(served));
    }
  }

  JsonDoc root_doc(rapidjson::kObjectType);
  Json root_paths(rapidjson::kObjectType);
  for (auto& [gv, gv_kinds] : by_gv) {
    JsonDoc doc(rapidjson::kObjectType);
    auto& da = doc.GetAllocator();
    SetString(doc, "openapi", "3.0.0", da);
    Json info_obj(rapidjson::kObjectType);
    SetString(info_obj, "title", "Kubernetes", da);
    SetString(info_obj, "version", "v1.32.0", da);
    SetMember(doc, "info", std::move(info_obj), da);
    Json paths(rapidjson::kObjectType);
    std::set<std::string> wanted = {
        "io.k8s.apimachinery.pkg.apis.meta.v1.Patch",
        "io.k8s.apimachinery.pkg.apis.meta.v1.Status",
        "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions"};
    for (const KindInfo& info : gv_kinds) {
      std::string schema = SchemaNameOf(info);
      wanted.insert(schema);
      std::string base = "/" + gv +
                         (info.namespaced ? "/namespaces/{namespace}/" : "/") +
                         info.plural;
      Json collection(rapidjson::kObjectType);
      SetMember(collection, "get",
                Operation(info, "list", "list", schema, false, false, da), da);
      SetMember(collection, "post",
                Operation(info, "post", "create", schema, true, false, da), da);
      Json item(rapidjson::kObjectType);
      SetMember(item, "get",
                Operation(info, "get", "read", schema, false, false, da), da);
      SetMember(item, "put",
                Operation(info, "put", "replace", schema, true, false, da), da);
      SetMember(item, "patch",
                Operation(info, "patch", "patch", schema, true, true, da), da);
      SetMember(item, "delete",
                Operation(info, "delete", "delete",
                          "io.k8s.apimachinery.pkg.apis.meta.v1.Status", true,
                          false, da),
                da);
      SetMember(paths, base, std::move(collection), da);
      SetMember(paths, base + "/{name}", std::move(item), da);
    }
    SetMember(doc, "paths", std::move(paths), da);
    // Components: the transitive closure of what the paths refer to.
    std::set<std::string> done;
    std::vector<std::string> todo(wanted.begin(), wanted.end());
    Json components(rapidjson::kObjectType);
    Json schemas(rapidjson::kObjectType);
    while (!todo.empty()) {
      std::string name = todo.back();
      todo.pop_back();
      if (!done.insert(name).second) continue;
      const Json* s = Member(schemas_, name);
      if (!s) continue;
      std::set<std::string> refs;
      CollectRefs(*s, &refs);
      for (auto& r : refs) todo.push_back(r);
      SetMember(schemas, name, Json(*s, da), da);
    }
    SetMember(components, "schemas", std::move(schemas), da);
    SetMember(doc, "components", std::move(components), da);
    std::string text = ToJson(doc);
    hashes_[gv] = HexHash(text);
    documents_[gv] = std::move(text);
    Json entry(rapidjson::kObjectType);
    SetString(entry, "serverRelativeURL",
              "/openapi/v3/" + gv + "?hash=" + hashes_[gv],
              root_doc.GetAllocator());
    SetMember(root_paths, gv, std::move(entry), root_doc.GetAllocator());
  }
  SetMember(root_doc, "paths", std::move(root_paths), root_doc.GetAllocator());
  root_ = ToJson(root_doc);
}

const std::string* OpenApi::Document(const std::string& gv_path) const {
  auto it = documents_.find(gv_path);
  return it == documents_.end() ? nullptr : &it->second;
}

std::string OpenApi::Hash(const std::string& gv_path) const {
  auto it = hashes_.find(gv_path);
  return it == hashes_.end() ? "" : it->second;
}

const Json* OpenApi::Resolve(const Json& schema) const {
  const Json* s = &schema;
  for (int i = 0; i < 8 && s; ++i) {
    if (const Json* ref = Member(*s, "$ref"); ref && ref->IsString()) {
      std::string r = ref->GetString();
      s = Member(schemas_, r.substr(std::string(kRefPrefix).size()));
      continue;
    }
    const Json* all = Member(*s, "allOf");
    if (all && all->IsArray() && all->Size() == 1 &&
        !Member(*s, "properties")) {
      s = &(*all)[0];
      continue;
    }
    break;
  }
  return s;
}

void OpenApi::WalkUnknown(const Json& schema, const Json& value,
                          const std::string& path, int depth,
                          std::vector<std::string>* out) const {
  if (depth > 64) return;
  const Json* s = Resolve(schema);
  if (!s || !s->IsObject()) return;
  if (const Json* p = Member(*s, "x-kubernetes-preserve-unknown-fields");
      p && p->IsBool() && p->GetBool()) {
    return;
  }
  if (value.IsObject()) {
    const Json* props = Member(*s, "properties");
    const Json* additional = Member(*s, "additionalProperties");
    if (!props && !additional) return;
    for (auto& m : value.GetObject()) {
      std::string key(m.name.GetString(), m.name.GetStringLength());
      std::string child = path.empty() ? key : path + "." + key;
      const Json* ps = props ? Member(*props, key) : nullptr;
      if (ps) {
        WalkUnknown(*ps, m.value, child, depth + 1, out);
      } else if (additional && additional->IsObject()) {
        WalkUnknown(*additional, m.value, child, depth + 1, out);
      } else if (!(additional && additional->IsBool() &&
                   additional->GetBool())) {
        out->push_back(child);
      }
    }
  } else if (value.IsArray()) {
    const Json* items = Member(*s, "items");
    if (!items) return;
    for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
      WalkUnknown(*items, value[i], path + "[" + std::to_string(i) + "]",
                  depth + 1, out);
    }
  }
}

std::vector<std::string> OpenApi::UnknownFields(const Kind& kind,
                                                const Json& obj) const {
  std::vector<std::string> out;
  const Json* root = Member(schemas_, SchemaNameOf(kind.Info()));
  if (!root || !obj.IsObject()) return out;
  const Json* s = Resolve(*root);
  if (!s) return out;
  if (const Json* p = Member(*s, "x-kubernetes-preserve-unknown-fields");
      p && p->IsBool() && p->GetBool()) {
    // Still check metadata, which is always typed.
    const Json* meta = Member(obj, "metadata");
    const Json* meta_schema = Member(schemas_, kObjectMeta);
    if (meta && meta_schema) {
      WalkUnknown(*meta_schema, *meta, "metadata", 0, &out);
    }
    return out;
  }
  const Json* props = Member(*s, "properties");
  for (auto& m : obj.GetObject()) {
    std::string key(m.name.GetString(), m.name.GetStringLength());
    if (key == "apiVersion" || key == "kind") continue;
    const Json* ps = props ? Member(*props, key) : nullptr;
    if (key == "metadata" && !ps) {
      const Json* meta_schema = Member(schemas_, kObjectMeta);
      if (meta_schema) WalkUnknown(*meta_schema, m.value, key, 1, &out);
      continue;
    }
    if (!ps) {
      out.push_back(key);
      continue;
    }
    WalkUnknown(*ps, m.value, key, 1, &out);
  }
  return out;
}

}  // namespace berth::api
