#include "node_lifecycle_controller.h"

#include <algorithm>
#include <optional>

#include "berth/events.h"
#include "berth/json.h"
#include "node_health.h"
#include "taint_eviction.h"
#include "validation.h"

namespace berth::core {
namespace {

const ResourceRef kNodes{"", "v1", "nodes"};
const ResourceRef kPods{"", "v1", "pods"};
const ResourceRef kLeases{"coordination.k8s.io", "v1", "leases"};
constexpr const char* kNodeLeaseNamespace = "kube-node-lease";

StatusOr<JsonDoc> Decode(const std::string& text, const std::string& what) {
  auto doc = ParseJson(text);
  if (!doc.ok()) return Status::Internal(what + ": " + doc.status().message());
  return doc;
}

bool HasNoExecuteTaint(const Json& node) {
  const Json* taints = Find(node, {"spec", "taints"});
  if (!taints || !taints->IsArray()) return false;
  for (const auto& t : taints->GetArray()) {
    if (Str(Member(t, "effect")) == "NoExecute") return true;
  }
  return false;
}

}  // namespace

NodeLifecycleController::NodeLifecycleController(Host& host,
                                                 NodeLifecycleSettings settings,
                                                 Clock clock)
    : host_(host),
      client_(host.client()),
      settings_(settings),
      clock_(clock ? std::move(clock)
                   : Clock([] { return std::chrono::system_clock::now(); })) {}

StatusOr<ReconcileResult> NodeLifecycleController::Reconcile(
    const ReconcileRequest& req) {
  auto got = client_.Get(kNodes, "", req.name);
  if (!got.ok()) {
    if (got.status().IsNotFound()) return ReconcileResult{};
    return got.status();
  }
  auto node = Decode(*got, "node " + req.name);
  if (!node.ok()) return node.status();
  std::optional<JsonDoc> lease;
  if (auto l = client_.Get(kLeases, kNodeLeaseNamespace, req.name); l.ok()) {
    auto doc = Decode(*l, "lease " + req.name);
    if (!doc.ok()) return doc.status();
    lease = std::move(doc).value();
  } else if (!l.status().IsNotFound()) {
    return l.status();
  }

  const TimePoint now = clock_();
  const NodeHealth health =
      AssessNodeHealth(*node, lease ? &*lease : nullptr, settings_, now);
  const std::string was_ready = NodeConditionStatus(*node, "Ready");
  if (health.silent &&
      MarkNodeStatusUnknown(*node, now, node->GetAllocator())) {
    auto updated = client_.Update(kNodes, "", ToJson(*node), "status");
    if (!updated.ok()) {
      if (updated.status().IsNotFound()) return ReconcileResult{};
      return updated.status();
    }
    if (was_ready == "True") {
      ObjectReference ref = ReferenceTo(*node);
      ref.api_version = "v1";
      ref.kind = "Node";
      host_.RecordEvent("node-controller", ref, "Normal", "NodeNotReady",
                        "Node " + req.name + " status is now: NodeNotReady");
    }
    auto next = Decode(*updated, "node " + req.name);
    if (!next.ok()) return next.status();
    node = std::move(next);
  }
  if (SyncConditionTaints(*node, now, node->GetAllocator())) {
    auto updated = client_.Update(kNodes, "", ToJson(*node));
    if (!updated.ok()) {
      if (updated.status().IsNotFound()) return ReconcileResult{};
      return updated.status();
    }
    auto next = Decode(*updated, "node " + req.name);
    if (!next.ok()) return next.status();
    node = std::move(next);
  }

  const bool ready = NodeConditionStatus(*node, "Ready") == "True";
  auto eviction_due = SyncPods(*node, ready, now);
  if (!eviction_due.ok()) return eviction_due.status();

  // A silent node is looked at every monitor period, as renewals of its
  // Lease wake nothing here.
  std::chrono::milliseconds recheck =
      health.silent ? settings_.monitor_period : health.recheck_after;
  // Pods bound to a node with NoExecute taints (a user's, or not Ready)
  // are only seen here: look every monitor period.
  if (!ready || HasNoExecuteTaint(*node)) {
    recheck = std::min(recheck, settings_.monitor_period);
  }
  if (*eviction_due > std::chrono::milliseconds::zero()) {
    recheck = std::min(recheck, *eviction_due);
  }
  return ReconcileResult{recheck};
}

StatusOr<std::chrono::milliseconds> NodeLifecycleController::SyncPods(
    const Json& node, bool ready, TimePoint now) {
  const Json* taints = Find(node, {"spec", "taints"});
  const bool no_execute = HasNoExecuteTaint(node);
  std::chrono::milliseconds next_due{0};
  if (ready && !no_execute) return next_due;

  const std::string name = Str(Find(node, {"metadata", "name"}));
  ListOptions on_node;
  on_node.field_selector = "spec.nodeName=" + name;
  auto list = client_.List(kPods, "", on_node);
  if (!list.ok()) return list.status();
  auto pods = Decode(*list, "pods on node " + name);
  if (!pods.ok()) return pods.status();
  Json* items = Member(*pods, "items");
  if (!items || !items->IsArray()) return next_due;
  for (auto& pod : items->GetArray()) {
    if (Find(pod, {"metadata", "deletionTimestamp"})) continue;
    const std::string ns = Str(Find(pod, {"metadata", "namespace"}));
    const std::string pod_name = Str(Find(pod, {"metadata", "name"}));
    if (no_execute) {
      EvictionDecision d = DecideEviction(pod, taints, now);
      if (d.action == EvictionDecision::Action::kEvictNow) {
        ObjectReference ref = ReferenceTo(pod);
        ref.api_version = "v1";
        ref.kind = "Pod";
        host_.RecordEvent("taint-eviction-controller", ref, "Normal",
                          "TaintManagerEviction",
                          "Marking for deletion Pod " + ns + "/" + pod_name);
        Status s = client_.Delete(kPods, ns, pod_name);
        if (!s.ok() && !s.IsNotFound()) return s;
        continue;
      }
      if (d.action == EvictionDecision::Action::kEvictLater &&
          (next_due == std::chrono::milliseconds::zero() ||
           d.after < next_due)) {
        next_due = d.after;
      }
    }
    if (!ready) {
      // Status written at list time; a Conflict is retried with the node.
      JsonDoc copy;
      copy.CopyFrom(pod, copy.GetAllocator());
      SetDefaultString(copy, "apiVersion", "v1", copy.GetAllocator());
      SetDefaultString(copy, "kind", "Pod", copy.GetAllocator());
      if (MarkPodNotReady(copy, now, copy.GetAllocator())) {
        auto updated = client_.Update(kPods, ns, ToJson(copy), "status");
        if (!updated.ok() && !updated.status().IsNotFound()) {
          return updated.status();
        }
      }
    }
  }
  return next_due;
}

}  // namespace berth::core
