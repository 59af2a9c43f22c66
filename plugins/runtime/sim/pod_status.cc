#include "pod_status.h"

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string_view>

namespace berth::sim {
namespace {

std::string Text(const Json* v) {
  return v && v->IsString() ? std::string(v->GetString(), v->GetStringLength())
                            : std::string();
}

// A stable 64-hex-digit id from `seed` (container and image IDs).
std::string Hex64(const std::string& seed) {
  std::string out;
  uint64_t h = std::hash<std::string>{}(seed);
  for (int i = 0; i < 4; ++i) {
    char buf[17];
    std::snprintf(buf, sizeof(buf), "%016llx",
                  static_cast<unsigned long long>(h));
    out += buf;
    h = h * 6364136223846793005ULL + 1442695040888963407ULL;
  }
  return out;
}

std::string ContainerId(const Json& pod, const std::string& container) {
  return "sim://" +
         Hex64(Text(Find(pod, {"metadata", "uid"})) + "/" + container);
}

std::string ImageId(const std::string& image) {
  std::string repo = image.substr(0, image.find('@'));
  const size_t slash = repo.rfind('/');
  const size_t colon = repo.rfind(':');
  if (colon != std::string::npos &&
      (slash == std::string::npos || colon > slash)) {
    repo = repo.substr(0, colon);
  }
  return repo + "@sha256:" + Hex64("image/" + image);
}

const Json* OldCondition(const Json& pod, const char* type) {
  const Json* conds = Find(pod, {"status", "conditions"});
  if (!conds || !conds->IsArray()) return nullptr;
  for (const auto& c : conds->GetArray()) {
    if (Text(Member(c, "type")) == type) return &c;
  }
  return nullptr;
}

void AddCondition(Json& conds, const Json& pod, const char* type,
                  const char* status, const char* reason,
                  const std::string& now, JsonAlloc& a) {
  Json c(rapidjson::kObjectType);
  SetString(c, "type", type, a);
  SetString(c, "status", status, a);
  SetMember(c, "lastProbeTime", Json(rapidjson::kNullType), a);
  std::string since = now;
  if (const Json* old = OldCondition(pod, type);
      old && Text(Member(*old, "status")) == status) {
    std::string t = Text(Member(*old, "lastTransitionTime"));
    if (!t.empty()) since = t;
  }
  SetString(c, "lastTransitionTime", since, a);
  if (reason) SetString(c, "reason", reason, a);
  conds.PushBack(c, a);
}

void CopyStatusField(Json& status, const Json& pod, const char* key,
                     JsonAlloc& a) {
  if (const Json* v = Find(pod, {"status", key})) {
    SetMember(status, key, Json(*v, a), a);
  }
}

Json IpList(const std::string& ip, JsonAlloc& a) {
  Json list(rapidjson::kArrayType);
  Json entry(rapidjson::kObjectType);
  SetString(entry, "ip", ip, a);
  list.PushBack(entry, a);
  return list;
}

// One container's status. `state` is "running" or "terminated".
Json ContainerStatus(const Json& pod, const Json& container,
                     const std::string& state, bool ready, bool started,
                     int exit_code, const std::string& started_at,
                     const std::string& finished_at, JsonAlloc& a) {
  const std::string name = Text(Member(container, "name"));
  const std::string image = Text(Member(container, "image"));
  Json s(rapidjson::kObjectType);
  SetString(s, "name", name, a);
  Json st(rapidjson::kObjectType);
  Json detail(rapidjson::kObjectType);
  if (state == "terminated") {
    SetMember(detail, "exitCode", Json(exit_code), a);
    SetString(detail, "reason", exit_code == 0 ? "Completed" : "Error", a);
    SetString(detail, "startedAt", started_at, a);
    SetString(detail, "finishedAt", finished_at, a);
    SetString(detail, "containerID", ContainerId(pod, name), a);
  } else {
    SetString(detail, "startedAt", started_at, a);
  }
  SetMember(st, state, std::move(detail), a);
  SetMember(s, "state", std::move(st), a);
  SetMember(s, "lastState", Json(rapidjson::kObjectType), a);
  SetMember(s, "ready", Json(ready), a);
  SetMember(s, "restartCount", Json(0), a);
  SetString(s, "image", image, a);
  SetString(s, "imageID", ImageId(image), a);
  SetString(s, "containerID", ContainerId(pod, name), a);
  SetMember(s, "started", Json(started), a);
  return s;
}

// The startedAt of container `name` in the old status, or `fallback`.
std::string OldStartedAt(const Json& pod, const char* list,
                         const std::string& name, const std::string& fallback) {
  const Json* statuses = Find(pod, {"status", list});
  if (!statuses || !statuses->IsArray()) return fallback;
  for (const auto& s : statuses->GetArray()) {
    if (Text(Member(s, "name")) != name) continue;
    for (const char* state : {"running", "terminated"}) {
      std::string t = Text(Find(s, {"state", state, "startedAt"}));
      if (!t.empty()) return t;
    }
  }
  return fallback;
}

}  // namespace

bool RunsToCompletion(const Json& pod) {
  const std::string policy = Text(Find(pod, {"spec", "restartPolicy"}));
  return policy == "Never" || policy == "OnFailure";
}

int64_t PodRunSeconds(const Json& pod, int64_t default_seconds) {
  const std::string v =
      Text(Find(pod, {"metadata", "annotations", kRunSecondsAnnotation}));
  if (v.empty() || v.size() > 9) return default_seconds;
  for (char c : v) {
    if (c < '0' || c > '9') return default_seconds;
  }
  return std::atoll(v.c_str());
}

int PodExitCode(const Json& pod) {
  const std::string v =
      Text(Find(pod, {"metadata", "annotations", kExitCodeAnnotation}));
  if (v.empty()) return 0;
  char* end = nullptr;
  long code = std::strtol(v.c_str(), &end, 10);
  if (*end != '\0' || code < -255 || code > 255) return 0;
  return static_cast<int>(code);
}

Json BuildRunningStatus(const Json& pod, const PodPlacement& placement,
                        TimePoint now, JsonAlloc& a) {
  const std::string stamp = FormatTime(now);
  Json status(rapidjson::kObjectType);
  SetString(status, "phase", "Running", a);
  Json conds(rapidjson::kArrayType);
  AddCondition(conds, pod, "PodReadyToStartContainers", "True", nullptr, stamp,
               a);
  AddCondition(conds, pod, "Initialized", "True", nullptr, stamp, a);
  AddCondition(conds, pod, "Ready", "True", nullptr, stamp, a);
  AddCondition(conds, pod, "ContainersReady", "True", nullptr, stamp, a);
  AddCondition(conds, pod, "PodScheduled", "True", nullptr, stamp, a);
  SetMember(status, "conditions", std::move(conds), a);
  SetString(status, "hostIP", placement.host_ip, a);
  SetMember(status, "hostIPs", IpList(placement.host_ip, a), a);
  SetString(status, "podIP", placement.pod_ip, a);
  SetMember(status, "podIPs", IpList(placement.pod_ip, a), a);
  std::string start = Text(Find(pod, {"status", "startTime"}));
  if (start.empty()) start = stamp;
  SetString(status, "startTime", start, a);
  if (const Json* inits = Find(pod, {"spec", "initContainers"});
      inits && inits->IsArray() && !inits->Empty()) {
    Json list(rapidjson::kArrayType);
    for (const auto& c : inits->GetArray()) {
      const std::string name = Text(Member(c, "name"));
      const std::string began =
          OldStartedAt(pod, "initContainerStatuses", name, start);
      // A sidecar (restartPolicy Always) keeps running; others completed.
      if (Text(Member(c, "restartPolicy")) == "Always") {
        list.PushBack(
            ContainerStatus(pod, c, "running", true, true, 0, began, "", a), a);
      } else {
        list.PushBack(ContainerStatus(pod, c, "terminated", true, false, 0,
                                      began, began, a),
                      a);
      }
    }
    SetMember(status, "initContainerStatuses", std::move(list), a);
  }
  Json list(rapidjson::kArrayType);
  if (const Json* cs = Find(pod, {"spec", "containers"}); cs && cs->IsArray()) {
    for (const auto& c : cs->GetArray()) {
      const std::string began = OldStartedAt(pod, "containerStatuses",
                                             Text(Member(c, "name")), start);
      list.PushBack(
          ContainerStatus(pod, c, "running", true, true, 0, began, "", a), a);
    }
  }
  SetMember(status, "containerStatuses", std::move(list), a);
  CopyStatusField(status, pod, "qosClass", a);
  return status;
}

Json BuildFinishedStatus(const Json& pod, int exit_code, TimePoint now,
                         JsonAlloc& a) {
  const std::string stamp = FormatTime(now);
  const bool succeeded = exit_code == 0;
  const char* reason = succeeded ? "PodCompleted" : "PodFailed";
  Json status(rapidjson::kObjectType);
  SetString(status, "phase", succeeded ? "Succeeded" : "Failed", a);
  Json conds(rapidjson::kArrayType);
  AddCondition(conds, pod, "PodReadyToStartContainers", "False", nullptr, stamp,
               a);
  AddCondition(conds, pod, "Initialized", "True", "PodCompleted", stamp, a);
  AddCondition(conds, pod, "Ready", "False", reason, stamp, a);
  AddCondition(conds, pod, "ContainersReady", "False", reason, stamp, a);
  AddCondition(conds, pod, "PodScheduled", "True", nullptr, stamp, a);
  SetMember(status, "conditions", std::move(conds), a);
  for (const char* key : {"hostIP", "hostIPs", "podIP", "podIPs", "startTime",
                          "initContainerStatuses", "qosClass"}) {
    CopyStatusField(status, pod, key, a);
  }
  std::string start = Text(Find(pod, {"status", "startTime"}));
  if (start.empty()) start = stamp;
  Json list(rapidjson::kArrayType);
  if (const Json* cs = Find(pod, {"spec", "containers"}); cs && cs->IsArray()) {
    for (const auto& c : cs->GetArray()) {
      const std::string began = OldStartedAt(pod, "containerStatuses",
                                             Text(Member(c, "name")), start);
      list.PushBack(ContainerStatus(pod, c, "terminated", false, false,
                                    exit_code, began, stamp, a),
                    a);
    }
  }
  SetMember(status, "containerStatuses", std::move(list), a);
  return status;
}

Json BuildRestartedStatus(const Json& pod, int exit_code, TimePoint now,
                          JsonAlloc& a) {
  const std::string stamp = FormatTime(now);
  const Json* old = Member(pod, "status");
  Json status = old ? Json(*old, a) : Json(rapidjson::kObjectType);
  Json* list = Member(status, "containerStatuses");
  if (!list || !list->IsArray()) return status;
  for (auto& s : list->GetArray()) {
    const std::string name = Text(Member(s, "name"));
    const std::string began = Text(Find(s, {"state", "running", "startedAt"}));
    Json terminated(rapidjson::kObjectType);
    SetMember(terminated, "exitCode", Json(exit_code), a);
    SetString(terminated, "reason", "Error", a);
    SetString(terminated, "startedAt", began.empty() ? stamp : began, a);
    SetString(terminated, "finishedAt", stamp, a);
    SetString(terminated, "containerID", ContainerId(pod, name), a);
    Json last(rapidjson::kObjectType);
    SetMember(last, "terminated", std::move(terminated), a);
    SetMember(s, "lastState", std::move(last), a);
    Json running(rapidjson::kObjectType);
    SetString(running, "startedAt", stamp, a);
    Json state(rapidjson::kObjectType);
    SetMember(state, "running", std::move(running), a);
    SetMember(s, "state", std::move(state), a);
    SetMember(s, "restartCount", Json(GetInt(s, {"restartCount"}) + 1), a);
  }
  return status;
}

std::optional<TimePoint> LastContainerStart(const Json& pod) {
  std::optional<TimePoint> latest;
  if (const Json* list = Find(pod, {"status", "containerStatuses"});
      list && list->IsArray()) {
    for (const auto& s : list->GetArray()) {
      auto t = ParseTime(Text(Find(s, {"state", "running", "startedAt"})));
      if (t && (!latest || *t > *latest)) latest = t;
    }
  }
  if (latest) return latest;
  return ParseTime(Text(Find(pod, {"status", "startTime"})));
}

}  // namespace berth::sim
