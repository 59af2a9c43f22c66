#include "endpoint_slice_mirroring.h"

#include <algorithm>
#include <map>

#include "canonical_json.h"
#include "endpoint_pods.h"
#include "endpoint_slice_writes.h"
#include "service_objects.h"
#include "validation.h"

namespace berth::core {
namespace {

// A discovery/v1 port from a core/v1 EndpointPort.
Json SlicePort(const Json& port, JsonAlloc& a) {
  Json out(rapidjson::kObjectType);
  SetString(out, "name", Str(Member(port, "name")), a);
  if (const Json* p = Member(port, "port"); p && p->IsInt()) {
    SetMember(out, "port", Json(p->GetInt()), a);
  }
  const std::string protocol = Str(Member(port, "protocol"));
  SetString(out, "protocol", protocol.empty() ? "TCP" : protocol, a);
  if (const Json* app = Member(port, "appProtocol"); app && app->IsString()) {
    SetString(out, "appProtocol", app->GetString(), a);
  }
  return out;
}

// A discovery/v1 Endpoint from a core/v1 EndpointAddress.
Json SliceEndpointOf(const Json& address, bool ready, JsonAlloc& a) {
  Json out(rapidjson::kObjectType);
  Json addresses(rapidjson::kArrayType);
  addresses.PushBack(Json(Str(Member(address, "ip")).c_str(), a), a);
  SetMember(out, "addresses", std::move(addresses), a);
  Json conditions(rapidjson::kObjectType);
  SetMember(conditions, "ready", Json(ready), a);
  SetMember(out, "conditions", std::move(conditions), a);
  for (const char* key : {"hostname", "nodeName"}) {
    const std::string v = Str(Member(address, key));
    if (!v.empty()) SetString(out, key, v, a);
  }
  if (const Json* ref = Member(address, "targetRef"); ref && ref->IsObject()) {
    Json r;
    r.CopyFrom(*ref, a);
    SetMember(out, "targetRef", std::move(r), a);
  }
  return out;
}

Json WantedLabels(const Json& endpoints, JsonAlloc& a) {
  Json labels(rapidjson::kObjectType);
  if (const Json* l = Find(endpoints, {"metadata", "labels"});
      l && l->IsObject()) {
    labels.CopyFrom(*l, a);
  }
  labels.RemoveMember(kSkipMirrorLabel);
  SetString(labels, kServiceNameLabel,
            GetString(endpoints, {"metadata", "name"}), a);
  SetString(labels, kManagedByLabel, kMirroringControllerName, a);
  return labels;
}

// Brings each Service's name to the mirroring controller.
class ServiceTriggerController : public Controller {
 public:
  explicit ServiceTriggerController(EndpointSliceMirroringController& target)
      : target_(target) {}
  std::string Name() const override { return "endpointslicemirroring-svc"; }
  ResourceRef Primary() const override { return kServicesResource; }
  StatusOr<ReconcileResult> Reconcile(const ReconcileRequest& req) override {
    if (Status s = target_.Sync(req.ns, req.name); !s.ok()) return s;
    return ReconcileResult{};
  }

