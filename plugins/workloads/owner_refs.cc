#include "owner_refs.h"

#include "validation.h"

namespace berth::workloads {

Json ControllerRef(const Json& owner, JsonAlloc& a) {
  Json ref(rapidjson::kObjectType);
  SetString(ref, "apiVersion", GetString(owner, {"apiVersion"}), a);
  SetString(ref, "kind", GetString(owner, {"kind"}), a);
  SetString(ref, "name", GetString(owner, {"metadata", "name"}), a);
  SetString(ref, "uid", GetString(owner, {"metadata", "uid"}), a);
  SetMember(ref, "controller", Json(true), a);
  SetMember(ref, "blockOwnerDeletion", Json(true), a);
  return ref;
}

void SetControllerRef(Json& obj, const Json& owner, JsonAlloc& a) {
  Json& meta = EnsureObject(obj, "metadata", a);
  Json refs(rapidjson::kArrayType);
  refs.PushBack(ControllerRef(owner, a), a);
  SetMember(meta, "ownerReferences", std::move(refs), a);
}

std::string ControllerUid(const Json& obj) {
  const Json* refs = Find(obj, {"metadata", "ownerReferences"});
  if (!refs || !refs->IsArray()) return "";
  for (const auto& r : refs->GetArray()) {
    const Json* c = Member(r, "controller");
    if (c && c->IsBool() && c->GetBool()) return core::Str(Member(r, "uid"));
  }
  return "";
}

}  // namespace berth::workloads
