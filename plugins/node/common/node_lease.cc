#include "node_lease.h"

#include "berth/json.h"

namespace berth::kubelet {

std::string BuildLeaseJson(const std::string& node_name,
                           const std::string& node_uid, TimePoint now) {
  JsonDoc d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  SetString(d, "apiVersion", "coordination.k8s.io/v1", a);
  SetString(d, "kind", "Lease", a);
  Json& meta = EnsureObject(d, "metadata", a);
  SetString(meta, "name", node_name, a);
  SetString(meta, "namespace", kNodeLeaseNamespace, a);
  if (!node_uid.empty()) {
    Json owners(rapidjson::kArrayType);
    Json owner(rapidjson::kObjectType);
    SetString(owner, "apiVersion", "v1", a);
    SetString(owner, "kind", "Node", a);
    SetString(owner, "name", node_name, a);
    SetString(owner, "uid", node_uid, a);
    owners.PushBack(owner, a);
    SetMember(meta, "ownerReferences", std::move(owners), a);
  }
  Json& spec = EnsureObject(d, "spec", a);
  SetString(spec, "holderIdentity", node_name, a);
  SetMember(spec, "leaseDurationSeconds", Json(kLeaseDurationSeconds), a);
  SetString(spec, "renewTime", FormatMicroTime(now), a);
  return ToJson(d);
}

std::string LeaseRenewPatch(const std::string& node_name, TimePoint now) {
  return R"({"spec":{"holderIdentity":")" + node_name + R"(","renewTime":")" +
         FormatMicroTime(now) + R"("}})";
}

}  // namespace berth::kubelet
