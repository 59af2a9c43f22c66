#include "owned_objects.h"

#include <ctime>

#include "validation.h"

namespace berth::workloads {

using core::Str;

std::string ControllerUid(const Json& obj) {
  const Json* refs = Find(obj, {"metadata", "ownerReferences"});
  if (!refs || !refs->IsArray()) return "";
  for (const auto& r : refs->GetArray()) {
    const Json* c = Member(r, "controller");
    if (c && c->IsBool() && c->GetBool()) return Str(Member(r, "uid"));
  }
  return "";
}

Json ControllerRef(const Json& owner, const std::string& api_version,
                   const std::string& kind, JsonAlloc& a) {
  Json ref(rapidjson::kObjectType);
  SetString(ref, "apiVersion", api_version, a);
  SetString(ref, "kind", kind, a);
  SetString(ref, "name", Str(Find(owner, {"metadata", "name"})), a);
  SetString(ref, "uid", Str(Find(owner, {"metadata", "uid"})), a);
  SetMember(ref, "controller", Json(true), a);
  SetMember(ref, "blockOwnerDeletion", Json(true), a);
  return ref;
}

StatusOr<std::string> Adopt(Client& client, const ResourceRef& ref,
                            const Json& obj, const Json& owner,
                            const std::string& api_version,
                            const std::string& kind) {
  JsonDoc patch(rapidjson::kObjectType);
  auto& a = patch.GetAllocator();
  Json refs(rapidjson::kArrayType);
  if (const Json* old = Find(obj, {"metadata", "ownerReferences"});
      old && old->IsArray()) {
    for (const auto& r : old->GetArray()) refs.PushBack(Json(r, a), a);
  }
  refs.PushBack(ControllerRef(owner, api_version, kind, a), a);
  Json& meta = EnsureObject(patch, "metadata", a);
  SetMember(meta, "ownerReferences", std::move(refs), a);
  // The resourceVersion makes the patch fail if the object changed owner
  // meanwhile, so two controllers never both adopt it.
  SetString(meta, "resourceVersion",
            Str(Find(obj, {"metadata", "resourceVersion"})), a);
  return client.MergePatch(ref, Str(Find(obj, {"metadata", "namespace"})),
                           Str(Find(obj, {"metadata", "name"})), ToJson(patch));
}

Status Release(Client& client, const ResourceRef& ref, const Json& obj,
               const std::string& owner_uid) {
  JsonDoc patch(rapidjson::kObjectType);
  auto& a = patch.GetAllocator();
  Json refs(rapidjson::kArrayType);
  if (const Json* old = Find(obj, {"metadata", "ownerReferences"});
      old && old->IsArray()) {
    for (const auto& r : old->GetArray()) {
      if (Str(Member(r, "uid")) != owner_uid) refs.PushBack(Json(r, a), a);
    }
  }
  Json& meta = EnsureObject(patch, "metadata", a);
  // null removes the member when no reference is left.
  SetMember(meta, "ownerReferences", refs.Empty() ? Json() : std::move(refs),
            a);
  SetString(meta, "resourceVersion",
            Str(Find(obj, {"metadata", "resourceVersion"})), a);
  auto patched =
      client.MergePatch(ref, Str(Find(obj, {"metadata", "namespace"})),
                        Str(Find(obj, {"metadata", "name"})), ToJson(patch));
  return patched.ok() ? Status() : patched.status();
}

namespace {

StatusOr<std::vector<std::unique_ptr<JsonDoc>>> ListItems(
    Client& client, const ResourceRef& ref, const std::string& ns,
    const ListOptions& opts) {
  std::vector<std::unique_ptr<JsonDoc>> out;
  auto list = client.List(ref, ns, opts);
  if (!list.ok()) return list.status();
  auto doc = ParseJson(*list);
  if (!doc.ok()) return doc.status();
  const Json* items = Member(*doc, "items");
  if (!items || !items->IsArray()) return out;
  for (const auto& item : items->GetArray()) {
    auto d = std::make_unique<JsonDoc>();
    d->CopyFrom(item, d->GetAllocator());
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace

StatusOr<std::vector<std::unique_ptr<JsonDoc>>> ListSelected(
    Client& client, const ResourceRef& ref, const std::string& ns,
    const std::string& selector) {
  if (selector.empty()) return std::vector<std::unique_ptr<JsonDoc>>{};
  ListOptions opts;
  opts.label_selector = selector;
  return ListItems(client, ref, ns, opts);
}

StatusOr<std::vector<std::unique_ptr<JsonDoc>>> ListNamespace(
    Client& client, const ResourceRef& ref, const std::string& ns) {
  return ListItems(client, ref, ns, ListOptions{});
}

std::string FormatTimestamp(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace berth::workloads
