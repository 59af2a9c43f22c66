#include "daemon_set_controller.h"

#include <algorithm>
#include <map>

#include "age.h"
#include "controller_io.h"
#include "daemon_placement.h"
#include "label_selector.h"
#include "owned_objects.h"
#include "pod_state.h"
#include "pod_template_hash.h"
#include "validation.h"

namespace berth::workloads {
namespace {

using core::Str;

constexpr char kRevisionLabel[] = "controller-revision-hash";
constexpr char kGenerationLabel[] = "pod-template-generation";

// The daemon pod for `node`: the template with the revision labels, the
// standard tolerations and the node pin; owned by the DaemonSet.
JsonDoc NewDaemonPod(const Json& ds, const std::string& node,
                     const std::string& hash) {
  JsonDoc pod(rapidjson::kObjectType);
  auto& a = pod.GetAllocator();
  SetString(pod, "apiVersion", "v1", a);
  SetString(pod, "kind", "Pod", a);
  Json& meta = EnsureObject(pod, "metadata", a);
  if (const Json* tmeta = Find(ds, {"spec", "template", "metadata"})) {
    for (const char* f : {"labels", "annotations"}) {
      if (const Json* v = Member(*tmeta, f)) SetMember(meta, f, Json(*v, a), a);
    }
  }
  SetString(meta, "generateName", GetString(ds, {"metadata", "name"}) + "-", a);
  Json& labels = EnsureObject(meta, "labels", a);
  SetString(labels, kRevisionLabel, hash, a);
  SetString(labels, kGenerationLabel,
            std::to_string(GetInt(ds, {"metadata", "generation"}, 1)), a);
  SetControllerRef(pod, ds, a);
  const Json* tspec = Find(ds, {"spec", "template", "spec"});
  Json spec(tspec ? Json(*tspec, a) : Json(rapidjson::kObjectType));
  AddDaemonTolerations(spec, a);
  PinToNode(spec, node, a);
  SetMember(pod, "spec", std::move(spec), a);
  return pod;
}

struct NodePods {
  std::vector<const Json*> pods;  // active pods, oldest first
  std::vector<const Json*> failed;
};

std::string CreationTime(const Json* pod) {
  return GetString(*pod, {"metadata", "creationTimestamp"});
}

}  // namespace

DaemonSetController::DaemonSetController(Host& host, Clock clock)
    : host_(host),
      client_(host.client()),
      clock_(clock ? std::move(clock)
                   : [] { return std::chrono::system_clock::now(); }) {}

void DaemonSetController::Event(const Json& obj, const char* type,
                                const char* reason,
                                const std::string& message) {
  host_.RecordEvent("daemonset-controller", ReferenceTo(obj), type, reason,
                    message);
}

ResourceRef DaemonSetController::Primary() const { return kDaemonSets; }
std::vector<ResourceRef> DaemonSetController::Owns() const { return {kPods}; }

StatusOr<ReconcileResult> DaemonSetController::Reconcile(
    const ReconcileRequest& req) {
  return Sync(req);
}

Status DaemonSetController::SyncAll() {
  auto list = ListObjects(client_, kDaemonSets, "");
  if (!list.ok()) return list.status();
  Status first;
  for (const auto& ds : (*list)["items"].GetArray()) {
    auto r = Sync({GetString(ds, {"metadata", "namespace"}),
                   GetString(ds, {"metadata", "name"})});
    if (!r.ok() && first.ok()) first = r.status();
  }
  return first;
}

StatusOr<ReconcileResult> DaemonSetController::Sync(
    const ReconcileRequest& req) {
  auto lock = locks_.Lock(req.ns + "/" + req.name);
  auto got = GetObject(client_, kDaemonSets, req.ns, req.name);
  if (!got.ok()) {
    if (got.status().IsNotFound()) return ReconcileResult{};
    return got.status();
  }
  const JsonDoc& ds = *got;
  if (Find(ds, {"metadata", "deletionTimestamp"})) {
    return ReconcileResult{};
  }
  const std::string uid = GetString(ds, {"metadata", "uid"});
  const Json* selector = Find(ds, {"spec", "selector"});
  auto selector_text = SelectorString(selector);
  if (!selector_text.ok()) return ReconcileResult{};
  const Json* tmpl = Find(ds, {"spec", "template"});
  if (!tmpl) return ReconcileResult{};
  const Json* collisions = Find(ds, {"status", "collisionCount"});
  // Hashed with the collision count always (0 until set), so the
  // revision does not change when the status first records the count.
  const std::string hash =
      PodTemplateHash(*tmpl, GetInt(*got, {"status", "collisionCount"}));

  auto nodes = ListObjects(client_, kNodes, "");
  if (!nodes.ok()) return nodes.status();
  auto pods = ListObjects(client_, kPods, req.ns, *selector_text);
  if (!pods.ok()) return pods.status();

  // The template spec as the placement check sees it: with the daemon
  // tolerations every pod will carry.
  JsonDoc placed_spec(rapidjson::kObjectType);
  if (const Json* tspec = Member(*tmpl, "spec")) {
    placed_spec.CopyFrom(*tspec, placed_spec.GetAllocator());
  }
  AddDaemonTolerations(placed_spec, placed_spec.GetAllocator());

  std::map<std::string, NodePods> by_node;
  for (const auto& pod : (*pods)["items"].GetArray()) {
    if (ControllerUid(pod) != uid) continue;
    if (Find(pod, {"metadata", "deletionTimestamp"})) continue;
    NodePods& np = by_node[TargetNode(pod)];
    const std::string phase = GetString(pod, {"status", "phase"});
    if (phase == "Failed") {
      np.failed.push_back(&pod);
    } else if (phase != "Succeeded") {
      np.pods.push_back(&pod);
    } else {
      np.failed.push_back(&pod);
    }
  }
  for (auto& [node, np] : by_node) {
    std::sort(np.pods.begin(), np.pods.end(), [](const Json* a, const Json* b) {
      return CreationTime(a) < CreationTime(b);
    });
  }

  const auto now = clock_();
  const int64_t min_ready = GetInt(ds, {"spec", "minReadySeconds"});
  std::vector<std::string> to_create;
  std::vector<const Json*> to_delete;
  int64_t desired = 0, current = 0, ready = 0, available = 0, updated = 0,
          misscheduled = 0;
  // Nodes that should run the pod, with their oldest active pod (or none).
  std::vector<std::pair<std::string, const Json*>> eligible;
  for (const auto& node : (*nodes)["items"].GetArray()) {
    const std::string name = GetString(node, {"metadata", "name"});
    const DaemonPlacement place = PlaceDaemonPod(node, placed_spec);
    auto it = by_node.find(name);
    NodePods* np = it == by_node.end() ? nullptr : &it->second;
    if (np) {
      for (const Json* f : np->failed) to_delete.push_back(f);
    }
    const bool has_pod = np && !np->pods.empty();
    if (place.should_run) ++desired;
    if (place.should_run || (has_pod && place.should_continue_running)) {
      if (!place.should_run && has_pod) ++misscheduled;
      if (!has_pod) {
        if (place.should_run) to_create.push_back(name);
        if (place.should_run) eligible.emplace_back(name, nullptr);
        continue;
      }
      // Keep the oldest pod; extra ones are duplicates.
      for (size_t i = 1; i < np->pods.size(); ++i) {
        to_delete.push_back(np->pods[i]);
      }
      const Json& pod = *np->pods[0];
      if (!place.should_run) continue;
      eligible.emplace_back(name, &pod);
      ++current;
      if (IsPodReady(pod)) ++ready;
      if (IsPodAvailable(pod, min_ready, now)) ++available;
      if (GetString(pod, {"metadata", "labels", kRevisionLabel}) == hash) {
        ++updated;
      }
    } else if (has_pod) {
      ++misscheduled;
      for (const Json* p : np->pods) to_delete.push_back(p);
    }
    if (np) by_node.erase(it);
  }
  // Pods pinned to nodes that no longer exist, or to none.
  for (auto& [node, np] : by_node) {
    for (const Json* p : np.pods) to_delete.push_back(p);
    for (const Json* p : np.failed) to_delete.push_back(p);
  }

  // RollingUpdate: delete old-template pods while no more than
  // maxUnavailable eligible nodes lack an available pod. Old pods that are
  // not available anyway go first and cost nothing.
  if (GetString(ds, {"spec", "updateStrategy", "type"}, "RollingUpdate") ==
      "RollingUpdate") {
    const int64_t max_unavailable = std::max<int64_t>(
        1, ScaledValue(Find(ds, {"spec", "updateStrategy", "rollingUpdate",
                                 "maxUnavailable"}),
                       desired, true, 1));
    int64_t unavailable = 0;
    std::vector<const Json*> old_available;
    for (const auto& [node, pod] : eligible) {
      if (!pod || !IsPodAvailable(*pod, min_ready, now)) ++unavailable;
      if (!pod) continue;
      if (GetString(*pod, {"metadata", "labels", kRevisionLabel}) == hash) {
        continue;
      }
      if (IsPodAvailable(*pod, min_ready, now)) {
        old_available.push_back(pod);
      } else {
        to_delete.push_back(pod);
      }
    }
    for (const Json* pod : old_available) {
      if (unavailable >= max_unavailable) break;
      to_delete.push_back(pod);
      ++unavailable;
    }
  }

  for (const std::string& node : to_create) {
    JsonDoc pod = NewDaemonPod(ds, node, hash);
    auto created = client_.Create(kPods, req.ns, ToJson(pod));
    if (!created.ok()) return created.status();
    if (auto doc = ParseJson(*created); doc.ok()) {
      Event(ds, "Normal", "SuccessfulCreate",
            "Created pod: " + GetString(*doc, {"metadata", "name"}));
    }
  }
  for (const Json* pod : to_delete) {
    const std::string name = GetString(*pod, {"metadata", "name"});
    Status s = client_.Delete(kPods, req.ns, name);
    if (!s.ok() && !s.IsNotFound()) return s;
    if (s.ok()) Event(ds, "Normal", "SuccessfulDelete", "Deleted pod: " + name);
  }

  JsonDoc status(rapidjson::kObjectType);
  auto& a = status.GetAllocator();
  if (collisions) SetMember(status, "collisionCount", Json(*collisions, a), a);
  status.AddMember("currentNumberScheduled", current, a);
  status.AddMember("desiredNumberScheduled", desired, a);
  if (available) status.AddMember("numberAvailable", available, a);
  status.AddMember("numberMisscheduled", misscheduled, a);
  status.AddMember("numberReady", ready, a);
  if (desired - available > 0) {
    status.AddMember("numberUnavailable", desired - available, a);
  }
  status.AddMember("observedGeneration",
                   GetInt(ds, {"metadata", "generation"}, 1), a);
  if (updated) status.AddMember("updatedNumberScheduled", updated, a);
  if (Status s = WriteStatus(client_, kDaemonSets, req.ns, req.name,
                             Find(ds, {"status"}), status);
      !s.ok()) {
    return s;
  }
  // Pods that are ready but not yet available become available with time,
  // not with an event.
  if (min_ready > 0 && ready > available) {
    return ReconcileResult{std::chrono::seconds(1)};
  }
  return ReconcileResult{};
}

}  // namespace berth::workloads
