#include "node_conditions.h"

#include <string>
#include <string_view>

namespace berth::kubelet {
namespace {

const Json* OldCondition(const Json* old_status, const char* type) {
  if (!old_status) return nullptr;
  const Json* conds = Member(*old_status, "conditions");
  if (!conds || !conds->IsArray()) return nullptr;
  for (const auto& c : conds->GetArray()) {
    const Json* t = Member(c, "type");
    if (t && t->IsString() && std::string_view(t->GetString()) == type) {
      return &c;
    }
  }
  return nullptr;
}

void Add(Json& conds, const Json* old_status, const char* type, bool is_true,
         const char* reason, const std::string& message,
         const std::string& stamp, JsonAlloc& a) {
  const char* status = is_true ? "True" : "False";
  Json c(rapidjson::kObjectType);
  SetString(c, "type", type, a);
  SetString(c, "status", status, a);
  SetString(c, "lastHeartbeatTime", stamp, a);
  std::string since = stamp;
  if (const Json* old = OldCondition(old_status, type)) {
    if (GetString(*old, {"status"}) == status) {
      since = GetString(*old, {"lastTransitionTime"}, stamp);
    }
  }
  SetString(c, "lastTransitionTime", since, a);
  SetString(c, "reason", reason, a);
  SetString(c, "message", message, a);
  conds.PushBack(c, a);
}

}  // namespace

Json BuildNodeConditions(const NodePressure& p, const Json* old_status,
                         TimePoint now, JsonAlloc& a) {
  const std::string stamp = FormatTime(now);
  Json conds(rapidjson::kArrayType);
  if (p.memory) {
    Add(conds, old_status, "MemoryPressure", true,
        "KubeletHasInsufficientMemory",
        "kubelet has insufficient memory available", stamp, a);
  } else {
    Add(conds, old_status, "MemoryPressure", false,
        "KubeletHasSufficientMemory", "kubelet has sufficient memory available",
        stamp, a);
  }
  if (p.disk) {
    Add(conds, old_status, "DiskPressure", true, "KubeletHasDiskPressure",
        "kubelet has disk pressure", stamp, a);
  } else {
    Add(conds, old_status, "DiskPressure", false, "KubeletHasNoDiskPressure",
        "kubelet has no disk pressure", stamp, a);
  }
  if (p.pids) {
    Add(conds, old_status, "PIDPressure", true, "KubeletHasInsufficientPID",
        "kubelet has insufficient PID available", stamp, a);
  } else {
    Add(conds, old_status, "PIDPressure", false, "KubeletHasSufficientPID",
        "kubelet has sufficient PID available", stamp, a);
  }
  if (p.not_ready_message.empty()) {
    Add(conds, old_status, "Ready", true, "KubeletReady",
        "kubelet is posting ready status", stamp, a);
  } else {
    Add(conds, old_status, "Ready", false, "KubeletNotReady",
        p.not_ready_message, stamp, a);
  }
  return conds;
}

}  // namespace berth::kubelet
