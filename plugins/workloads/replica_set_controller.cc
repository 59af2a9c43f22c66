#include "replica_set_controller.h"

#include <algorithm>
#include <chrono>

#include "berth/events.h"
#include "label_selector.h"
#include "owned_objects.h"
#include "pod_state.h"
#include "validation.h"

namespace berth::workloads {
namespace {

using core::Str;

const ResourceRef kPods{"", "v1", "pods"};
constexpr char kComponent[] = "replicaset-controller";

ObjectReference Regarding(const Json& rs) {
  ObjectReference r = ReferenceTo(rs);
  r.api_version = "apps/v1";
  r.kind = "ReplicaSet";
  return r;
}

// A pod made from the ReplicaSet's template, as
// controller.GetPodFromTemplate builds it.
std::string PodFromTemplate(const Json& rs) {
  JsonDoc pod(rapidjson::kObjectType);
  auto& a = pod.GetAllocator();
  SetString(pod, "apiVersion", "v1", a);
  SetString(pod, "kind", "Pod", a);
  Json& meta = EnsureObject(pod, "metadata", a);
  SetString(meta, "generateName", Str(Find(rs, {"metadata", "name"})) + "-", a);
  SetString(meta, "namespace", Str(Find(rs, {"metadata", "namespace"})), a);
  for (const char* m : {"labels", "annotations", "finalizers"}) {
    if (const Json* v = Find(rs, {"spec", "template", "metadata", m})) {
      SetMember(meta, m, Json(*v, a), a);
    }
  }
  Json refs(rapidjson::kArrayType);
  refs.PushBack(ControllerRef(rs, "apps/v1", "ReplicaSet", a), a);
  SetMember(meta, "ownerReferences", std::move(refs), a);
  if (const Json* spec = Find(rs, {"spec", "template", "spec"})) {
    SetMember(pod, "spec", Json(*spec, a), a);
  }
  return ToJson(pod);
}

// The create failed because the namespace is gone (NotFound) or being
// deleted (NamespaceLifecycle's Forbidden "... because it is being
// terminated").
bool NamespaceGoing(const Status& s) {
  return s.IsNotFound() ||
         (s.code() == Status::Code::kForbidden &&
          s.message().find("because it is being terminated") !=
              std::string::npos);
}

// True when every template label is on the pod (fullyLabeledReplicas).
bool FullyLabeled(const Json& pod, const Json* template_labels) {
  if (!template_labels || !template_labels->IsObject()) return true;
  const Json* labels = Find(pod, {"metadata", "labels"});
  for (auto it = template_labels->MemberBegin();
       it != template_labels->MemberEnd(); ++it) {
    const Json* v = labels ? Member(*labels, it->name.GetString()) : nullptr;
    if (!v || *v != it->value) return false;
  }
  return true;
}

// Status fields Kubernetes omits when zero are left out here too.
void SetCount(Json& status, const char* name, int64_t n, bool keep_zero,
              JsonAlloc& a) {
  if (n == 0 && !keep_zero) {
    status.RemoveMember(name);
  } else {
    SetMember(status, name, Json(n), a);
  }
}

}  // namespace

StatusOr<ReconcileResult> ReplicaSetController::Reconcile(
    const ReconcileRequest& req) {
  Client& client = host_.client();
  auto got = client.Get(Primary(), req.ns, req.name);
  if (!got.ok()) {
    if (got.status().IsNotFound()) return ReconcileResult{};
    return got.status();
  }
  auto parsed = ParseJson(*got);
  if (!parsed.ok()) return parsed.status();
  JsonDoc& rs = *parsed;
  const std::string uid = Str(Find(rs, {"metadata", "uid"}));
  const bool deleting = Find(rs, {"metadata", "deletionTimestamp"}) != nullptr;
  const Json* selector = Find(rs, {"spec", "selector"});
  auto selector_string = SelectorString(selector);
  if (!selector_string.ok()) return selector_string.status();

  // Every pod of the namespace, not only the selected ones: a pod we own
  // whose labels no longer match (relabelled to take it out of service)
  // is released, as Kubernetes' ClaimPods does, and replaced.
  auto pods = ListNamespace(client, kPods, req.ns);
  if (!pods.ok()) return pods.status();
  std::vector<const Json*> active;
  for (auto& pod : *pods) {
    const std::string owner = ControllerUid(*pod);
    const bool matches =
        !selector_string->empty() &&
        SelectorMatches(selector, Find(*pod, {"metadata", "labels"}));
    if (owner == uid && !matches) {
      Status s = Release(client, kPods, *pod, uid);
      if (!s.ok() && !s.IsNotFound()) return s;
      continue;
    }
    if (owner.empty() && matches && !deleting && IsPodActive(*pod)) {
      auto adopted = Adopt(client, kPods, *pod, rs, "apps/v1", "ReplicaSet");
      if (!adopted.ok()) {
        if (adopted.status().IsNotFound()) continue;
        return adopted.status();
      }
      auto doc = ParseJson(*adopted);
      if (!doc.ok()) return doc.status();
      *pod = std::move(*doc);
    } else if (owner != uid) {
      continue;
    }
    if (IsPodActive(*pod)) active.push_back(pod.get());
  }

  const int64_t want = GetInt(rs, {"spec", "replicas"}, 1);
  int64_t created = 0;
  if (!deleting) {
    const int64_t diff = static_cast<int64_t>(active.size()) - want;
    if (diff < 0) {
      const std::string pod = PodFromTemplate(rs);
      const int64_t n = std::min<int64_t>(-diff, kBurstReplicas);
      for (int64_t i = 0; i < n; ++i) {
        auto made = client.Create(kPods, req.ns, pod);
        if (!made.ok()) {
          // A namespace that is gone or being deleted takes the ReplicaSet
          // with it: nothing to retry, nothing to report (as Kubernetes).
          if (NamespaceGoing(made.status())) break;
          host_.RecordEvent(kComponent, Regarding(rs), "Warning",
                            "FailedCreate",
                            "Error creating: " + made.status().message());
          return made.status();
        }
        ++created;
        if (auto doc = ParseJson(*made); doc.ok()) {
          host_.RecordEvent(
              kComponent, Regarding(rs), "Normal", "SuccessfulCreate",
              "Created pod: " + Str(Find(*doc, {"metadata", "name"})));
        }
      }
    } else if (diff > 0) {
      std::stable_sort(
          active.begin(), active.end(),
          [](const Json* a, const Json* b) { return DeletesFirst(*a, *b); });
      const int64_t n = std::min<int64_t>(diff, kBurstReplicas);
      for (int64_t i = 0; i < n; ++i) {
        const std::string name = Str(Find(*active[i], {"metadata", "name"}));
        Status s = client.Delete(kPods, req.ns, name);
        if (!s.ok() && !s.IsNotFound()) {
          host_.RecordEvent(kComponent, Regarding(rs), "Warning",
                            "FailedDelete", "Error deleting: " + s.message());
          return s;
        }
        if (s.ok()) {
          host_.RecordEvent(kComponent, Regarding(rs), "Normal",
                            "SuccessfulDelete", "Deleted pod: " + name);
        }
      }
      active.erase(active.begin(), active.begin() + n);
    }
  }

  const auto now = std::chrono::system_clock::now();
  const int64_t min_ready = GetInt(rs, {"spec", "minReadySeconds"});
  const Json* template_labels =
      Find(rs, {"spec", "template", "metadata", "labels"});
  int64_t labeled = created, ready = 0, available = 0;
  std::optional<std::chrono::system_clock::duration> next_available;
  for (const Json* pod : active) {
    if (FullyLabeled(*pod, template_labels)) ++labeled;
    if (!IsPodReady(*pod)) continue;
    ++ready;
    if (IsPodAvailable(*pod, min_ready, now)) {
      ++available;
    } else if (auto since = ReadySince(*pod)) {
      auto wait = *since + std::chrono::seconds(min_ready) - now;
      if (!next_available || wait < *next_available) next_available = wait;
    }
  }

  JsonDoc status(rapidjson::kObjectType);
  if (const Json* old = Member(rs, "status"); old && old->IsObject()) {
    status.CopyFrom(*old, status.GetAllocator());
  }
  auto& a = status.GetAllocator();
  SetCount(status, "replicas", static_cast<int64_t>(active.size()) + created,
           true, a);
  SetCount(status, "fullyLabeledReplicas", labeled, false, a);
  SetCount(status, "readyReplicas", ready, false, a);
  SetCount(status, "availableReplicas", available, false, a);
  SetCount(status, "observedGeneration", GetInt(rs, {"metadata", "generation"}),
           false, a);
  const Json* old_status = Member(rs, "status");
  if (!old_status || *old_status != status) {
    SetMember(rs, "status", Json(status, rs.GetAllocator()), rs.GetAllocator());
    auto updated = client.Update(Primary(), req.ns, ToJson(rs), "status");
    if (!updated.ok() && !updated.status().IsNotFound()) {
      return updated.status();
    }
  }

  ReconcileResult result;
  if (next_available) {
    // A little past the moment, so the pod is available when we look.
    result.requeue_after =
        std::chrono::duration_cast<std::chrono::milliseconds>(*next_available) +
        std::chrono::milliseconds(100);
    if (result.requeue_after.count() <= 0) {
      result.requeue_after = std::chrono::milliseconds(100);
    }
  }
  return result;
}

}  // namespace berth::workloads
