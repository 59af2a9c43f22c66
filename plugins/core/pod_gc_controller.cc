#include "pod_gc_controller.h"

#include "berth/events.h"
#include "berth/json.h"
#include "validation.h"

namespace berth::core {
namespace {

const ResourceRef kNodes{"", "v1", "nodes"};
const ResourceRef kPods{"", "v1", "pods"};
constexpr const char* kOutOfServiceTaint = "node.kubernetes.io/out-of-service";

bool IsReady(const Json& node) {
  const Json* conditions = Find(node, {"status", "conditions"});
  if (!conditions || !conditions->IsArray()) return false;
  for (const auto& c : conditions->GetArray()) {
    if (Str(Member(c, "type")) == "Ready") {
      return Str(Member(c, "status")) == "True";
    }
  }
  return false;
}

bool HasTaint(const Json& node, const std::string& key) {
  const Json* taints = Find(node, {"spec", "taints"});
  if (!taints || !taints->IsArray()) return false;
  for (const auto& t : taints->GetArray()) {
    if (Str(Member(t, "key")) == key) return true;
  }
  return false;
}

}  // namespace

PodGcController::PodGcController(Host& host)
    : host_(host), client_(host.client()) {}

StatusOr<ReconcileResult> PodGcController::Reconcile(
    const ReconcileRequest& req) {
  bool node_gone = false;
  bool out_of_service = false;
  auto got = client_.Get(kNodes, "", req.name);
  if (!got.ok()) {
    if (!got.status().IsNotFound()) return got.status();
    node_gone = true;
  } else {
    auto node = ParseJson(*got);
    if (!node.ok()) return node.status();
    out_of_service = !IsReady(*node) && HasTaint(*node, kOutOfServiceTaint);
  }
  if (!node_gone && !out_of_service) return ReconcileResult{};

  ListOptions on_node;
  on_node.field_selector = "spec.nodeName=" + req.name;
  auto list = client_.List(kPods, "", on_node);
  if (!list.ok()) return list.status();
  auto pods = ParseJson(*list);
  if (!pods.ok()) return pods.status();
  const Json* items = Member(*pods, "items");
  if (!items || !items->IsArray()) return ReconcileResult{};
  for (const auto& pod : items->GetArray()) {
    const bool terminating = Find(pod, {"metadata", "deletionTimestamp"});
    if (!node_gone && !terminating) continue;
    const std::string ns = Str(Find(pod, {"metadata", "namespace"}));
    const std::string name = Str(Find(pod, {"metadata", "name"}));
    ObjectReference ref = ReferenceTo(pod);
    ref.api_version = "v1";
    ref.kind = "Pod";
    host_.RecordEvent(
        "pod-garbage-collector", ref, "Normal", "PodGarbageCollected",
        node_gone ? "Deleting orphaned pod " + ns + "/" + name + ": node " +
                        req.name + " no longer exists"
                  : "Deleting terminating pod " + ns + "/" + name +
                        " on out-of-service node " + req.name);
    DeleteOptions force;
    force.grace_period_seconds = 0;
    force.precondition_uid = Str(Find(pod, {"metadata", "uid"}));
    Status s = client_.Delete(kPods, ns, name, force);
    if (!s.ok() && !s.IsNotFound() && !s.IsConflict()) return s;
  }
  return ReconcileResult{};
}

StatusOr<ReconcileResult> OrphanPodGcController::Reconcile(
    const ReconcileRequest& req) {
  const std::string key = req.ns + "/" + req.name;
  auto forget = [&] {
    std::lock_guard<std::mutex> lock(mu_);
    first_seen_.erase(key);
    return ReconcileResult{};
  };
  Client& client = host_.client();
  auto got = client.Get(kPods, req.ns, req.name);
  if (!got.ok()) {
    if (got.status().IsNotFound()) return forget();
    return got.status();
  }
  auto pod = ParseJson(*got);
  if (!pod.ok()) return pod.status();
  const std::string node = GetString(*pod, {"spec", "nodeName"});
  if (node.empty()) return forget();
  auto node_got = client.Get(kNodes, "", node);
  if (node_got.ok()) return forget();
  if (!node_got.status().IsNotFound()) return node_got.status();

  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto [it, added] = first_seen_.emplace(key, now);
    if (now - it->second < quarantine_) {
      return ReconcileResult{
          std::chrono::duration_cast<std::chrono::milliseconds>(
              quarantine_ - (now - it->second))};
    }
  }
  ObjectReference ref = ReferenceTo(*pod);
  ref.api_version = "v1";
  ref.kind = "Pod";
  host_.RecordEvent(
      "pod-garbage-collector", ref, "Normal", "PodGarbageCollected",
      "Deleting orphaned pod " + key + ": node " + node + " no longer exists");
  DeleteOptions force;
  force.grace_period_seconds = 0;
  force.precondition_uid = GetString(*pod, {"metadata", "uid"});
  Status s = client.Delete(kPods, req.ns, req.name, force);
  if (!s.ok() && !s.IsNotFound() && !s.IsConflict()) return s;
  return forget();
}

}  // namespace berth::core
