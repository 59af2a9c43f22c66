#include "kubernetes_endpoints.h"

#include <initializer_list>
#include <string_view>

namespace berth::core {
namespace {

const ResourceRef kEndpoints{"", "v1", "endpoints"};
const ResourceRef kSlices{"discovery.k8s.io", "v1", "endpointslices"};

std::string Quoted(const std::string& s) {
  JsonDoc d;
  d.SetString(s.data(), static_cast<rapidjson::SizeType>(s.size()),
              d.GetAllocator());
  return ToJson(d);
}

std::string Ports(const ApiEndpoint& api) {
  return R"([{"name":"https","port":)" + std::to_string(api.port) +
         R"(,"protocol":"TCP"}])";
}

// Whether `existing` has the members of `desired` named by `keys`, equal
// once serialized (both come from this file or from the server storing
// what this file wrote, so the member order is the same).
bool Matches(const Json& existing, const Json& desired,
             std::initializer_list<std::string_view> keys) {
  for (std::string_view key : keys) {
    const Json* have = Member(existing, key);
    const Json* want = Member(desired, key);
    if (want == nullptr) continue;
    if (have == nullptr || ToJson(*have) != ToJson(*want)) return false;
  }
  const Json* want_labels = Find(desired, {"metadata", "labels"});
  if (want_labels == nullptr) return true;
  for (auto it = want_labels->MemberBegin(); it != want_labels->MemberEnd();
       ++it) {
    const std::string key(it->name.GetString(), it->name.GetStringLength());
    const Json* labels = Find(existing, {"metadata", "labels"});
    const Json* have = labels ? Member(*labels, key) : nullptr;
    if (have == nullptr || !have->IsString() ||
        std::string_view(have->GetString(), have->GetStringLength()) !=
            std::string_view(it->value.GetString(),
                             it->value.GetStringLength())) {
      return false;
    }
  }
  return true;
}

// Creates `desired` in default, or brings the existing object's `keys` and
// labels to it, keeping the rest (resourceVersion makes it a
// compare-and-swap).
Status Ensure(Client& client, const ResourceRef& r, const std::string& text,
              std::initializer_list<std::string_view> keys) {
  JsonDoc desired = ParseJson(text).value();
  auto got = client.Get(r, "default", "kubernetes");
  if (!got.ok()) {
    if (!got.status().IsNotFound()) return got.status();
    auto created = client.Create(r, "default", text);
    if (created.ok() || created.status().IsAlreadyExists()) return {};
    return created.status();
  }
  auto parsed = ParseJson(*got);
  if (!parsed.ok()) return parsed.status();
  JsonDoc existing = std::move(parsed).value();
  if (Matches(existing, desired, keys)) return {};
  auto& a = existing.GetAllocator();
  for (std::string_view key : keys) {
    const Json* want = Member(desired, key);
    if (want == nullptr) continue;
    SetMember(existing, key, Json(*want, a), a);
  }
  Json& labels =
      EnsureObject(EnsureObject(existing, "metadata", a), "labels", a);
  const Json& want_labels = *Find(desired, {"metadata", "labels"});
  for (auto it = want_labels.MemberBegin(); it != want_labels.MemberEnd();
       ++it) {
    SetMember(
        labels,
        std::string_view(it->name.GetString(), it->name.GetStringLength()),
        Json(it->value, a), a);
  }
  auto updated = client.Update(r, "default", ToJson(existing), "");
  return updated.ok() ? Status::Ok() : updated.status();
}

}  // namespace

std::string KubernetesEndpointsObject(const ApiEndpoint& api) {
  return R"({"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"kubernetes",)"
         R"("namespace":"default","labels":{"endpointslice.kubernetes.io/skip-mirror":"true"}},)"
         R"("subsets":[{"addresses":[{"ip":)" +
         Quoted(api.address) + R"(}],"ports":)" + Ports(api) + "}]}";
}

std::string KubernetesEndpointSliceObject(const ApiEndpoint& api) {
  const bool v6 = api.address.find(':') != std::string::npos;
  return R"({"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice",)"
         R"("metadata":{"name":"kubernetes","namespace":"default",)"
         R"("labels":{"kubernetes.io/service-name":"kubernetes"}},)"
         R"("addressType":")" +
         std::string(v6 ? "IPv6" : "IPv4") +
         R"(","endpoints":[{"addresses":[)" + Quoted(api.address) +
         R"(],"conditions":{"ready":true}}],"ports":)" + Ports(api) + "}";
}

Status KubernetesEndpointsReconciler::Sync(const ApiEndpoint& api) {
  Client& client = host_.client();
  if (Status s = Ensure(client, kEndpoints, KubernetesEndpointsObject(api),
                        {"subsets"});
      !s.ok()) {
    return s;
  }
  return Ensure(client, kSlices, KubernetesEndpointSliceObject(api),
                {"addressType", "endpoints", "ports"});
}

StatusOr<ReconcileResult> KubernetesEndpointsReconciler::Reconcile(
    const ReconcileRequest& req) {
  if (req.ns != "default" || req.name != "kubernetes") return ReconcileResult{};
  const ApiEndpoint api = host_.api_endpoint();
  if (api.address.empty() || api.port == 0) return ReconcileResult{};
  if (Status s = Sync(api); !s.ok()) return s;
  return ReconcileResult{kInterval};
}

}  // namespace berth::core
