#include "volume_binder.h"

#include <ctime>
#include <vector>

#include "in_use_protection.h"
#include "storage_fields.h"
#include "validation.h"
#include "volume_matching.h"

namespace berth::storage {
namespace {

using core::Str;

const ResourceRef kVolumes{"", "v1", "persistentvolumes"};
const ResourceRef kClaims{"", "v1", "persistentvolumeclaims"};
const ResourceRef kClasses{"storage.k8s.io", "v1", "storageclasses"};
const ResourceRef kPods{"", "v1", "pods"};
const ResourceRef kNodes{"", "v1", "nodes"};

StatusOr<JsonDoc> Parsed(StatusOr<std::string> text) {
  if (!text.ok()) return text.status();
  return ParseJson(*text);
}

std::string NameOf(const Json& obj) {
  return Str(Find(obj, {"metadata", "name"}));
}
std::string NamespaceOf(const Json& obj) {
  return Str(Find(obj, {"metadata", "namespace"}));
}
std::string Annotation(const Json& obj, const char* key) {
  return Str(Find(obj, {"metadata", "annotations", key}));
}

void SetAnnotation(JsonDoc& obj, const char* key, const std::string& value) {
  auto& a = obj.GetAllocator();
  Json& annotations =
      EnsureObject(EnsureObject(obj, "metadata", a), "annotations", a);
  SetString(annotations, key, value, a);
}

std::string NowRfc3339() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

bool SameMember(const Json* a, const Json* b) {
  if (!a || !b) return a == b;
  return *a == *b;
}

}  // namespace

StatusOr<ReconcileResult> VolumeBinder::SyncClaim(const std::string& ns,
                                                  const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  return SyncClaimLocked(ns, name);
}

StatusOr<ReconcileResult> VolumeBinder::SyncClaimLocked(
    const std::string& ns, const std::string& name) {
  auto pvc = Parsed(client_.Get(kClaims, ns, name));
  if (!pvc.ok()) {
    if (pvc.status().IsNotFound()) return SyncVolumesOfClaim(ns, name);
    return pvc.status();
  }
  if (Find(*pvc, {"metadata", "deletionTimestamp"})) {
    return FinishClaimDeletion(*pvc);
  }
  if (Annotation(*pvc, kBindCompletedAnnotation) == "yes") {
    return SyncBoundClaim(*pvc);
  }
  return SyncUnboundClaim(*pvc);
}

StatusOr<bool> VolumeBinder::DelaysBinding(JsonDoc& pvc) {
  const std::string class_name = ClaimClass(pvc);
  if (class_name.empty()) return false;
  if (!Annotation(pvc, kSelectedNodeAnnotation).empty()) return false;
  auto sc = Parsed(client_.Get(kClasses, "", class_name));
  if (!sc.ok()) {
    if (sc.status().IsNotFound()) return false;
    return sc.status();
  }
  if (Str(Member(*sc, "volumeBindingMode")) != "WaitForFirstConsumer") {
    return false;
  }
  // The first consumer: a scheduled pod using the claim. Its node is
  // written where kube-scheduler writes it, for provisioners to read too.
  auto node = ConsumerNode(pvc);
  if (!node.ok()) return node.status();
  if (node->empty()) return true;
  SetAnnotation(pvc, kSelectedNodeAnnotation, *node);
  auto updated = Parsed(client_.Update(kClaims, NamespaceOf(pvc), ToJson(pvc)));
  if (!updated.ok()) return updated.status();
  pvc = std::move(updated).value();
  return false;
}

StatusOr<std::string> VolumeBinder::ConsumerNode(const Json& pvc) {
  auto pods = Parsed(client_.List(kPods, NamespaceOf(pvc)));
  if (!pods.ok()) return pods.status();
  const Json* items = Member(*pods, "items");
  if (!items || !items->IsArray()) return std::string();
  const std::string claim = NameOf(pvc);
  for (const auto& pod : items->GetArray()) {
    const std::string node = Str(Find(pod, {"spec", "nodeName"}));
    if (node.empty() || Find(pod, {"metadata", "deletionTimestamp"})) continue;
    const Json* volumes = Find(pod, {"spec", "volumes"});
    if (!volumes || !volumes->IsArray()) continue;
    for (const auto& v : volumes->GetArray()) {
      if (Str(Find(v, {"persistentVolumeClaim", "claimName"})) == claim) {
        return node;
      }
    }
  }
  return std::string();
}

StatusOr<JsonDoc> VolumeBinder::SelectedNode(const Json& pvc) {
  const std::string name = Annotation(pvc, kSelectedNodeAnnotation);
  if (name.empty()) return JsonDoc();
  auto node = Parsed(client_.Get(kNodes, "", name));
  if (!node.ok() && node.status().IsNotFound()) {
    // Judge volumes by the name alone.
    JsonDoc d;
    d.SetObject();
    SetString(EnsureObject(d, "metadata", d.GetAllocator()), "name", name,
              d.GetAllocator());
    return d;
  }
  return node;
}

StatusOr<ReconcileResult> VolumeBinder::SyncUnboundClaim(JsonDoc& pvc) {
  const std::string volume_name = Str(Find(pvc, {"spec", "volumeName"}));
  if (volume_name.empty()) {
    auto delay = DelaysBinding(pvc);
    if (!delay.ok()) return delay.status();
    auto list = Parsed(client_.List(kVolumes, ""));
    if (!list.ok()) return list.status();
    std::vector<const Json*> volumes;
    if (const Json* items = Member(*list, "items"); items && items->IsArray()) {
      for (const auto& pv : items->GetArray()) volumes.push_back(&pv);
    }
    auto node = SelectedNode(pvc);
    if (!node.ok()) return node.status();
    const Json* best = FindBestVolume(pvc, volumes, *delay,
                                      node->IsObject() ? &*node : nullptr);
    if (!best) {
      if (Status s = SetClaimPhase(pvc, "Pending"); !s.ok()) return s;
      if (Status s = ExplainPending(pvc, *delay); !s.ok()) return s;
      return ReconcileResult{*delay ? kWaitingResync : kPendingResync};
    }
    JsonDoc pv;
    pv.CopyFrom(*best, pv.GetAllocator());
    if (Status s = Bind(pv, pvc); !s.ok()) return s;
    return ReconcileResult{};
  }
  // The user asked for a specific volume.
  auto pv = Parsed(client_.Get(kVolumes, "", volume_name));
  if (!pv.ok()) {
    if (!pv.status().IsNotFound()) return pv.status();
    if (Status s = SetClaimPhase(pvc, "Pending"); !s.ok()) return s;
    return ReconcileResult{kPendingResync};
  }
  const bool claimed = Find(*pv, {"spec", "claimRef"}) != nullptr;
  const std::string mismatch = claimed ? "" : VolumeMismatch(*pv, pvc);
  if ((!claimed && mismatch.empty()) ||
      (claimed && IsVolumeBoundToClaim(*pv, pvc))) {
    if (Status s = Bind(*pv, pvc); !s.ok()) return s;
    return ReconcileResult{};
  }
  if (!mismatch.empty()) {
    Event(
        pvc, "Warning", "VolumeMismatch",
        "Cannot bind to requested volume \"" + volume_name + "\": " + mismatch);
  }
  // Incompatible, or claimed by someone else: wait, as Kubernetes does.
  if (Status s = SetClaimPhase(pvc, "Pending"); !s.ok()) return s;
  return ReconcileResult{kPendingResync};
}

StatusOr<ReconcileResult> VolumeBinder::SyncBoundClaim(JsonDoc& pvc) {
  const std::string volume_name = Str(Find(pvc, {"spec", "volumeName"}));
  if (volume_name.empty()) {
    if (Str(Find(pvc, {"status", "phase"})) != "Lost") {
      Event(pvc, "Warning", "ClaimLost",
            "Bound claim has lost reference to PersistentVolume. Data on the "
            "volume is lost!");
    }
    if (Status s = SetClaimPhase(pvc, "Lost"); !s.ok()) return s;
    return ReconcileResult{};
  }
  auto pv = Parsed(client_.Get(kVolumes, "", volume_name));
  if (!pv.ok()) {
    if (!pv.status().IsNotFound()) return pv.status();
    if (Str(Find(pvc, {"status", "phase"})) != "Lost") {
      Event(pvc, "Warning", "ClaimLost",
            "Bound claim has lost its PersistentVolume. Data on the volume "
            "is lost!");
    }
    if (Status s = SetClaimPhase(pvc, "Lost"); !s.ok()) return s;
    return ReconcileResult{};
  }
  if (!Find(*pv, {"spec", "claimRef"}) || IsVolumeBoundToClaim(*pv, pvc)) {
    if (Status s = Bind(*pv, pvc); !s.ok()) return s;
    return ReconcileResult{};
  }
  // The volume belongs to another claim: this one lost it.
  if (Str(Find(pvc, {"status", "phase"})) != "Lost") {
    Event(pvc, "Warning", "ClaimMisbound",
          "Two claims are bound to the same volume, this one is bound "
          "incorrectly");
  }
  if (Status s = SetClaimPhase(pvc, "Lost"); !s.ok()) return s;
  return ReconcileResult{};
}

Status VolumeBinder::Bind(JsonDoc& pv, JsonDoc& pvc) {
  const std::string pv_name = NameOf(pv);
  const std::string ns = NamespaceOf(pvc);
  const std::string pvc_uid = Str(Find(pvc, {"metadata", "uid"}));
  // 1. The volume points at the claim.
  const Json* ref = Find(pv, {"spec", "claimRef"});
  if (!IsVolumeBoundToClaim(pv, pvc) || Str(Member(*ref, "uid")).empty()) {
    auto& a = pv.GetAllocator();
    Json& spec = EnsureObject(pv, "spec", a);
    const bool had_ref = Member(spec, "claimRef") != nullptr;
    Json claim_ref(rapidjson::kObjectType);
    SetString(claim_ref, "kind", "PersistentVolumeClaim", a);
    SetString(claim_ref, "namespace", ns, a);
    SetString(claim_ref, "name", NameOf(pvc), a);
    SetString(claim_ref, "uid", pvc_uid, a);
    SetString(claim_ref, "apiVersion", "v1", a);
    SetString(claim_ref, "resourceVersion",
              Str(Find(pvc, {"metadata", "resourceVersion"})), a);
    SetMember(spec, "claimRef", std::move(claim_ref), a);
    if (!had_ref) SetAnnotation(pv, kBoundByControllerAnnotation, "yes");
    auto updated = Parsed(client_.Update(kVolumes, "", ToJson(pv)));
    if (!updated.ok()) return updated.status();
    pv = std::move(updated).value();
  }
  if (Str(Find(pv, {"status", "phase"})) != "Bound") {
    if (Status s = SetVolumePhase(pv, "Bound"); !s.ok()) return s;
  }
  explained_.erase(Str(Find(pvc, {"metadata", "uid"})));
  // 2. The claim points at the volume.
  bool changed = false;
  if (Str(Find(pvc, {"spec", "volumeName"})) != pv_name) {
    auto& a = pvc.GetAllocator();
    SetString(EnsureObject(pvc, "spec", a), "volumeName", pv_name, a);
    SetAnnotation(pvc, kBoundByControllerAnnotation, "yes");
    changed = true;
  }
  if (Annotation(pvc, kBindCompletedAnnotation) != "yes") {
    SetAnnotation(pvc, kBindCompletedAnnotation, "yes");
    changed = true;
  }
  if (changed) {
    auto updated = Parsed(client_.Update(kClaims, ns, ToJson(pvc)));
    if (!updated.ok()) return updated.status();
    pvc = std::move(updated).value();
  }
  // 3. The claim's status says what it got.
  const Json* modes = Find(pv, {"spec", "accessModes"});
  const Json* capacity = Find(pv, {"spec", "capacity"});
  if (Str(Find(pvc, {"status", "phase"})) == "Bound" &&
      SameMember(Find(pvc, {"status", "accessModes"}), modes) &&
      SameMember(Find(pvc, {"status", "capacity"}), capacity)) {
    return {};
  }
  auto& a = pvc.GetAllocator();
  Json& status = EnsureObject(pvc, "status", a);
  SetString(status, "phase", "Bound", a);
  if (modes) SetMember(status, "accessModes", Json(*modes, a), a);
  if (capacity) SetMember(status, "capacity", Json(*capacity, a), a);
  auto updated = Parsed(client_.Update(kClaims, ns, ToJson(pvc), "status"));
  if (!updated.ok()) return updated.status();
  pvc = std::move(updated).value();
  return {};
}

Status VolumeBinder::SetClaimPhase(JsonDoc& pvc, const std::string& phase) {
  if (Str(Find(pvc, {"status", "phase"})) == phase) return {};
  auto& a = pvc.GetAllocator();
  SetString(EnsureObject(pvc, "status", a), "phase", phase, a);
  auto updated =
      Parsed(client_.Update(kClaims, NamespaceOf(pvc), ToJson(pvc), "status"));
  if (!updated.ok()) return updated.status();
  pvc = std::move(updated).value();
  return {};
}

Status VolumeBinder::SetVolumePhase(JsonDoc& pv, const std::string& phase,
                                    const std::string& message) {
  auto& a = pv.GetAllocator();
  Json& status = EnsureObject(pv, "status", a);
  if (Str(Member(status, "phase")) == phase &&
      Str(Member(status, "message")) == message) {
    return {};
  }
  if (Str(Member(status, "phase")) != phase) {
    SetString(status, "lastPhaseTransitionTime", NowRfc3339(), a);
  }
  SetString(status, "phase", phase, a);
  if (message.empty()) {
    status.RemoveMember("message");
  } else {
    SetString(status, "message", message, a);
  }
  auto updated = Parsed(client_.Update(kVolumes, "", ToJson(pv), "status"));
  if (!updated.ok()) return updated.status();
  pv = std::move(updated).value();
  return {};
}

StatusOr<ReconcileResult> VolumeBinder::FinishClaimDeletion(JsonDoc& pvc) {
  if (!HasFinalizer(pvc, kPvcProtectionFinalizer)) return ReconcileResult{};
  auto pods = Parsed(client_.List(kPods, NamespaceOf(pvc)));
  if (!pods.ok()) return pods.status();
  const std::string claim = NameOf(pvc);
  if (const Json* items = Member(*pods, "items"); items && items->IsArray()) {
    for (const auto& pod : items->GetArray()) {
      const std::string phase = Str(Find(pod, {"status", "phase"}));
      if (phase == "Succeeded" || phase == "Failed") continue;
      const Json* volumes = Find(pod, {"spec", "volumes"});
      if (!volumes || !volumes->IsArray()) continue;
      for (const auto& v : volumes->GetArray()) {
        if (Str(Find(v, {"persistentVolumeClaim", "claimName"})) == claim) {
          return ReconcileResult{kInUseRecheck};
        }
      }
    }
  }
  RemoveFinalizer(pvc, kPvcProtectionFinalizer);
  auto updated = client_.Update(kClaims, NamespaceOf(pvc), ToJson(pvc));
  if (!updated.ok() && !updated.status().IsNotFound()) {
    return updated.status();
  }
  return SyncVolumesOfClaim(NamespaceOf(pvc), claim);
}

StatusOr<ReconcileResult> VolumeBinder::SyncVolumesOfClaim(
    const std::string& ns, const std::string& name) {
  auto list = Parsed(client_.List(kVolumes, ""));
  if (!list.ok()) return list.status();
  const Json* items = Member(*list, "items");
  if (!items || !items->IsArray()) return ReconcileResult{};
  for (const auto& pv : items->GetArray()) {
    const Json* ref = Find(pv, {"spec", "claimRef"});
    if (!ref || Str(Member(*ref, "namespace")) != ns ||
        Str(Member(*ref, "name")) != name) {
      continue;
    }
    auto r = SyncVolumeLocked(NameOf(pv));
    if (!r.ok()) return r.status();
  }
  return ReconcileResult{};
}

StatusOr<ReconcileResult> VolumeBinder::SyncVolume(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  return SyncVolumeLocked(name);
}

StatusOr<ReconcileResult> VolumeBinder::SyncVolumeLocked(
    const std::string& name) {
  auto pv = Parsed(client_.Get(kVolumes, "", name));
  if (!pv.ok()) {
    if (pv.status().IsNotFound()) return ReconcileResult{};
    return pv.status();
  }
  if (Find(*pv, {"metadata", "deletionTimestamp"}) &&
      HasFinalizer(*pv, kPvProtectionFinalizer) &&
      Str(Find(*pv, {"status", "phase"})) != "Bound") {
    // Deleted and no longer bound: let the deletion finish.
    RemoveFinalizer(*pv, kPvProtectionFinalizer);
    auto updated = client_.Update(kVolumes, "", ToJson(*pv));
    if (!updated.ok() && !updated.status().IsNotFound()) {
      return updated.status();
    }
    return ReconcileResult{};
  }
  const Json* ref = Find(*pv, {"spec", "claimRef"});
  if (!ref || !ref->IsObject() || Str(Member(*ref, "uid")).empty()) {
    // Free, or pre-bound by the user to a claim that has not bound yet.
    if (Status s = SetVolumePhase(*pv, "Available"); !s.ok()) return s;
    if (Status s = SyncPendingClaims(*pv); !s.ok()) return s;
    return ReconcileResult{};
  }
  const std::string claim_ns = Str(Member(*ref, "namespace"));
  const std::string claim_name = Str(Member(*ref, "name"));
  auto pvc = Parsed(client_.Get(kClaims, claim_ns, claim_name));
  if (!pvc.ok() && !pvc.status().IsNotFound()) return pvc.status();
  if (!pvc.ok() ||
      Str(Find(*pvc, {"metadata", "uid"})) != Str(Member(*ref, "uid"))) {
    // The claim is gone: reclaim the volume by its policy.
    const std::string phase = Str(Find(*pv, {"status", "phase"}));
    if (phase == "Released" || phase == "Failed") return ReconcileResult{};
    const std::string policy =
        Str(Find(*pv, {"spec", "persistentVolumeReclaimPolicy"}));
    Status s;
    if (policy == "Delete") {
      const std::string message =
          "error getting deleter volume plugin for volume \"" + name +
          "\": no deletable volume plugin matched";
      Event(*pv, "Warning", "VolumeFailedDelete", message);
      s = SetVolumePhase(*pv, "Failed", message);
    } else if (policy == "Recycle") {
      const std::string message = "No recycler plugin found for the volume!";
      Event(*pv, "Warning", "VolumeFailedRecycle", message);
      s = SetVolumePhase(*pv, "Failed", message);
    } else {
      s = SetVolumePhase(*pv, "Released");
    }
    if (!s.ok()) return s;
    return ReconcileResult{};
  }
  const std::string claim_volume = Str(Find(*pvc, {"spec", "volumeName"}));
  if (claim_volume.empty()) {
    // Binding in progress (or the claim has not seen this volume yet).
    return SyncClaimLocked(claim_ns, claim_name);
  }
  if (claim_volume == name) {
    if (Status s = SetVolumePhase(*pv, "Bound"); !s.ok()) return s;
    return ReconcileResult{};
  }
  // The claim is bound to another volume: free this one. A claimRef the
  // user wrote keeps naming the claim, without its uid.
  Json& spec = (*pv)["spec"];
  if (Annotation(*pv, kBoundByControllerAnnotation) == "yes") {
    spec.RemoveMember("claimRef");
    if (Json* annotations = Find(*pv, {"metadata", "annotations"})) {
      annotations->RemoveMember(kBoundByControllerAnnotation);
    }
  } else {
    spec["claimRef"].RemoveMember("uid");
  }
  auto updated = Parsed(client_.Update(kVolumes, "", ToJson(*pv)));
  if (!updated.ok()) return updated.status();
  if (Status s = SetVolumePhase(*updated, "Available"); !s.ok()) return s;
  return ReconcileResult{};
}

Status VolumeBinder::ExplainPending(const Json& pvc, bool delay_binding) {
  const std::string class_name = ClaimClass(pvc);
  if (delay_binding) {
    ExplainOnce(pvc, "Normal", "WaitForFirstConsumer",
                "waiting for first consumer to be created before binding");
    return {};
  }
  if (class_name.empty()) {
    ExplainOnce(pvc, "Normal", "FailedBinding",
                "no persistent volumes available for this claim and no storage "
                "class is set");
    return {};
  }
  // What provisionClaim says when no volume plugin of Berth provisions.
  auto sc = Parsed(client_.Get(kClasses, "", class_name));
  if (!sc.ok()) {
    if (!sc.status().IsNotFound()) return sc.status();
    ExplainOnce(pvc, "Warning", "ProvisioningFailed",
                "storageclass.storage.k8s.io \"" + class_name + "\" not found");
    return {};
  }
  const std::string provisioner = Str(Member(*sc, "provisioner"));
  if (provisioner.rfind("kubernetes.io/", 0) == 0) {
    ExplainOnce(pvc, "Warning", "ProvisioningFailed",
                "no volume plugin matched name: " + provisioner);
  } else {
    ExplainOnce(
        pvc, "Normal", "ExternalProvisioning",
        "Waiting for a volume to be created either by the external "
        "provisioner '" +
            provisioner +
            "' or manually by the system administrator. If volume "
            "creation is delayed, please verify that the provisioner is "
            "running and correctly registered.");
  }
  return {};
}

void VolumeBinder::ExplainOnce(const Json& pvc, const std::string& type,
                               const std::string& reason,
                               const std::string& message) {
  const auto now = std::chrono::steady_clock::now();
  // Claims deleted while Pending leave entries behind; drop the stale ones
  // now and then.
  if (explained_.size() > 1024) {
    std::erase_if(explained_, [&](const auto& e) {
      return now - e.second.second >= kPendingResync;
    });
  }
  auto& last = explained_[Str(Find(pvc, {"metadata", "uid"}))];
  if (last.first == reason && now - last.second < kPendingResync) return;
  last = {reason, now};
  Event(pvc, type, reason, message);
}

void VolumeBinder::Event(const Json& obj, const std::string& type,
                         const std::string& reason,
                         const std::string& message) {
  host_.RecordEvent("persistentvolume-controller", ReferenceTo(obj), type,
                    reason, message);
}

Status VolumeBinder::SyncPendingClaims(const Json& pv) {
  auto list = Parsed(client_.List(kClaims, ""));
  if (!list.ok()) return list.status();
  const Json* items = Member(*list, "items");
  if (!items || !items->IsArray()) return {};
  const std::string pv_name = NameOf(pv);
  Status first;
  for (const auto& pvc : items->GetArray()) {
    if (Annotation(pvc, kBindCompletedAnnotation) == "yes") continue;
    // Only claims this volume could serve: a volume offered to every
    // waiting claim would cost a list of all volumes per claim.
    const std::string wanted = Str(Find(pvc, {"spec", "volumeName"}));
    if (wanted.empty() ? !VolumeMismatch(pv, pvc).empty() : wanted != pv_name) {
      continue;
    }
    auto r = SyncClaimLocked(NamespaceOf(pvc), NameOf(pvc));
    if (!r.ok() && first.ok()) first = r.status();
  }
  return first;
}

}  // namespace berth::storage
