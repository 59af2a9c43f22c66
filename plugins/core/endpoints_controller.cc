#include "endpoints_controller.h"

#include "canonical_json.h"
#include "endpoint_pods.h"
#include "endpoints_subsets.h"
#include "service_objects.h"

namespace berth::core {
namespace {

// The labels the Endpoints should carry: the Service's, plus the headless
// label for a Service without a ClusterIP.
Json WantedLabels(const Json& service, JsonAlloc& a) {
  Json labels(rapidjson::kObjectType);
  if (const Json* l = Find(service, {"metadata", "labels"});
      l && l->IsObject()) {
    labels.CopyFrom(*l, a);
  }
  labels.RemoveMember(kHeadlessLabel);
  if (IsHeadless(service)) SetString(labels, kHeadlessLabel, "", a);
  return labels;
}

}  // namespace

StatusOr<ReconcileResult> EndpointsController::Reconcile(
    const ReconcileRequest& req) {
  if (Status s = SyncService(req.ns, req.name); !s.ok()) return s;
  return ReconcileResult{};
}

Status EndpointsController::SyncService(const std::string& ns,
                                        const std::string& name) {
  auto lock = locks_.Lock(ns, name);
  return SyncLocked(ns, name);
}

Status EndpointsController::SyncLocked(const std::string& ns,
                                       const std::string& name) {
  auto service = GetParsed(client_, kServicesResource, ns, name);
  if (!service.ok()) {
    if (!service.status().IsNotFound()) return service.status();
    // The Service went: so do its Endpoints.
    trigger_times_.Forget(ns, name);
    Status s = client_.Delete(kEndpointsResource, ns, name);
    return s.ok() || s.IsNotFound() ? Status::Ok() : s;
  }
  if (IsExternalName(*service) || !HasSelector(*service)) return Status::Ok();

  auto pods = ListParsed(client_, kPodsResource, ns, SelectorString(*service));
  if (!pods.ok()) return pods.status();
  // Computed even when nothing is written, so the tracker sees every sync.
  const std::string trigger = trigger_times_.Compute(*service, pods->items);

  JsonDoc doc;
  auto& a = doc.GetAllocator();
  Json subsets = BuildEndpointSubsets(*service, pods->items, a);
  Json labels = WantedLabels(*service, a);

  auto current = GetParsed(client_, kEndpointsResource, ns, name);
  if (!current.ok() && !current.status().IsNotFound()) {
    return current.status();
  }
  const bool create = !current.ok();
  if (!create) {
    const Json* had = Member(*current, "subsets");
    Json empty(rapidjson::kArrayType);
    const Json* had_labels = Find(*current, {"metadata", "labels"});
    Json no_labels(rapidjson::kObjectType);
    if (CanonicalJson(had ? *had : empty) == CanonicalJson(subsets) &&
        CanonicalJson(had_labels ? *had_labels : no_labels) ==
            CanonicalJson(labels)) {
      return Status::Ok();
    }
    doc.CopyFrom(*current, a);
  } else {
    doc.SetObject();
    SetString(doc, "apiVersion", "v1", a);
    SetString(doc, "kind", "Endpoints", a);
    Json& meta = EnsureObject(doc, "metadata", a);
    SetString(meta, "name", name, a);
    SetString(meta, "namespace", ns, a);
  }
  Json& meta = EnsureObject(doc, "metadata", a);
  SetMember(meta, "labels", std::move(labels), a);
  Json& annotations = EnsureObject(meta, "annotations", a);
  if (trigger.empty()) {
    annotations.RemoveMember(kTriggerTimeAnnotation);
  } else {
    SetString(annotations, kTriggerTimeAnnotation, trigger, a);
  }
  if (annotations.MemberCount() == 0) meta.RemoveMember("annotations");
  if (subsets.Empty()) {
    doc.RemoveMember("subsets");
  } else {
    SetMember(doc, "subsets", std::move(subsets), a);
  }
  if (create) {
    auto created = client_.Create(kEndpointsResource, ns, ToJson(doc));
    // A hand-made Endpoints raced in: the next sync updates it.
    return created.ok() ? Status::Ok() : created.status();
  }
  auto updated = client_.Update(kEndpointsResource, ns, ToJson(doc));
  return updated.ok() ? Status::Ok() : updated.status();
}

}  // namespace berth::core
