#include "pod_kind.h"

#include <map>
#include <set>

#include "age.h"
#include "pod_spec.h"
#include "printing.h"
#include "quantity.h"
#include "schema_registry.h"
#include "validation.h"

namespace berth::core {
namespace {

constexpr const char* kPodUpdateForbidden =
    "pod updates may not change fields other than `spec.containers[*].image`,"
    "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
    "`spec.tolerations` (only additions to existing tolerations),"
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was "
    "previously negative)";

const Json* Array(const Json& v, std::initializer_list<std::string_view> path) {
  const Json* a = Find(v, path);
  return a && a->IsArray() ? a : nullptr;
}

// Kubernetes' SetDefaults_Pod: a container's requests default to its limits.
void DefaultRequestsFromLimits(Json& container, JsonAlloc& a) {
  Json* res = Member(container, "resources");
  Json* limits = res ? Member(*res, "limits") : nullptr;
  if (!limits || !limits->IsObject() || limits->MemberCount() == 0) return;
  Json& requests = EnsureObject(*res, "requests", a);
  for (auto it = limits->MemberBegin(); it != limits->MemberEnd(); ++it) {
    // An unparsable limit is reported once, against the limit.
    if (!Member(requests, it->name.GetString()) && QuantityValue(it->value)) {
      requests.AddMember(Json(it->name, a), Json(it->value, a), a);
    }
  }
}

// With host networking a container port is the host port.
void DefaultHostNetworkPorts(Json& container, JsonAlloc& a) {
  Json* ports = Member(container, "ports");
  if (!ports || !ports->IsArray()) return;
  for (auto& p : ports->GetArray()) {
    if (!p.IsObject() || GetInt(p, {"hostPort"}) != 0) continue;
    SetMember(p, "hostPort", Json(GetInt(p, {"containerPort"})), a);
  }
}

// Blanks what a pod update may change, so the rest compares equal.
void StripMutable(Json& spec, const Json& old_spec, JsonAlloc& a) {
  for (const char* list : {"containers", "initContainers"}) {
    Json* cs = Member(spec, list);
    if (!cs || !cs->IsArray()) continue;
    for (auto& c : cs->GetArray()) {
      if (c.IsObject()) c.RemoveMember("image");
    }
  }
  spec.RemoveMember("activeDeadlineSeconds");
  spec.RemoveMember("tolerations");
  spec.RemoveMember("terminationGracePeriodSeconds");
  // Binding a pod to a node goes through an update until a binding
  // subresource exists, so setting an empty nodeName is allowed.
  if (Str(Member(old_spec, "nodeName")).empty()) spec.RemoveMember("nodeName");
}

bool IsRestartableInit(const Json* container) {
  return container && Str(Member(*container, "restartPolicy")) == "Always";
}

std::optional<std::chrono::system_clock::time_point> LastTerminated(
    const Json& status) {
  const Json* finished =
      Find(status, {"lastState", "terminated", "finishedAt"});
  if (!finished || !finished->IsString()) return std::nullopt;
  return ParseTimestamp(finished->GetString());
}

bool HasReadyConditionTrue(const Json& pod, const char* type) {
  if (const Json* conds = Array(pod, {"status", "conditions"})) {
    for (const auto& c : conds->GetArray()) {
      if (Str(Member(c, "type")) == type) {
        return Str(Member(c, "status")) == "True";
      }
    }
  }
  return false;
}

}  // namespace

PodKind::PodKind() {
  info_.version = "v1";
  info_.kind = "Pod";
  info_.plural = "pods";
  info_.singular = "pod";
  info_.short_names = {"po"};
  info_.categories = {"all"};
  info_.status_subresource = true;
  info_.schema_name = "io.k8s.api.core.v1.Pod";
  schemas_ = SchemaClosureJson({info_.schema_name});
}

void PodKind::Default(Json& obj, JsonAlloc& a) const {
  if (!obj.IsObject()) return;
  Json& spec = EnsureObject(obj, "spec", a);
  DefaultPodSpec(spec, a);
  SetDefault(spec, "enableServiceLinks", Json(true), a);
  SetDefault(spec, "priority", Json(0), a);
  SetDefaultString(spec, "preemptionPolicy", "PreemptLowerPriority", a);
  const bool host_network = Member(spec, "hostNetwork") &&
                            Member(spec, "hostNetwork")->IsBool() &&
                            Member(spec, "hostNetwork")->GetBool();
  for (const char* list : {"initContainers", "containers"}) {
    Json* cs = Member(spec, list);
    if (!cs || !cs->IsArray()) continue;
    for (auto& c : cs->GetArray()) {
      if (!c.IsObject()) continue;
      DefaultRequestsFromLimits(c, a);
      if (host_network) DefaultHostNetworkPorts(c, a);
    }
  }
  Json& status = EnsureObject(obj, "status", a);
  SetDefaultString(status, "phase", "Pending", a);
  if (!Member(status, "qosClass")) {
    SetString(status, "qosClass", PodQosClass(obj), a);
  }
}

std::vector<FieldCause> PodKind::Validate(const Json& obj,
                                          const Json* old) const {
  std::vector<FieldCause> causes;
  const Json* spec = Member(obj, "spec");
  if (!spec || !spec->IsObject()) {
    causes.push_back(field::Required("spec.containers"));
    return causes;
  }
  ValidatePodSpec(*spec, "spec", causes);
  const Json* old_spec = old ? Member(*old, "spec") : nullptr;
  if (old_spec && old_spec->IsObject()) {
    JsonDoc a, b;
    a.CopyFrom(*spec, a.GetAllocator());
    b.CopyFrom(*old_spec, b.GetAllocator());
    StripMutable(a, *old_spec, a.GetAllocator());
    StripMutable(b, *old_spec, b.GetAllocator());
    if (a != b) causes.push_back(field::Forbidden("spec", kPodUpdateForbidden));
  }
  return causes;
}

std::vector<ActionSubresource> PodKind::ActionSubresources() const {
  return {{"binding", "Binding", "v1"}, {"eviction", "Eviction", "policy/v1"}};
}

StatusOr<SubresourceOutcome> PodKind::ApplySubresource(
    const std::string& subresource, const Json& body, Json& obj,
    JsonAlloc& alloc) const {
  if (subresource == "eviction") return SubresourceOutcome::kDelete;
  if (subresource != "binding") {
    return Status::NotFound("the server could not find the requested resource");
  }
  const std::string name = Str(Find(obj, {"metadata", "name"}));
  // ValidatePodBinding's checks, with its wording.
  std::vector<FieldCause> causes;
  const std::string target_kind = Str(Find(body, {"target", "kind"}));
  if (!target_kind.empty() && target_kind != "Node") {
    causes.push_back(
        field::NotSupported("target.kind", target_kind, {"Node", "<empty>"}));
  }
  const std::string node = Str(Find(body, {"target", "name"}));
  if (node.empty()) causes.push_back(field::Required("target.name"));
  if (!causes.empty()) {
    std::string msg = "Binding \"" + name + "\" is invalid: ";
    for (size_t i = 0; i < causes.size(); ++i) {
      msg += (i ? ", " : "") + causes[i].field + ": " + causes[i].message;
    }
    return Status::Invalid(msg, std::move(causes));
  }
  // The binding storage's setPodHostAndAnnotations.
  const std::string prefix =
      "Operation cannot be fulfilled on pods/binding \"" + name + "\": ";
  if (Find(obj, {"metadata", "deletionTimestamp"})) {
    return Status::Conflict(prefix + "pod " + name +
                            " is being deleted, cannot be assigned to a host");
  }
  const std::string bound = Str(Find(obj, {"spec", "nodeName"}));
  if (!bound.empty()) {
    return Status::Conflict(prefix + "pod " + name +
                            " is already assigned to node \"" + bound + "\"");
  }
  SetString(EnsureObject(obj, "spec", alloc), "nodeName", node, alloc);
  // As the apiserver's binding storage: the Binding's annotations are
  // copied onto the pod, and the pod is marked PodScheduled=True.
  if (const Json* notes = Find(body, {"metadata", "annotations"});
      notes && notes->IsObject()) {
    Json& meta = EnsureObject(obj, "metadata", alloc);
    Json& pod_notes = EnsureObject(meta, "annotations", alloc);
    for (auto it = notes->MemberBegin(); it != notes->MemberEnd(); ++it) {
      SetMember(
          pod_notes,
          std::string_view(it->name.GetString(), it->name.GetStringLength()),
          Json(it->value, alloc), alloc);
    }
  }
  Json& status = EnsureObject(obj, "status", alloc);
  Json* conditions = Member(status, "conditions");
  if (!conditions || !conditions->IsArray()) {
    SetMember(status, "conditions", Json(rapidjson::kArrayType), alloc);
    conditions = Member(status, "conditions");
  }
  Json* scheduled = nullptr;
  for (auto& c : conditions->GetArray()) {
    if (Str(Member(c, "type")) == "PodScheduled") scheduled = &c;
  }
  if (!scheduled) {
    Json c(rapidjson::kObjectType);
    SetString(c, "type", "PodScheduled", alloc);
    conditions->PushBack(std::move(c), alloc);
    scheduled = &(*conditions)[conditions->Size() - 1];
  }
  if (Str(Member(*scheduled, "status")) != "True") {
    SetString(*scheduled, "status", "True", alloc);
    SetMember(*scheduled, "lastProbeTime", Json(rapidjson::kNullType), alloc);
    SetString(*scheduled, "lastTransitionTime",
              FormatTimestamp(std::chrono::system_clock::now()), alloc);
    scheduled->RemoveMember("reason");
    scheduled->RemoveMember("message");
  }
  return SubresourceOutcome::kUpdate;
}

int64_t PodKind::GracePeriodSeconds(const Json& obj,
                                    std::optional<int64_t> requested) const {
  int64_t period =
      requested ? *requested
                : GetInt(obj, {"spec", "terminationGracePeriodSeconds"}, 0);
  if (GetString(obj, {"spec", "nodeName"}).empty()) period = 0;
  const std::string phase = GetString(obj, {"status", "phase"});
  if (phase == "Succeeded" || phase == "Failed") period = 0;
  return period < 0 ? 1 : period;
}

std::vector<PrinterColumn> PodKind::Columns() const {
  return {
      NameColumn(),
      StringColumn("Ready",
                   "The aggregate readiness state of this pod for accepting "
                   "traffic."),
      StringColumn("Status",
                   "The aggregate status of the containers in this pod."),
      StringColumn("Restarts",
                   "The number of times the containers in this pod have been "
                   "restarted and when the last container in this pod has "
                   "restarted."),
      AgeColumn(),
      StringColumn("IP",
                   "podIP address allocated to the pod. Routable at least "
                   "within the cluster. Empty if not yet allocated.",
                   1),
      StringColumn("Node",
                   "NodeName indicates in which node this pod is scheduled. If "
                   "empty, this pod is a candidate for scheduling by the "
                   "scheduler defined in schedulerName.",
                   1),
      StringColumn("Nominated Node",
                   "nominatedNodeName is set only when this pod preempts other "
                   "pods on the node, but it cannot be scheduled right away as "
                   "preemption victims receive their graceful termination "
                   "periods.",
                   1),
      StringColumn(
          "Readiness Gates",
          "If specified, all readiness gates will be evaluated for pod "
          "readiness.",
          1),
  };
}

void PodKind::Cells(const Json& pod, std::chrono::system_clock::time_point now,
                    Json& cells, JsonAlloc& alloc) const {
  using TimePoint = std::chrono::system_clock::time_point;
  const Json empty(rapidjson::kObjectType);
  const Json* spec_p = Member(pod, "spec");
  const Json* status_p = Member(pod, "status");
  const Json& spec = spec_p ? *spec_p : empty;
  const Json& status = status_p ? *status_p : empty;

  int64_t restarts = 0, restartable_init_restarts = 0;
  int64_t ready = 0;
  const Json* containers = Array(spec, {"containers"});
  int64_t total = containers ? containers->Size() : 0;
  std::optional<TimePoint> last_restart, last_restartable_init_restart;

  std::string reason = Str(Member(status, "phase"));
  if (!Str(Member(status, "reason")).empty()) {
    reason = Str(Member(status, "reason"));
  }
  if (const Json* conds = Array(status, {"conditions"})) {
    for (const auto& c : conds->GetArray()) {
      if (Str(Member(c, "type")) == "PodScheduled" &&
          Str(Member(c, "reason")) == "SchedulingGated") {
        reason = "SchedulingGated";
      }
    }
  }

  std::map<std::string, const Json*> init_containers;
  const Json* init_specs = Array(spec, {"initContainers"});
  if (init_specs) {
    for (const auto& c : init_specs->GetArray()) {
      init_containers[Str(Member(c, "name"))] = &c;
      if (IsRestartableInit(&c)) ++total;
    }
  }
  const size_t init_count = init_specs ? init_specs->Size() : 0;

  auto later = [](std::optional<TimePoint>& cur, std::optional<TimePoint> t) {
    if (t && (!cur || *cur < *t)) cur = t;
  };

  bool initializing = false;
  if (const Json* statuses = Array(status, {"initContainerStatuses"})) {
    for (size_t i = 0; i < statuses->Size(); ++i) {
      const Json& cs = (*statuses)[i];
      const std::string name = Str(Member(cs, "name"));
      const Json* cspec =
          init_containers.count(name) ? init_containers[name] : nullptr;
      const int64_t count = GetInt(cs, {"restartCount"});
      restarts += count;
      later(last_restart, LastTerminated(cs));
      if (IsRestartableInit(cspec)) {
        restartable_init_restarts += count;
        later(last_restartable_init_restart, LastTerminated(cs));
      }
      const Json* terminated = Find(cs, {"state", "terminated"});
      const Json* waiting = Find(cs, {"state", "waiting"});
      const Json* started = Member(cs, "started");
      const Json* ready_v = Member(cs, "ready");
      const bool is_ready = ready_v && ready_v->IsBool() && ready_v->GetBool();
      if (terminated && GetInt(*terminated, {"exitCode"}) == 0) continue;
      if (IsRestartableInit(cspec) && started && started->IsBool() &&
          started->GetBool()) {
        if (is_ready) ++ready;
        continue;
      }
      if (terminated) {
        const std::string r = Str(Member(*terminated, "reason"));
        if (r.empty()) {
          const int64_t signal = GetInt(*terminated, {"signal"});
          reason = signal != 0
                       ? "Init:Signal:" + std::to_string(signal)
                       : "Init:ExitCode:" +
                             std::to_string(GetInt(*terminated, {"exitCode"}));
        } else {
          reason = "Init:" + r;
        }
      } else if (waiting && !Str(Member(*waiting, "reason")).empty() &&
                 Str(Member(*waiting, "reason")) != "PodInitializing") {
        reason = "Init:" + Str(Member(*waiting, "reason"));
      } else {
        reason = "Init:" + std::to_string(i) + "/" + std::to_string(init_count);
      }
      initializing = true;
      break;
    }
  }

  if (!initializing || HasReadyConditionTrue(pod, "Initialized")) {
    restarts = restartable_init_restarts;
    last_restart = last_restartable_init_restart;
    bool has_running = false;
    if (const Json* statuses = Array(status, {"containerStatuses"})) {
      for (size_t i = statuses->Size(); i-- > 0;) {
        const Json& cs = (*statuses)[i];
        restarts += GetInt(cs, {"restartCount"});
        later(last_restart, LastTerminated(cs));
        const Json* terminated = Find(cs, {"state", "terminated"});
        const Json* waiting = Find(cs, {"state", "waiting"});
        const Json* running = Find(cs, {"state", "running"});
        const Json* ready_v = Member(cs, "ready");
        const bool is_ready =
            ready_v && ready_v->IsBool() && ready_v->GetBool();
        if (waiting && !Str(Member(*waiting, "reason")).empty()) {
          reason = Str(Member(*waiting, "reason"));
        } else if (terminated && !Str(Member(*terminated, "reason")).empty()) {
          reason = Str(Member(*terminated, "reason"));
        } else if (terminated) {
          const int64_t signal = GetInt(*terminated, {"signal"});
          reason = signal != 0
                       ? "Signal:" + std::to_string(signal)
                       : "ExitCode:" +
                             std::to_string(GetInt(*terminated, {"exitCode"}));
        } else if (is_ready && running) {
          has_running = true;
          ++ready;
        }
      }
    }
    if (reason == "Completed" && has_running) {
      bool has_ready_condition = false;
      if (const Json* conds = Array(status, {"conditions"})) {
        for (const auto& c : conds->GetArray()) {
          if (Str(Member(c, "type")) == "Ready") has_ready_condition = true;
        }
      }
      reason = has_ready_condition ? "Running" : "NotReady";
    }
  }

  const std::string phase = Str(Member(status, "phase"));
  if (Find(pod, {"metadata", "deletionTimestamp"})) {
    if (Str(Member(status, "reason")) == "NodeLost") {
      reason = "Unknown";
    } else if (phase != "Succeeded" && phase != "Failed") {
      reason = "Terminating";
    }
  }

  AppendCell(cells, Str(Find(pod, {"metadata", "name"})), alloc);
  AppendCell(cells, std::to_string(ready) + "/" + std::to_string(total), alloc);
  AppendCell(cells, reason, alloc);
  if (restarts != 0 && last_restart) {
    AppendCell(cells,
               std::to_string(restarts) + " (" +
                   HumanDuration(now - *last_restart) + " ago)",
               alloc);
  } else {
    AppendCell(cells, restarts, alloc);
  }
  AppendCell(cells, AgeSince(Find(pod, {"metadata", "creationTimestamp"}), now),
             alloc);

  std::string ip;
  if (const Json* ips = Array(status, {"podIPs"}); ips && !ips->Empty()) {
    ip = Str(Member((*ips)[0], "ip"));
  }
  if (ip.empty()) ip = Str(Member(status, "podIP"));
  const std::string node = Str(Member(spec, "nodeName"));
  const std::string nominated = Str(Member(status, "nominatedNodeName"));
  AppendCell(cells, ip.empty() ? "<none>" : ip, alloc);
  AppendCell(cells, node.empty() ? "<none>" : node, alloc);
  AppendCell(cells, nominated.empty() ? "<none>" : nominated, alloc);
  std::string gates = "<none>";
  if (const Json* rg = Array(spec, {"readinessGates"}); rg && !rg->Empty()) {
    int true_conditions = 0;
    for (const auto& g : rg->GetArray()) {
      if (HasReadyConditionTrue(pod, Str(Member(g, "conditionType")).c_str())) {
        ++true_conditions;
      }
    }
    gates = std::to_string(true_conditions) + "/" + std::to_string(rg->Size());
  }
  AppendCell(cells, gates, alloc);
}

std::vector<std::string> PodKind::SelectableFields() const {
  return {"spec.nodeName",      "spec.restartPolicy",
          "spec.schedulerName", "spec.serviceAccountName",
          "spec.hostNetwork",   "status.phase",
          "status.podIP",       "status.nominatedNodeName"};
}

std::map<std::string, std::string> PodKind::FieldValues(const Json& obj) const {
  return {
      {"spec.nodeName", Str(Find(obj, {"spec", "nodeName"}))},
      {"spec.restartPolicy", Str(Find(obj, {"spec", "restartPolicy"}))},
      {"spec.schedulerName", Str(Find(obj, {"spec", "schedulerName"}))},
      {"spec.serviceAccountName",
       Str(Find(obj, {"spec", "serviceAccountName"}))},
      {"spec.hostNetwork", BoolField(Find(obj, {"spec", "hostNetwork"}))},
      {"status.phase", Str(Find(obj, {"status", "phase"}))},
      {"status.podIP", Str(Find(obj, {"status", "podIP"}))},
      {"status.nominatedNodeName",
       Str(Find(obj, {"status", "nominatedNodeName"}))},
  };
}

std::optional<std::string> PodKind::MergeKey(const std::string& path) const {
  if (path == "status.conditions") return "type";
  if (path == "status.podIPs" || path == "status.hostIPs") return "ip";
  return PodSpecMergeKey(path, "spec");
}

std::string PodQosClass(const Json& pod) {
  std::map<std::string, long double> requests, limits;
  bool guaranteed = true;
  for (const char* list : {"containers", "initContainers"}) {
    const Json* cs = Array(pod, {"spec", list});
    if (!cs) continue;
    for (const auto& c : cs->GetArray()) {
      if (const Json* req = Find(c, {"resources", "requests"});
          req && req->IsObject()) {
        for (auto it = req->MemberBegin(); it != req->MemberEnd(); ++it) {
          const std::string name = it->name.GetString();
          if (name != "cpu" && name != "memory") continue;
          auto q = QuantityValue(it->value);
          if (q && *q > 0) requests[name] += *q;
        }
      }
      std::set<std::string> found;
      if (const Json* lim = Find(c, {"resources", "limits"});
          lim && lim->IsObject()) {
        for (auto it = lim->MemberBegin(); it != lim->MemberEnd(); ++it) {
          const std::string name = it->name.GetString();
          if (name != "cpu" && name != "memory") continue;
          auto q = QuantityValue(it->value);
          if (q && *q > 0) {
            found.insert(name);
            limits[name] += *q;
          }
        }
      }
      if (found.size() != 2) guaranteed = false;
    }
  }
  if (requests.empty() && limits.empty()) return "BestEffort";
  if (guaranteed) {
    for (const auto& [name, req] : requests) {
      auto it = limits.find(name);
      if (it == limits.end() || it->second != req) guaranteed = false;
    }
  }
  if (guaranteed && requests.size() == limits.size()) return "Guaranteed";
  return "Burstable";
}

}  // namespace berth::core
