#include "endpoint_slice_controller.h"

#include <map>
#include <set>

#include "canonical_json.h"
#include "endpoint_pods.h"
#include "service_objects.h"
#include "validation.h"

namespace berth::core {
namespace {

constexpr const char* kZoneLabel = "topology.kubernetes.io/zone";
// getEndpointSlicePrefix: generated names stay within 63 characters.
constexpr size_t kMaxPrefix = 58;

// setEndpointSliceLabels: the Service's labels, but never the reserved ones
// the controller sets itself.
Json WantedLabels(const Json& service, JsonAlloc& a) {
  Json labels(rapidjson::kObjectType);
  if (const Json* l = Find(service, {"metadata", "labels"});
      l && l->IsObject()) {
    labels.CopyFrom(*l, a);
  }
  labels.RemoveMember(kHeadlessLabel);
  SetString(labels, kServiceNameLabel, GetString(service, {"metadata", "name"}),
            a);
  SetString(labels, kManagedByLabel, kSliceControllerName, a);
  if (IsHeadless(service)) SetString(labels, kHeadlessLabel, "", a);
  return labels;
}

bool OwnedBy(const Json& slice, const std::string& uid) {
  const Json* refs = Find(slice, {"metadata", "ownerReferences"});
  if (!refs || !refs->IsArray()) return false;
  for (const auto& r : refs->GetArray()) {
    if (Str(Member(r, "uid")) == uid && Str(Member(r, "kind")) == "Service") {
      return true;
    }
  }
  return false;
}

Json OwnerRefs(const Json& service, JsonAlloc& a) {
  Json ref(rapidjson::kObjectType);
  SetString(ref, "apiVersion", "v1", a);
  SetString(ref, "kind", "Service", a);
  SetString(ref, "name", GetString(service, {"metadata", "name"}), a);
  SetString(ref, "uid", GetString(service, {"metadata", "uid"}), a);
  SetMember(ref, "controller", Json(true), a);
  SetMember(ref, "blockOwnerDeletion", Json(true), a);
  Json refs(rapidjson::kArrayType);
  refs.PushBack(std::move(ref), a);
  return refs;
}

// Fills a slice object's labels, annotations, ports and endpoints from
// `planned`.
Status FillSlice(Json& slice, const PlannedSlice& planned, const Json& labels,
                 const std::string& trigger, JsonAlloc& a) {
  Json& meta = EnsureObject(slice, "metadata", a);
  Json l;
  l.CopyFrom(labels, a);
  SetMember(meta, "labels", std::move(l), a);
  Json& annotations = EnsureObject(meta, "annotations", a);
  if (trigger.empty()) {
    annotations.RemoveMember(kTriggerTimeAnnotation);
  } else {
    SetString(annotations, kTriggerTimeAnnotation, trigger, a);
  }
  if (annotations.MemberCount() == 0) meta.RemoveMember("annotations");
  SetString(slice, "addressType", "IPv4", a);
  auto ports = ParseJson(planned.ports);
  if (!ports.ok()) return Status::Internal(ports.status().message());
  if (ports->IsArray() && !ports->Empty()) {
    Json p;
    p.CopyFrom(*ports, a);
    SetMember(slice, "ports", std::move(p), a);
  } else {
    slice.RemoveMember("ports");
  }
  Json endpoints(rapidjson::kArrayType);
  for (const auto& ep : planned.endpoints) {
    auto parsed = ParseJson(ep.json);
    if (!parsed.ok()) return Status::Internal(parsed.status().message());
    Json e;
    e.CopyFrom(*parsed, a);
    endpoints.PushBack(std::move(e), a);
  }
  SetMember(slice, "endpoints", std::move(endpoints), a);
  return Status::Ok();
}

}  // namespace

StatusOr<ReconcileResult> EndpointSliceController::Reconcile(
    const ReconcileRequest& req) {
  if (Status s = SyncService(req.ns, req.name); !s.ok()) return s;
  return ReconcileResult{};
}

Status EndpointSliceController::SyncService(const std::string& ns,
                                            const std::string& name) {
  auto lock = locks_.Lock(ns, name);
  return SyncLocked(ns, name);
}

Status EndpointSliceController::SyncLocked(const std::string& ns,
                                           const std::string& name) {
  auto service = GetParsed(client_, kServicesResource, ns, name);
  if (!service.ok()) {
    if (!service.status().IsNotFound()) return service.status();
    // Its slices are owned by it: the garbage collector deletes them.
    trigger_times_.Forget(ns, name);
    return Status::Ok();
  }
  if (IsExternalName(*service) || !HasSelector(*service)) return Status::Ok();
  if (Find(*service, {"metadata", "deletionTimestamp"})) return Status::Ok();
  const std::string uid = GetString(*service, {"metadata", "uid"});

  auto pods = ListParsed(client_, kPodsResource, ns, SelectorString(*service));
  if (!pods.ok()) return pods.status();
  const std::string trigger = trigger_times_.Compute(*service, pods->items);

  // The zones of the pods' nodes, one read per node.
  std::map<std::string, std::string> zones;
  std::set<std::string> nodes_seen;
  for (const Json* pod : pods->items) {
    const std::string node = GetString(*pod, {"spec", "nodeName"});
    if (node.empty() || !nodes_seen.insert(node).second) continue;
    auto got = GetParsed(client_, kNodesResource, "", node);
    if (!got.ok()) {
      if (got.status().IsNotFound()) continue;
      return got.status();
    }
    const std::string zone =
        GetString(*got, {"metadata", "labels", kZoneLabel});
    if (!zone.empty()) zones[node] = zone;
  }
  const DesiredSliceEndpoints desired =
      BuildDesiredSliceEndpoints(*service, pods->items, zones);

  auto slices = ListParsed(client_, kEndpointSlicesResource, ns,
                           std::string(kServiceNameLabel) + "=" + name + "," +
                               kManagedByLabel + "=" + kSliceControllerName);
  if (!slices.ok()) return slices.status();

  JsonDoc scratch;
  auto& a = scratch.GetAllocator();
  const Json labels = WantedLabels(*service, a);
  const std::string labels_key = CanonicalJson(labels);

  std::vector<ExistingSlice> existing;
  std::map<std::string, const Json*> by_name;
  std::vector<std::string> stale;  // another Service's, or another type
  for (const Json* slice : slices->items) {
    const std::string slice_name = GetString(*slice, {"metadata", "name"});
    if (!OwnedBy(*slice, uid) || Str(Member(*slice, "addressType")) != "IPv4") {
      stale.push_back(slice_name);
      continue;
    }
    ExistingSlice e;
    e.name = slice_name;
    e.ports = PortsKey(Member(*slice, "ports"));
    if (const Json* eps = Member(*slice, "endpoints"); eps && eps->IsArray()) {
      for (const auto& ep : eps->GetArray()) {
        e.endpoints.push_back({EndpointKey(ep), CanonicalJson(ep)});
      }
    }
    const Json* have = Find(*slice, {"metadata", "labels"});
    e.labels_current = have && CanonicalJson(*have) == labels_key;
    existing.push_back(std::move(e));
    by_name[slice_name] = slice;
  }

  SlicePlan plan = PlanSlices(existing, desired, max_per_slice_);
  for (const auto& n : stale) plan.remove.push_back(n);

  // Creates and updates first, so the Service never has fewer endpoints
  // than it should between the writes.
  for (const auto& planned : plan.create) {
    JsonDoc slice;
    auto& sa = slice.GetAllocator();
    slice.SetObject();
    SetString(slice, "apiVersion", "discovery.k8s.io/v1", sa);
    SetString(slice, "kind", "EndpointSlice", sa);
    Json& meta = EnsureObject(slice, "metadata", sa);
    SetString(meta, "generateName", name.substr(0, kMaxPrefix - 1) + "-", sa);
    SetString(meta, "namespace", ns, sa);
    SetMember(meta, "ownerReferences", OwnerRefs(*service, sa), sa);
    if (Status s = FillSlice(slice, planned, labels, trigger, sa); !s.ok()) {
      return s;
    }
    auto created = client_.Create(kEndpointSlicesResource, ns, ToJson(slice));
    if (!created.ok()) return created.status();
  }
  for (const auto& planned : plan.update) {
    JsonDoc slice;
    auto& sa = slice.GetAllocator();
    slice.CopyFrom(*by_name.at(planned.name), sa);
    if (Status s = FillSlice(slice, planned, labels, trigger, sa); !s.ok()) {
      return s;
    }
    auto updated = client_.Update(kEndpointSlicesResource, ns, ToJson(slice));
    if (!updated.ok()) return updated.status();
  }
  for (const auto& n : plan.remove) {
    Status s = client_.Delete(kEndpointSlicesResource, ns, n);
    if (!s.ok() && !s.IsNotFound()) return s;
  }
  return Status::Ok();
}

}  // namespace berth::core