 private:
  EndpointSliceMirroringController& target_;
};

}  // namespace

DesiredSliceEndpoints MirroredSliceEndpoints(const Json& endpoints) {
  DesiredSliceEndpoints out;
  const Json* subsets = Member(endpoints, "subsets");
  if (!subsets || !subsets->IsArray()) return out;
  JsonDoc scratch;
  auto& a = scratch.GetAllocator();
  for (const auto& subset : subsets->GetArray()) {
    Json ports(rapidjson::kArrayType);
    if (const Json* p = Member(subset, "ports"); p && p->IsArray()) {
      for (const auto& port : p->GetArray()) {
        ports.PushBack(SlicePort(port, a), a);
      }
    }
    std::vector<SliceEndpoint>& list = out[PortsKey(&ports)];
    for (const auto& [key, ready] : {std::pair{"addresses", true},
                                     std::pair{"notReadyAddresses", false}}) {
      const Json* addresses = Member(subset, key);
      if (!addresses || !addresses->IsArray()) continue;
      for (const auto& address : addresses->GetArray()) {
        const std::string ip = Str(Member(address, "ip"));
        // IPv4 slices only; an IPv6 address would need its own slice.
        if (ip.empty() || ip.find(':') != std::string::npos) continue;
        Json ep = SliceEndpointOf(address, ready, a);
        SliceEndpoint e{EndpointKey(ep), CanonicalJson(ep)};
        if (std::find(list.begin(), list.end(), e) == list.end()) {
          list.push_back(std::move(e));
        }
      }
    }
  }
  for (auto it = out.begin(); it != out.end();) {
    if (it->second.empty()) {
      it = out.erase(it);
      continue;
    }
    std::sort(it->second.begin(), it->second.end(),
              [](const SliceEndpoint& x, const SliceEndpoint& y) {
                return x.key < y.key;
              });
    ++it;
  }
  return out;
}

StatusOr<ReconcileResult> EndpointSliceMirroringController::Reconcile(
    const ReconcileRequest& req) {
  if (Status s = Sync(req.ns, req.name); !s.ok()) return s;
  return ReconcileResult{};
}

std::shared_ptr<Controller> EndpointSliceMirroringController::ServiceTrigger() {
  return std::make_shared<ServiceTriggerController>(*this);
}

Status EndpointSliceMirroringController::Sync(const std::string& ns,
                                              const std::string& name) {
  auto lock = locks_.Lock(ns, name);
  return SyncLocked(ns, name);
}

Status EndpointSliceMirroringController::SyncLocked(const std::string& ns,
                                                    const std::string& name) {
  auto slices =
      ListParsed(client_, kEndpointSlicesResource, ns,
                 std::string(kServiceNameLabel) + "=" + name + "," +
                     kManagedByLabel + "=" + kMirroringControllerName);
  if (!slices.ok()) return slices.status();
  auto delete_all = [&]() -> Status {
    for (const Json* slice : slices->items) {
      Status s = client_.Delete(kEndpointSlicesResource, ns,
                                GetString(*slice, {"metadata", "name"}));
      if (!s.ok() && !s.IsNotFound()) return s;
    }
    return Status::Ok();
  };

  auto endpoints = GetParsed(client_, kEndpointsResource, ns, name);
  if (!endpoints.ok()) {
    if (!endpoints.status().IsNotFound()) return endpoints.status();
    return delete_all();
  }
  auto service = GetParsed(client_, kServicesResource, ns, name);
  if (!service.ok() && !service.status().IsNotFound()) {
    return service.status();
  }
  const bool mirror = service.ok() && !HasSelector(*service) &&
                      GetString(*endpoints, {"metadata", "labels",
                                             kSkipMirrorLabel}) != "true" &&
                      !Find(*endpoints, {"metadata", "deletionTimestamp"});
  if (!mirror) return delete_all();

  JsonDoc scratch;
  auto& a = scratch.GetAllocator();
  const Json labels = WantedLabels(*endpoints, a);
  std::map<std::string, const Json*> by_name;
  std::vector<std::string> stale;  // an earlier Endpoints' of this name
  std::vector<ExistingSlice> existing =
      ReadOwnedSlices(slices->items, *endpoints, "Endpoints",
                      CanonicalJson(labels), &by_name, &stale);
  const DesiredSliceEndpoints desired = MirroredSliceEndpoints(*endpoints);
  SlicePlan plan;
  if (desired.empty()) {
    // No placeholder: Endpoints without addresses mirror to no slice.
    for (const auto& e : existing) plan.remove.push_back(e.name);
  } else {
    plan = PlanSlices(existing, desired, max_per_slice_);
  }
  for (const auto& n : stale) plan.remove.push_back(n);
  SliceHeader header;
  header.ns = ns;
  header.name = name;
  header.owner = &*endpoints;
  header.owner_kind = "Endpoints";
  header.labels = &labels;
  return WriteSlicePlan(client_, header, plan, by_name);
}

}  // namespace berth::core
