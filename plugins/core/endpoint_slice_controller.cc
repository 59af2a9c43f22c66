#include "endpoint_slice_controller.h"

#include <map>
#include <set>

#include "canonical_json.h"
#include "endpoint_pods.h"
#include "endpoint_slice_writes.h"
#include "service_objects.h"
#include "validation.h"

namespace berth::core {
namespace {

constexpr const char* kZoneLabel = "topology.kubernetes.io/zone";

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

  std::map<std::string, const Json*> by_name;
  std::vector<std::string> stale;  // another Service's, or another type
  std::vector<ExistingSlice> existing = ReadOwnedSlices(
      slices->items, *service, "Service", labels_key, &by_name, &stale);
  SlicePlan plan = PlanSlices(existing, desired, max_per_slice_);
  for (const auto& n : stale) plan.remove.push_back(n);
  SliceHeader header;
  header.ns = ns;
  header.name = name;
  header.owner = &*service;
  header.owner_kind = "Service";
  header.labels = &labels;
  header.trigger_time = trigger;
  return WriteSlicePlan(client_, header, plan, by_name);
}

}  // namespace berth::core
