#include "kernel/client/discovery_client.h"

#include "berth/json.h"

namespace berth::client {
namespace {

std::vector<std::string> Strings(const Json* array) {
  std::vector<std::string> out;
  if (!array || !array->IsArray()) return out;
  for (const auto& v : array->GetArray()) {
    if (v.IsString()) out.emplace_back(v.GetString(), v.GetStringLength());
  }
  return out;
}

// Appends the resources of one APIResourceList.
Status AddGroupVersion(ApiTransport& transport, const std::string& group,
                       const std::string& version, bool preferred,
                       std::vector<ApiResource>* out) {
  std::string path =
      group.empty() ? "/api/" + version : "/apis/" + group + "/" + version;
  auto body = transport.Call(ApiRequest::Bodiless("GET", path));
  if (!body.ok()) return body.status();
  auto doc = ParseJson(*body);
  if (!doc.ok()) return doc.status();
  const Json* resources = Member(*doc, "resources");
  if (!resources || !resources->IsArray()) return Status::Ok();
  for (const auto& r : resources->GetArray()) {
    std::string name = GetString(r, {"name"});
    if (name.empty() || name.find('/') != std::string::npos) continue;
    ApiResource a;
    a.ref = {group, version, name};
    a.kind = GetString(r, {"kind"});
    a.singular = GetString(r, {"singularName"});
    a.short_names = Strings(Member(r, "shortNames"));
    a.verbs = Strings(Member(r, "verbs"));
    const Json* ns = Member(r, "namespaced");
    a.namespaced = ns && ns->IsBool() && ns->GetBool();
    a.preferred = preferred;
    out->push_back(std::move(a));
  }
  return Status::Ok();
}

}  // namespace

StatusOr<std::vector<ApiResource>> DiscoverResources(ApiTransport& transport) {
  std::vector<ApiResource> out;
  if (Status s = AddGroupVersion(transport, "", "v1", true, &out); !s.ok()) {
    return s;
  }
  auto body = transport.Call(ApiRequest::Bodiless("GET", "/apis"));
  if (!body.ok()) return body.status();
  auto doc = ParseJson(*body);
  if (!doc.ok()) return doc.status();
  const Json* groups = Member(*doc, "groups");
  if (!groups || !groups->IsArray()) return out;
  for (const auto& g : groups->GetArray()) {
    std::string group = GetString(g, {"name"});
    std::string preferred = GetString(g, {"preferredVersion", "version"});
    const Json* versions = Member(g, "versions");
    if (!versions || !versions->IsArray()) continue;
    for (const auto& v : versions->GetArray()) {
      std::string version = GetString(v, {"version"});
      Status s =
          AddGroupVersion(transport, group, version,
                          preferred.empty() || preferred == version, &out);
      if (!s.ok()) return s;
    }
  }
  return out;
}

}  // namespace berth::client
