#include "kernel/api/server/discovery.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <utility>

#include "berth/json.h"

namespace berth::api {
namespace {

Json StringArray(const std::vector<std::string>& v, JsonAlloc& a) {
  Json arr(rapidjson::kArrayType);
  for (const auto& s : v) arr.PushBack(Json(s.c_str(), a), a);
  return arr;
}

Json Gvk(const std::string& g, const std::string& v, const std::string& k,
         JsonAlloc& a) {
  Json o(rapidjson::kObjectType);
  SetString(o, "group", g, a);
  SetString(o, "version", v, a);
  SetString(o, "kind", k, a);
  return o;
}

const std::vector<std::string> kSubresourceVerbs = {"get", "patch", "update"};
const std::vector<std::string> kActionVerbs = {"create"};

// What discovery says of a connect subresource, as the apiserver lists
// pods/log (get, the object's kind) and pods/exec, attach and portforward
// (create and get, a Pod<Name>Options kind).
struct ConnectDiscovery {
  std::vector<std::string> verbs;
  std::string kind;
};

ConnectDiscovery DescribeConnect(const ConnectSubresource& sub,
                                 const KindInfo& info) {
  if (sub.protocol == ConnectProtocol::kStream) return {{"get"}, info.kind};
  std::string name = sub.name;
  if (!name.empty()) name[0] = static_cast<char>(std::toupper(name[0]));
  return {{"create", "get"}, info.kind + name + "Options"};
}

// "policy/v1" -> {"policy", "v1"}; "v1" -> {"", "v1"}.
std::pair<std::string, std::string> SplitGroupVersion(const std::string& gv) {
  size_t slash = gv.find('/');
  if (slash == std::string::npos) return {"", gv};
  return {gv.substr(0, slash), gv.substr(slash + 1)};
}

}  // namespace

Discovery::Discovery(std::vector<const Kind*> kinds,
                     const ConnectRegistry* connect,
                     const KindRegistry* handlers)
    : connect_(connect), handlers_(handlers) {
  for (const Kind* k : kinds) {
    const KindInfo& info = k->Info();
    if (!groups_.count(info.group)) group_order_.push_back(info.group);
    groups_[info.group][info.version].push_back(k);
    for (const auto& v : info.also_served_versions) {
      groups_[info.group][v].push_back(k);
    }
  }
  core_v2_ = BuildAggregated(true, "v2");
  core_v2beta1_ = BuildAggregated(true, "v2beta1");
  groups_v2_ = BuildAggregated(false, "v2");
  groups_v2beta1_ = BuildAggregated(false, "v2beta1");
  group_list_ = BuildApiGroupList();
  for (const auto& [group, versions] : groups_) {
    if (!group.empty()) group_docs_[group] = BuildApiGroup(group);
    for (const auto& entry : versions) {
      resource_lists_[{group, entry.first}] =
          BuildResourceList(group, entry.first);
    }
  }
  etag_ = "\"" +
          std::to_string(
              std::hash<std::string>{}(group_list_ + core_v2_ + groups_v2_)) +
          "\"";
}

const std::string& Discovery::AggregatedCore(const std::string& version) const {
  return version == "v2" ? core_v2_ : core_v2beta1_;
}

const std::string& Discovery::AggregatedGroups(
    const std::string& version) const {
  return version == "v2" ? groups_v2_ : groups_v2beta1_;
}

const std::string& Discovery::ApiGroup(const std::string& group) const {
  static const std::string kNone;
  auto it = group_docs_.find(group);
  return it == group_docs_.end() ? kNone : it->second;
}

const std::string& Discovery::ResourceList(const std::string& group,
                                           const std::string& version) const {
  static const std::string kNone;
  auto it = resource_lists_.find({group, version});
  return it == resource_lists_.end() ? kNone : it->second;
}

std::vector<ActionSubresource> Discovery::Actions(const Kind& kind) const {
  std::vector<ActionSubresource> out = kind.ActionSubresources();
  if (handlers_) {
    const KindInfo& info = kind.Info();
    for (const ActionHandler* h :
         handlers_->ActionHandlersOf(info.group, info.plural)) {
      out.push_back(h->Subresource());
    }
  }
  return out;
}

std::string Discovery::BuildAggregated(bool core,
                                       const std::string& version) const {
  JsonDoc d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  SetString(d, "kind", "APIGroupDiscoveryList", a);
  SetString(d, "apiVersion", "apidiscovery.k8s.io/" + version, a);
  SetMember(d, "metadata", Json(rapidjson::kObjectType), a);
  Json items(rapidjson::kArrayType);
  for (const auto& group : group_order_) {
    if (core != group.empty()) continue;
    Json item(rapidjson::kObjectType);
    Json meta(rapidjson::kObjectType);
    SetString(meta, "name", group, a);
    SetMember(item, "metadata", std::move(meta), a);
    Json versions(rapidjson::kArrayType);
    // Newest first: the first listed is the preferred version.
    const auto& by_version = groups_.at(group);
    for (auto it = by_version.rbegin(); it != by_version.rend(); ++it) {
      Json ver(rapidjson::kObjectType);
      SetString(ver, "version", it->first, a);
      Json resources(rapidjson::kArrayType);
      for (const Kind* k : it->second) {
        const KindInfo& info = k->Info();
        Json r(rapidjson::kObjectType);
        SetString(r, "resource", info.plural, a);
        SetMember(r, "responseKind", Gvk(info.group, it->first, info.kind, a),
                  a);
        SetString(r, "scope", info.namespaced ? "Namespaced" : "Cluster", a);
        SetString(r, "singularResource", info.singular, a);
        SetMember(r, "verbs", StringArray(info.verbs, a), a);
        if (!info.short_names.empty()) {
          SetMember(r, "shortNames", StringArray(info.short_names, a), a);
        }
        if (!info.categories.empty()) {
          SetMember(r, "categories", StringArray(info.categories, a), a);
        }
        Json subs(rapidjson::kArrayType);
        if (info.status_subresource) {
          Json s(rapidjson::kObjectType);
          SetString(s, "subresource", "status", a);
          SetMember(s, "responseKind", Gvk(info.group, it->first, info.kind, a),
                    a);
          SetMember(s, "verbs", StringArray(kSubresourceVerbs, a), a);
          subs.PushBack(s, a);
        }
        for (const auto& name : info.update_subresources) {
          Json s(rapidjson::kObjectType);
          SetString(s, "subresource", name, a);
          SetMember(s, "responseKind", Gvk(info.group, it->first, info.kind, a),
                    a);
          SetMember(s, "verbs", StringArray(kSubresourceVerbs, a), a);
          subs.PushBack(s, a);
        }
        if (info.scale_subresource) {
          Json s(rapidjson::kObjectType);
          SetString(s, "subresource", "scale", a);
          SetMember(s, "responseKind", Gvk("autoscaling", "v1", "Scale", a), a);
          SetMember(s, "verbs", StringArray(kSubresourceVerbs, a), a);
          subs.PushBack(s, a);
        }
        for (const auto& action : Actions(*k)) {
          auto [g, v] = SplitGroupVersion(action.request_group_version);
          Json s(rapidjson::kObjectType);
          SetString(s, "subresource", action.name, a);
          SetMember(s, "responseKind", Gvk(g, v, action.request_kind, a), a);
          SetMember(s, "verbs", StringArray(kActionVerbs, a), a);
          subs.PushBack(s, a);
        }
        if (connect_) {
          for (const auto& c :
               connect_->Subresources(info.group, info.plural)) {
            ConnectDiscovery d = DescribeConnect(c, info);
            Json s(rapidjson::kObjectType);
            SetString(s, "subresource", c.name, a);
            SetMember(s, "responseKind", Gvk(info.group, it->first, d.kind, a),
                      a);
            SetMember(s, "verbs", StringArray(d.verbs, a), a);
            subs.PushBack(s, a);
          }
        }
        if (!subs.Empty()) SetMember(r, "subresources", std::move(subs), a);
        resources.PushBack(r, a);
      }
      SetMember(ver, "resources", std::move(resources), a);
      SetString(ver, "freshness", "Current", a);
      versions.PushBack(ver, a);
    }
    SetMember(item, "versions", std::move(versions), a);
    items.PushBack(item, a);
  }
  SetMember(d, "items", std::move(items), a);
  return ToJson(d);
}

std::string Discovery::ApiVersions(const std::string& server_address) const {
  JsonDoc d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  SetString(d, "kind", "APIVersions", a);
  Json versions(rapidjson::kArrayType);
  versions.PushBack(Json("v1", a), a);
  SetMember(d, "versions", std::move(versions), a);
  Json cidr(rapidjson::kObjectType);
  SetString(cidr, "clientCIDR", "0.0.0.0/0", a);
  SetString(cidr, "serverAddress", server_address, a);
  Json cidrs(rapidjson::kArrayType);
  cidrs.PushBack(cidr, a);
  SetMember(d, "serverAddressByClientCIDRs", std::move(cidrs), a);
  return ToJson(d);
}

namespace {

Json GroupJson(const std::string& group,
               const std::map<std::string, std::vector<const Kind*>,
                              VersionPriorityLess>& versions,
               JsonAlloc& a) {
  Json g(rapidjson::kObjectType);
  SetString(g, "name", group, a);
  Json vs(rapidjson::kArrayType);
  for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
    Json v(rapidjson::kObjectType);
    SetString(v, "groupVersion", group + "/" + it->first, a);
    SetString(v, "version", it->first, a);
    vs.PushBack(v, a);
  }
  Json preferred(vs[0], a);
  SetMember(g, "versions", std::move(vs), a);
  SetMember(g, "preferredVersion", std::move(preferred), a);
  return g;
}

}  // namespace

