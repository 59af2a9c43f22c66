#include "stateful_set_controller.h"

#include "controller_io.h"
#include "label_selector.h"
#include "owned_objects.h"
#include "pod_state.h"
#include "pod_template_hash.h"
#include "stateful_set_plan.h"
#include "validation.h"

namespace berth::workloads {
namespace {

using core::Str;

constexpr char kRevisionLabel[] = "controller-revision-hash";
constexpr char kPodNameLabel[] = "statefulset.kubernetes.io/pod-name";
constexpr char kPodIndexLabel[] = "apps.kubernetes.io/pod-index";

std::string ClaimName(const Json& claim_template, const std::string& pod) {
  return GetString(claim_template, {"metadata", "name"}) + "-" + pod;
}

std::string PodName(const Json& set, int64_t ordinal) {
  return GetString(set, {"metadata", "name"}) + "-" + std::to_string(ordinal);
}

}  // namespace

JsonDoc NewStatefulPod(const Json& set, int64_t ordinal,
                       const std::string& revision) {
  JsonDoc pod(rapidjson::kObjectType);
  auto& a = pod.GetAllocator();
  const std::string name = PodName(set, ordinal);
  SetString(pod, "apiVersion", "v1", a);
  SetString(pod, "kind", "Pod", a);
  Json& meta = EnsureObject(pod, "metadata", a);
  if (const Json* tmeta = Find(set, {"spec", "template", "metadata"})) {
    for (const char* f : {"labels", "annotations"}) {
      if (const Json* v = Member(*tmeta, f)) SetMember(meta, f, Json(*v, a), a);
    }
  }
  SetString(meta, "name", name, a);
  Json& labels = EnsureObject(meta, "labels", a);
  SetString(labels, kRevisionLabel, revision, a);
  SetString(labels, kPodNameLabel, name, a);
  SetString(labels, kPodIndexLabel, std::to_string(ordinal), a);
  SetControllerRef(pod, set, a);
  const Json* tspec = Find(set, {"spec", "template", "spec"});
  Json spec(tspec ? Json(*tspec, a) : Json(rapidjson::kObjectType));
  SetString(spec, "hostname", name, a);
  const std::string service = GetString(set, {"spec", "serviceName"});
  if (!service.empty()) SetString(spec, "subdomain", service, a);
  // Each claim template becomes a volume of the same name bound to this
  // pod's own claim, replacing a template volume of that name.
  if (const Json* claims = Find(set, {"spec", "volumeClaimTemplates"});
      claims && claims->IsArray() && !claims->Empty()) {
    Json* volumes = Member(spec, "volumes");
    if (!volumes || !volumes->IsArray()) {
      SetMember(spec, "volumes", Json(rapidjson::kArrayType), a);
      volumes = Member(spec, "volumes");
    }
    for (const auto& claim : claims->GetArray()) {
      const std::string vname = GetString(claim, {"metadata", "name"});
      Json kept(rapidjson::kArrayType);
      for (auto& v : volumes->GetArray()) {
        if (Str(Member(v, "name")) != vname) kept.PushBack(Json(v, a), a);
      }
      Json source(rapidjson::kObjectType);
      SetString(source, "claimName", ClaimName(claim, name), a);
      Json volume(rapidjson::kObjectType);
      SetString(volume, "name", vname, a);
      SetMember(volume, "persistentVolumeClaim", std::move(source), a);
      kept.PushBack(std::move(volume), a);
      *volumes = std::move(kept);
    }
  }
  SetMember(pod, "spec", std::move(spec), a);
  return pod;
}

StatefulSetController::StatefulSetController(Host& host, Clock clock)
    : host_(host),
      client_(host.client()),
      clock_(clock ? std::move(clock)
                   : [] { return std::chrono::system_clock::now(); }) {}

void StatefulSetController::Event(const Json& obj, const char* type,
                                  const char* reason,
                                  const std::string& message) {
  host_.RecordEvent("statefulset-controller", ReferenceTo(obj), type, reason,
                    message);
}

ResourceRef StatefulSetController::Primary() const { return kStatefulSets; }
std::vector<ResourceRef> StatefulSetController::Owns() const { return {kPods}; }

Status StatefulSetController::EnsureClaims(const Json& set, int64_t ordinal) {
  const Json* claims = Find(set, {"spec", "volumeClaimTemplates"});
  if (!claims || !claims->IsArray()) return {};
  const std::string ns = GetString(set, {"metadata", "namespace"});
  const std::string pod = PodName(set, ordinal);
  for (const auto& claim : claims->GetArray()) {
    JsonDoc pvc(rapidjson::kObjectType);
    auto& a = pvc.GetAllocator();
    SetString(pvc, "apiVersion", "v1", a);
    SetString(pvc, "kind", "PersistentVolumeClaim", a);
    Json meta(rapidjson::kObjectType);
    if (const Json* cmeta = Member(claim, "metadata")) {
      for (const char* f : {"labels", "annotations"}) {
        if (const Json* v = Member(*cmeta, f)) {
          SetMember(meta, f, Json(*v, a), a);
        }
      }
    }
    SetString(meta, "name", ClaimName(claim, pod), a);
    // The claim carries the set's selector labels, as Kubernetes does, so
    // it can be found by them.
    Json& labels = EnsureObject(meta, "labels", a);
    if (const Json* ml = Find(set, {"spec", "selector", "matchLabels"});
        ml && ml->IsObject()) {
      for (auto it = ml->MemberBegin(); it != ml->MemberEnd(); ++it) {
        SetMember(labels, it->name.GetString(), Json(it->value, a), a);
      }
    }
    SetMember(pvc, "metadata", std::move(meta), a);
    if (const Json* spec = Member(claim, "spec")) {
      SetMember(pvc, "spec", Json(*spec, a), a);
    }
    auto created = client_.Create(kPersistentVolumeClaims, ns, ToJson(pvc));
    if (created.ok()) {
      Event(set, "Normal", "SuccessfulCreate",
            "create Claim " + ClaimName(claim, pod) + " Pod " + pod +
                " in StatefulSet " + GetString(set, {"metadata", "name"}) +
                " success");
    }
    if (created.ok() || created.status().IsAlreadyExists()) continue;
    // No storage plugin: the server does not serve the resource.
    if (created.status().IsNotFound()) return {};
    return created.status();
  }
  return {};
}

StatusOr<ReconcileResult> StatefulSetController::Reconcile(
    const ReconcileRequest& req) {
  auto got = GetObject(client_, kStatefulSets, req.ns, req.name);
  if (!got.ok()) {
    if (got.status().IsNotFound()) return ReconcileResult{};
    return got.status();
  }
  const JsonDoc& set = *got;
  if (Find(set, {"metadata", "deletionTimestamp"})) return ReconcileResult{};
  const std::string uid = GetString(set, {"metadata", "uid"});
  const Json* tmpl = Find(set, {"spec", "template"});
  auto selector_text = SelectorString(Find(set, {"spec", "selector"}));
  if (!tmpl || !selector_text.ok()) return ReconcileResult{};
  const Json* collisions = Find(set, {"status", "collisionCount"});
  // Hashed with the collision count always (0 until set), so the
  // revision does not change when the status first records the count.
  const std::string update_revision =
      req.name + "-" +
      PodTemplateHash(*tmpl, GetInt(*got, {"status", "collisionCount"}));
  std::string current_revision =
      GetString(set, {"status", "currentRevision"}, update_revision);

  auto pods = ListObjects(client_, kPods, req.ns, *selector_text);
  if (!pods.ok()) return pods.status();

  StatefulSetPlanInput in;
  in.replicas = GetInt(set, {"spec", "replicas"}, 1);
  in.parallel = GetString(set, {"spec", "podManagementPolicy"}) == "Parallel";
  in.rolling_update = GetString(set, {"spec", "updateStrategy", "type"},
                                "RollingUpdate") == "RollingUpdate";
  in.partition =
      GetInt(set, {"spec", "updateStrategy", "rollingUpdate", "partition"});
  in.update_revision = update_revision;
  const auto now = clock_();
  const int64_t min_ready = GetInt(set, {"spec", "minReadySeconds"});
  int64_t replicas = 0, ready = 0, available = 0, current = 0, updated = 0;
  for (const auto& pod : (*pods)["items"].GetArray()) {
    if (ControllerUid(pod) != uid) continue;
    const int64_t ordinal =
        OrdinalOf(req.name, GetString(pod, {"metadata", "name"}));
    if (ordinal < 0) continue;
    StatefulPod p;
    p.ordinal = ordinal;
    p.revision = GetString(pod, {"metadata", "labels", kRevisionLabel});
    const std::string phase = GetString(pod, {"status", "phase"});
    p.running_ready = phase == "Running" && IsPodReady(pod);
    p.terminating = Find(pod, {"metadata", "deletionTimestamp"}) != nullptr;
    p.failed = phase == "Failed" || phase == "Succeeded";
    in.pods.push_back(p);
    if (p.terminating) continue;
    ++replicas;
    if (IsPodReady(pod)) ++ready;
    if (IsPodAvailable(pod, min_ready, now)) ++available;
    if (p.revision == current_revision) ++current;
    if (p.revision == update_revision) ++updated;
  }

  const StatefulSetPlan plan = PlanStatefulSet(in);
  for (int64_t ordinal : plan.remove) {
    Status s = client_.Delete(kPods, req.ns, PodName(set, ordinal));
    if (!s.ok() && !s.IsNotFound()) return s;
    if (s.ok()) {
      Event(set, "Normal", "SuccessfulDelete",
            "delete Pod " + PodName(set, ordinal) + " in StatefulSet " +
                req.name + " successful");
    }
  }
  for (int64_t ordinal : plan.create) {
    if (Status s = EnsureClaims(set, ordinal); !s.ok()) return s;
    JsonDoc pod = NewStatefulPod(set, ordinal, update_revision);
    auto created = client_.Create(kPods, req.ns, ToJson(pod));
    if (!created.ok() && !created.status().IsAlreadyExists()) {
      return created.status();
    }
    if (created.ok()) {
      Event(set, "Normal", "SuccessfulCreate",
            "create Pod " + PodName(set, ordinal) + " in StatefulSet " +
                req.name + " successful");
    }
    ++replicas;
    ++updated;
    if (current_revision == update_revision) ++current;
  }

  // The update is complete once every replica runs the new revision.
  if (updated == in.replicas && replicas == in.replicas) {
    current_revision = update_revision;
    current = updated;
  }
  JsonDoc status(rapidjson::kObjectType);
  auto& a = status.GetAllocator();
  status.AddMember("availableReplicas", available, a);
  if (collisions)
    SetMember(status, "collisionCount", Json(*collisions, a), a);
  else
    status.AddMember("collisionCount", 0, a);
  if (current) status.AddMember("currentReplicas", current, a);
  SetString(status, "currentRevision", current_revision, a);
  status.AddMember("observedGeneration",
                   GetInt(set, {"metadata", "generation"}, 1), a);
  if (ready) status.AddMember("readyReplicas", ready, a);
  status.AddMember("replicas", replicas, a);
  SetString(status, "updateRevision", update_revision, a);
  if (updated) status.AddMember("updatedReplicas", updated, a);
  if (Status s = WriteStatus(client_, kStatefulSets, req.ns, req.name,
                             Find(set, {"status"}), status);
      !s.ok()) {
    return s;
  }
  if (min_ready > 0 && ready > available) {
    return ReconcileResult{std::chrono::seconds(1)};
  }
  return ReconcileResult{};
}

}  // namespace berth::workloads
