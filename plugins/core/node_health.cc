#include "node_health.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "age.h"
#include "validation.h"

namespace berth::core {
namespace {

constexpr const char* kNodeConditions[] = {"Ready", "MemoryPressure",
                                           "DiskPressure", "PIDPressure"};

std::optional<TimePoint> TimeAt(const Json* v) {
  if (!v || !v->IsString()) return std::nullopt;
  return ParseTimestamp(v->GetString());
}

Json* ConditionOf(Json& obj, const std::string& type) {
  Json* conds = Find(obj, {"status", "conditions"});
  if (!conds || !conds->IsArray()) return nullptr;
  for (auto& c : conds->GetArray()) {
    if (Str(Member(c, "type")) == type) return &c;
  }
  return nullptr;
}

const Json* ConditionOf(const Json& obj, const std::string& type) {
  return ConditionOf(const_cast<Json&>(obj), type);
}

struct TaintSpec {
  std::string key;
  const char* effect;
};

// The taint keys this controller owns; others are left alone.
constexpr const char* kManagedKeys[] = {
    kTaintNotReady,
    kTaintUnreachable,
    "node.kubernetes.io/memory-pressure",
    "node.kubernetes.io/disk-pressure",
    "node.kubernetes.io/pid-pressure",
    "node.kubernetes.io/network-unavailable",
    "node.kubernetes.io/unschedulable"};

bool Managed(const std::string& key) {
  return std::find(std::begin(kManagedKeys), std::end(kManagedKeys), key) !=
         std::end(kManagedKeys);
}

std::vector<TaintSpec> WantedTaints(const Json& node) {
  std::vector<TaintSpec> out;
  const std::string ready = NodeConditionStatus(node, "Ready");
  if (ready == "False" || ready == "Unknown") {
    const char* key = ready == "False" ? kTaintNotReady : kTaintUnreachable;
    out.push_back({key, "NoSchedule"});
    out.push_back({key, "NoExecute"});
  }
  for (auto [type, key] :
       {std::pair{"MemoryPressure", "node.kubernetes.io/memory-pressure"},
        std::pair{"DiskPressure", "node.kubernetes.io/disk-pressure"},
        std::pair{"PIDPressure", "node.kubernetes.io/pid-pressure"},
        std::pair{"NetworkUnavailable",
                  "node.kubernetes.io/network-unavailable"}}) {
    if (NodeConditionStatus(node, type) == "True") {
      out.push_back({key, "NoSchedule"});
    }
  }
  const Json* unschedulable = Find(node, {"spec", "unschedulable"});
  if (unschedulable && unschedulable->IsTrue()) {
    out.push_back({"node.kubernetes.io/unschedulable", "NoSchedule"});
  }
  return out;
}

}  // namespace

std::optional<TimePoint> LastHeartbeat(const Json& node, const Json* lease) {
  std::optional<TimePoint> renew =
      lease ? TimeAt(Find(*lease, {"spec", "renewTime"})) : std::nullopt;
  const Json* ready = ConditionOf(node, "Ready");
  std::optional<TimePoint> beat =
      ready ? TimeAt(Member(*ready, "lastHeartbeatTime")) : std::nullopt;
  if (renew && beat) return std::max(*renew, *beat);
  return renew ? renew : beat;
}

NodeHealth AssessNodeHealth(const Json& node, const Json* lease,
                            const NodeLifecycleSettings& settings,
                            TimePoint now) {
  std::optional<TimePoint> last = LastHeartbeat(node, lease);
  std::chrono::milliseconds grace = settings.grace_period;
  if (!last) {
    // Never reported: judged from its creation with the startup grace.
    last = TimeAt(Find(node, {"metadata", "creationTimestamp"}));
    grace = settings.startup_grace_period;
    if (!last) last = now;
  }
  auto deadline = *last + grace;
  if (now > deadline) return {true, std::chrono::milliseconds::zero()};
  auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
  // Past the deadline, not on it: timestamps have whole seconds.
  return {false, left + std::chrono::milliseconds(1000)};
}

bool MarkNodeStatusUnknown(Json& node, TimePoint now, JsonAlloc& a) {
  const std::string stamp = FormatTimestamp(now);
  Json& status = EnsureObject(node, "status", a);
  Json* conds = Member(status, "conditions");
  if (!conds || !conds->IsArray()) {
    SetMember(status, "conditions", Json(rapidjson::kArrayType), a);
    conds = Member(status, "conditions");
  }
  bool changed = false;
  for (const char* type : kNodeConditions) {
    Json* c = ConditionOf(node, type);
    if (!c) {
      Json added(rapidjson::kObjectType);
      SetString(added, "type", type, a);
      SetString(added, "status", "Unknown", a);
      SetString(added, "lastHeartbeatTime",
                Str(Find(node, {"metadata", "creationTimestamp"})), a);
      SetString(added, "lastTransitionTime", stamp, a);
      SetString(added, "reason", "NodeStatusNeverUpdated", a);
      SetString(added, "message", "Kubelet never posted node status.", a);
      conds->PushBack(added, a);
      changed = true;
      continue;
    }
    if (Str(Member(*c, "status")) == "Unknown") continue;
    SetString(*c, "status", "Unknown", a);
    SetString(*c, "reason", "NodeStatusUnknown", a);
    SetString(*c, "message", "Kubelet stopped posting node status.", a);
    SetString(*c, "lastTransitionTime", stamp, a);
    changed = true;
  }
  return changed;
}

std::string NodeConditionStatus(const Json& node, const std::string& type) {
  const Json* c = ConditionOf(node, type);
  return c ? Str(Member(*c, "status")) : "";
}

bool SyncConditionTaints(Json& node, TimePoint now, JsonAlloc& a) {
  std::vector<TaintSpec> wanted = WantedTaints(node);
  Json& spec = EnsureObject(node, "spec", a);
  Json next(rapidjson::kArrayType);
  bool changed = false;
  if (const Json* taints = Member(spec, "taints");
      taints && taints->IsArray()) {
    for (const auto& t : taints->GetArray()) {
      const std::string key = Str(Member(t, "key"));
      const std::string effect = Str(Member(t, "effect"));
      auto it = std::find_if(wanted.begin(), wanted.end(), [&](const auto& w) {
        return w.key == key && w.effect == effect;
      });
      if (it != wanted.end()) {
        wanted.erase(it);
      } else if (Managed(key)) {
        changed = true;
        continue;
      }
      next.PushBack(Json(t, a), a);
    }
  }
  for (const auto& w : wanted) {
    Json t(rapidjson::kObjectType);
    SetString(t, "key", w.key, a);
    SetString(t, "effect", w.effect, a);
    if (std::string_view(w.effect) == "NoExecute") {
      SetString(t, "timeAdded", FormatTimestamp(now), a);
    }
    next.PushBack(t, a);
    changed = true;
  }
  if (!changed) return false;
  if (next.Empty()) {
    spec.RemoveMember("taints");
  } else {
    SetMember(spec, "taints", std::move(next), a);
  }
  return true;
}

bool MarkPodNotReady(Json& pod, TimePoint now, JsonAlloc& a) {
  Json* ready = ConditionOf(pod, "Ready");
  if (!ready || Str(Member(*ready, "status")) == "False") return false;
  SetString(*ready, "status", "False", a);
  SetString(*ready, "lastTransitionTime", FormatTimestamp(now), a);
  return true;
}

}  // namespace berth::core
