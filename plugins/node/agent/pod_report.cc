#include "pod_report.h"

namespace berth::node {
namespace {

bool Exited(const std::optional<ContainerStatus>& c) {
  return c && c->state == ContainerState::kExited;
}
bool Running(const std::optional<ContainerStatus>& c) {
  return c && c->state == ContainerState::kRunning;
}

bool InitDone(const ContainerReport& c) {
  return c.waiting_reason.empty() && Exited(c.latest) &&
         c.latest->exit_code == 0;
}

std::string TimeOr(const std::optional<kubelet::TimePoint>& t,
                   kubelet::TimePoint fallback) {
  return kubelet::FormatTime(t.value_or(fallback));
}

Json Terminated(const ContainerStatus& c, const std::string& runtime,
                JsonAlloc& a) {
  Json t(rapidjson::kObjectType);
  SetMember(t, "exitCode", Json(c.exit_code), a);
  std::string reason = c.reason;
  if (reason.empty()) reason = c.exit_code == 0 ? "Completed" : "Error";
  SetString(t, "reason", reason, a);
  if (!c.message.empty()) SetString(t, "message", c.message, a);
  SetString(t, "startedAt", TimeOr(c.started_at, c.created_at), a);
  SetString(t, "finishedAt", TimeOr(c.finished_at, c.created_at), a);
  SetString(t, "containerID", runtime + "://" + c.id, a);
  return t;
}

Json ContainerStatusJson(const ContainerReport& c, const std::string& runtime,
                         JsonAlloc& a) {
  Json s(rapidjson::kObjectType);
  SetString(s, "name", c.name, a);
  Json state(rapidjson::kObjectType);
  Json last(rapidjson::kObjectType);
  // The newest container's attempt, as the kubelet counts restarts.
  const int restarts = c.latest ? static_cast<int>(c.latest->attempt) : 0;
  if (!c.waiting_reason.empty() || !c.latest ||
      c.latest->state == ContainerState::kCreated ||
      c.latest->state == ContainerState::kUnknown) {
    Json waiting(rapidjson::kObjectType);
    SetString(waiting, "reason",
              c.waiting_reason.empty() ? "ContainerCreating" : c.waiting_reason,
              a);
    if (!c.waiting_message.empty()) {
      SetString(waiting, "message", c.waiting_message, a);
    }
    SetMember(state, "waiting", std::move(waiting), a);
    if (Exited(c.latest)) {
      SetMember(last, "terminated", Terminated(*c.latest, runtime, a), a);
    } else if (Exited(c.previous)) {
      SetMember(last, "terminated", Terminated(*c.previous, runtime, a), a);
    }
  } else if (Running(c.latest)) {
    Json running(rapidjson::kObjectType);
    SetString(running, "startedAt",
              TimeOr(c.latest->started_at, c.latest->created_at), a);
    SetMember(state, "running", std::move(running), a);
    if (Exited(c.previous)) {
      SetMember(last, "terminated", Terminated(*c.previous, runtime, a), a);
    }
  } else {
    SetMember(state, "terminated", Terminated(*c.latest, runtime, a), a);
    if (Exited(c.previous)) {
      SetMember(last, "terminated", Terminated(*c.previous, runtime, a), a);
    }
  }
  SetMember(s, "state", std::move(state), a);
  SetMember(s, "lastState", std::move(last), a);
  SetMember(s, "ready", Json(c.ready && Running(c.latest)), a);
  SetMember(s, "restartCount", Json(restarts), a);
  SetString(s, "image", c.image, a);
  SetString(s, "imageID", c.latest ? c.latest->image_id : "", a);
  if (c.latest) SetString(s, "containerID", runtime + "://" + c.latest->id, a);
  SetMember(s, "started", Json(c.started && Running(c.latest)), a);
  return s;
}

const Json* OldCondition(const Json& pod, const std::string& type) {
  const Json* conds = Find(pod, {"status", "conditions"});
  if (!conds || !conds->IsArray()) return nullptr;
  for (const auto& c : conds->GetArray()) {
    if (GetString(c, {"type"}) == type) return &c;
  }
  return nullptr;
}

void AddCondition(Json& conds, const Json& pod, const std::string& type,
                  bool is_true, const std::string& reason,
                  const std::string& message, const std::string& now,
                  JsonAlloc& a) {
  const char* status = is_true ? "True" : "False";
  Json c(rapidjson::kObjectType);
  SetString(c, "type", type, a);
  SetString(c, "status", status, a);
  SetMember(c, "lastProbeTime", Json(rapidjson::kNullType), a);
  std::string since = now;
  if (const Json* old = OldCondition(pod, type);
      old && GetString(*old, {"status"}) == status) {
    since = GetString(*old, {"lastTransitionTime"}, now);
  }
  SetString(c, "lastTransitionTime", since, a);
  if (!reason.empty()) SetString(c, "reason", reason, a);
  if (!message.empty()) SetString(c, "message", message, a);
  conds.PushBack(c, a);
}

// "[a b]" as the kubelet lists container names in condition messages.
std::string NameList(const std::vector<std::string>& names) {
  std::string out = "[";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) out += " ";
    out += names[i];
  }
  return out + "]";
}

