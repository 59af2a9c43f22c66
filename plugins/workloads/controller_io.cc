#include "controller_io.h"

#include <cstdlib>

#include "owned_objects.h"

namespace berth::workloads {

StatusOr<JsonDoc> GetObject(Client& client, const ResourceRef& r,
                            const std::string& ns, const std::string& name) {
  auto got = client.Get(r, ns, name);
  if (!got.ok()) return got.status();
  auto doc = ParseJson(*got);
  if (!doc.ok()) {
    return Status::Internal(r.resource + " " + ns + "/" + name + ": " +
                            doc.status().message());
  }
  return doc;
}

StatusOr<JsonDoc> ListObjects(Client& client, const ResourceRef& r,
                              const std::string& ns,
                              const std::string& label_selector) {
  ListOptions opts;
  opts.label_selector = label_selector;
  auto list = client.List(r, ns, opts);
  if (!list.ok()) return list.status();
  auto doc = ParseJson(*list);
  if (!doc.ok()) {
    return Status::Internal("listing " + r.resource + ": " +
                            doc.status().message());
  }
  Json* items = Member(*doc, "items");
  if (!items || !items->IsArray()) {
    SetMember(*doc, "items", Json(rapidjson::kArrayType), doc->GetAllocator());
  }
  return doc;
}

Status WriteStatus(Client& client, const ResourceRef& r, const std::string& ns,
                   const std::string& name, const Json* old_status,
                   const Json& status) {
  if (old_status && *old_status == status) return {};
  // A merge patch keeps members that are absent from `status`; null them
  // so the patch replaces the whole status.
  JsonDoc patch(rapidjson::kObjectType);
  auto& a = patch.GetAllocator();
  Json body(status, a);
  if (old_status && old_status->IsObject()) {
    for (auto it = old_status->MemberBegin(); it != old_status->MemberEnd();
         ++it) {
      if (!Member(body, it->name.GetString())) {
        body.AddMember(Json(it->name, a), Json(rapidjson::kNullType), a);
      }
    }
  }
  patch.AddMember("status", std::move(body), a);
  auto patched = client.MergePatch(r, ns, name, ToJson(patch), "status");
  if (!patched.ok() && !patched.status().IsNotFound()) {
    return patched.status();
  }
  return {};
}

void SetControllerRef(Json& obj, const Json& owner, JsonAlloc& a) {
  Json& meta = EnsureObject(obj, "metadata", a);
  Json refs(rapidjson::kArrayType);
  refs.PushBack(ControllerRef(owner, GetString(owner, {"apiVersion"}),
                              GetString(owner, {"kind"}), a),
                a);
  SetMember(meta, "ownerReferences", std::move(refs), a);
}

int64_t ScaledValue(const Json* value, int64_t total, bool round_up,
                    int64_t fallback) {
  if (!value) return fallback;
  if (value->IsInt64()) return value->GetInt64();
  if (!value->IsString()) return fallback;
  std::string s = value->GetString();
  if (s.empty() || s.back() != '%') return fallback;
  s.pop_back();
  char* end = nullptr;
  const long long pct = std::strtoll(s.c_str(), &end, 10);
  if (end == s.c_str() || *end) return fallback;
  const int64_t scaled = total * pct;
  return round_up ? (scaled + 99) / 100 : scaled / 100;
}

}  // namespace berth::workloads