std::string Discovery::BuildApiGroupList() const {
  JsonDoc d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  SetString(d, "kind", "APIGroupList", a);
  SetString(d, "apiVersion", "v1", a);
  Json groups(rapidjson::kArrayType);
  for (const auto& group : group_order_) {
    if (group.empty()) continue;
    groups.PushBack(GroupJson(group, groups_.at(group), a), a);
  }
  SetMember(d, "groups", std::move(groups), a);
  return ToJson(d);
}

std::string Discovery::BuildApiGroup(const std::string& group) const {
  auto it = groups_.find(group);
  if (group.empty() || it == groups_.end()) return "";
  JsonDoc d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  Json g = GroupJson(group, it->second, a);
  SetString(d, "kind", "APIGroup", a);
  SetString(d, "apiVersion", "v1", a);
  for (auto& m : g.GetObject()) {
    SetMember(d, m.name.GetString(), Json(m.value, a), a);
  }
  return ToJson(d);
}

std::string Discovery::BuildResourceList(const std::string& group,
                                         const std::string& version) const {
  auto g = groups_.find(group);
  if (g == groups_.end()) return "";
  auto v = g->second.find(version);
  if (v == g->second.end()) return "";
  JsonDoc d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  SetString(d, "kind", "APIResourceList", a);
  SetString(d, "apiVersion", "v1", a);
  SetString(d, "groupVersion", group.empty() ? version : group + "/" + version,
            a);
  Json resources(rapidjson::kArrayType);
  for (const Kind* k : v->second) {
    const KindInfo& info = k->Info();
    Json r(rapidjson::kObjectType);
    SetString(r, "name", info.plural, a);
    SetString(r, "singularName", info.singular, a);
    r.AddMember("namespaced", info.namespaced, a);
    SetString(r, "kind", info.kind, a);
    SetMember(r, "verbs", StringArray(info.verbs, a), a);
    if (!info.short_names.empty()) {
      SetMember(r, "shortNames", StringArray(info.short_names, a), a);
    }
    if (!info.categories.empty()) {
      SetMember(r, "categories", StringArray(info.categories, a), a);
    }
    resources.PushBack(r, a);
    auto sub = [&](const std::string& name, const std::string& g2,
                   const std::string& v2, const std::string& kind,
                   const std::vector<std::string>& verbs = kSubresourceVerbs) {
      Json s(rapidjson::kObjectType);
      SetString(s, "name", info.plural + "/" + name, a);
      SetString(s, "singularName", "", a);
      s.AddMember("namespaced", info.namespaced, a);
      if (!g2.empty()) {
        SetString(s, "group", g2, a);
        SetString(s, "version", v2, a);
      }
      SetString(s, "kind", kind, a);
      SetMember(s, "verbs", StringArray(verbs, a), a);
      resources.PushBack(s, a);
    };
    if (info.status_subresource) sub("status", "", "", info.kind);
    for (const auto& name : info.update_subresources) {
      sub(name, "", "", info.kind);
    }
    if (info.scale_subresource) sub("scale", "autoscaling", "v1", "Scale");
    for (const auto& action : Actions(*k)) {
      auto [g, v] = SplitGroupVersion(action.request_group_version);
      // The legacy list names the group only when it differs from the
      // resource's, as the apiserver does for pods/eviction.
      if (g == info.group) {
        g.clear();
        v.clear();
      }
      sub(action.name, g, v, action.request_kind, kActionVerbs);
    }
    if (connect_) {
      for (const auto& c : connect_->Subresources(info.group, info.plural)) {
        ConnectDiscovery d = DescribeConnect(c, info);
        sub(c.name, "", "", d.kind, d.verbs);
      }
    }
  }
  SetMember(d, "resources", std::move(resources), a);
  return ToJson(d);
}

}  // namespace berth::api