Json IpList(const std::vector<std::string>& ips, JsonAlloc& a) {
  Json list(rapidjson::kArrayType);
  for (const auto& ip : ips) {
    Json e(rapidjson::kObjectType);
    SetString(e, "ip", ip, a);
    list.PushBack(e, a);
  }
  return list;
}

}  // namespace

std::string PodPhase(const std::string& restart_policy, const PodReport& r) {
  if (!r.failed_reason.empty()) return "Failed";
  for (const auto& c : r.init_containers) {
    if (InitDone(c)) continue;
    // A failed init container of a Never pod fails the pod.
    if (restart_policy == "Never" && Exited(c.latest) &&
        c.latest->exit_code != 0) {
      return "Failed";
    }
    return "Pending";
  }
  int running = 0, waiting = 0, stopped = 0, succeeded = 0;
  for (const auto& c : r.containers) {
    if (!c.waiting_reason.empty() || !c.latest ||
        c.latest->state == ContainerState::kCreated ||
        c.latest->state == ContainerState::kUnknown) {
      // Waiting after a run counts as stopped (it ran), as kubelet does.
      if (Exited(c.latest)) {
        ++stopped;
      } else {
        ++waiting;
      }
    } else if (Running(c.latest)) {
      ++running;
    } else {
      ++stopped;
      if (c.latest->exit_code == 0) ++succeeded;
    }
  }
  if (waiting > 0) return "Pending";
  if (running > 0) return "Running";
  if (stopped == 0) return "Pending";
  if (restart_policy == "Always") return "Running";
  if (restart_policy == "OnFailure") {
    return stopped == succeeded ? "Succeeded" : "Running";
  }
  return stopped == succeeded ? "Succeeded" : "Failed";
}

Json BuildPodStatus(const Json& pod, const PodReport& r, kubelet::TimePoint now,
                    JsonAlloc& a) {
  const std::string stamp = kubelet::FormatTime(now);
  const std::string policy =
      GetString(pod, {"spec", "restartPolicy"}, "Always");
  const std::string phase = PodPhase(policy, r);
  const bool finished = phase == "Succeeded" || phase == "Failed";
  Json status(rapidjson::kObjectType);
  SetString(status, "phase", phase, a);
  if (!r.failed_reason.empty()) {
    SetString(status, "reason", r.failed_reason, a);
    SetString(status, "message", r.failed_message, a);
  }
  Json conds(rapidjson::kArrayType);
  std::vector<std::string> incomplete;
  for (const auto& c : r.init_containers) {
    if (!InitDone(c)) incomplete.push_back(c.name);
  }
  std::vector<std::string> unready;
  for (const auto& c : r.containers) {
    if (!(c.ready && Running(c.latest) && c.waiting_reason.empty())) {
      unready.push_back(c.name);
    }
  }
  const bool admitted_only =
      !r.failed_reason.empty() && !r.sandbox_ready && r.containers.empty();
  if (!admitted_only) {
    AddCondition(conds, pod, "PodReadyToStartContainers",
                 r.sandbox_ready && !finished, "", "", stamp, a);
    if (incomplete.empty()) {
      AddCondition(conds, pod, "Initialized", true, "", "", stamp, a);
    } else {
      AddCondition(conds, pod, "Initialized", false, "ContainersNotInitialized",
                   "containers with incomplete status: " + NameList(incomplete),
                   stamp, a);
    }
    const char* done_reason =
        phase == "Succeeded" ? "PodCompleted" : "PodFailed";
    for (const char* type : {"Ready", "ContainersReady"}) {
      if (finished) {
        AddCondition(conds, pod, type, false, done_reason, "", stamp, a);
      } else if (unready.empty()) {
        AddCondition(conds, pod, type, true, "", "", stamp, a);
      } else {
        AddCondition(conds, pod, type, false, "ContainersNotReady",
                     "containers with unready status: " + NameList(unready),
                     stamp, a);
      }
    }
  }
  AddCondition(conds, pod, "PodScheduled", true, "", "", stamp, a);
  SetMember(status, "conditions", std::move(conds), a);
  if (!r.host_ip.empty()) {
    SetString(status, "hostIP", r.host_ip, a);
    SetMember(status, "hostIPs", IpList({r.host_ip}, a), a);
  }
  if (!r.pod_ips.empty()) {
    SetString(status, "podIP", r.pod_ips.front(), a);
    SetMember(status, "podIPs", IpList(r.pod_ips, a), a);
  }
  SetString(status, "startTime", GetString(pod, {"status", "startTime"}, stamp),
            a);
  if (!r.init_containers.empty()) {
    Json list(rapidjson::kArrayType);
    for (const auto& c : r.init_containers) {
      list.PushBack(ContainerStatusJson(c, r.runtime_name, a), a);
    }
    SetMember(status, "initContainerStatuses", std::move(list), a);
  }
  Json list(rapidjson::kArrayType);
  for (const auto& c : r.containers) {
    list.PushBack(ContainerStatusJson(c, r.runtime_name, a), a);
  }
  SetMember(status, "containerStatuses", std::move(list), a);
  if (const Json* q = Find(pod, {"status", "qosClass"})) {
    SetMember(status, "qosClass", Json(*q, a), a);
  }
  return status;
}

}  // namespace berth::node
