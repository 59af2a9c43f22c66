#include "job_controller.h"

#include <algorithm>
#include <set>

#include "age.h"
#include "controller_io.h"
#include "label_selector.h"
#include "owned_objects.h"
#include "pod_state.h"
#include "validation.h"

namespace berth::workloads {
namespace {

using core::Str;

constexpr char kCompletionIndexAnnotation[] =
    "batch.kubernetes.io/job-completion-index";

bool HasTrueCondition(const Json& job, const char* type) {
  const Json* conds = Find(job, {"status", "conditions"});
  if (!conds || !conds->IsArray()) return false;
  for (const auto& c : conds->GetArray()) {
    if (Str(Member(c, "type")) == type && Str(Member(c, "status")) == "True") {
      return true;
    }
  }
  return false;
}

void AddCondition(Json& conditions, const char* type, const char* reason,
                  const char* message, const std::string& now, JsonAlloc& a) {
  for (auto& c : conditions.GetArray()) {
    if (Str(Member(c, "type")) == type) return;
  }
  Json c(rapidjson::kObjectType);
  SetString(c, "lastProbeTime", now, a);
  SetString(c, "lastTransitionTime", now, a);
  SetString(c, "message", message, a);
  SetString(c, "reason", reason, a);
  SetString(c, "status", "True", a);
  SetString(c, "type", type, a);
  conditions.PushBack(std::move(c), a);
}

// Sets the Suspended condition to `status`, adding it when absent; a
// change of status moves lastTransitionTime.
void SetSuspended(Json& conditions, bool suspended, const std::string& now,
                  JsonAlloc& a) {
  const char* status = suspended ? "True" : "False";
  for (auto& c : conditions.GetArray()) {
    if (Str(Member(c, "type")) != "Suspended") continue;
    if (Str(Member(c, "status")) == status) return;
    SetString(c, "status", status, a);
    SetString(c, "reason", suspended ? "JobSuspended" : "JobResumed", a);
    SetString(c, "message", suspended ? "Job suspended" : "Job resumed", a);
    SetString(c, "lastProbeTime", now, a);
    SetString(c, "lastTransitionTime", now, a);
    return;
  }
  if (suspended) {
    AddCondition(conditions, "Suspended", "JobSuspended", "Job suspended", now,
                 a);
  }
}

int64_t Restarts(const Json& pod) {
  int64_t n = 0;
  const Json* statuses = Find(pod, {"status", "containerStatuses"});
  if (!statuses || !statuses->IsArray()) return 0;
  for (const auto& s : statuses->GetArray()) n += GetInt(s, {"restartCount"});
  return n;
}

int64_t IndexOf(const Json& pod) {
  const std::string v = GetString(
      pod, {"metadata", "annotations", kCompletionIndexAnnotation}, "-1");
  try {
    return std::stoll(v);
  } catch (...) {
    return -1;
  }
}

JsonDoc NewJobPod(const Json& job, int64_t index) {
  JsonDoc pod(rapidjson::kObjectType);
  auto& a = pod.GetAllocator();
  const std::string name = GetString(job, {"metadata", "name"});
  SetString(pod, "apiVersion", "v1", a);
  SetString(pod, "kind", "Pod", a);
  Json& meta = EnsureObject(pod, "metadata", a);
  if (const Json* tmeta = Find(job, {"spec", "template", "metadata"})) {
    for (const char* f : {"labels", "annotations"}) {
      if (const Json* v = Member(*tmeta, f)) SetMember(meta, f, Json(*v, a), a);
    }
  }
  SetString(meta, "generateName",
            index >= 0 ? name + "-" + std::to_string(index) + "-" : name + "-",
            a);
  SetControllerRef(pod, job, a);
  const Json* tspec = Find(job, {"spec", "template", "spec"});
  Json spec(tspec ? Json(*tspec, a) : Json(rapidjson::kObjectType));
  if (index >= 0) {
    const std::string idx = std::to_string(index);
    SetString(EnsureObject(meta, "annotations", a), kCompletionIndexAnnotation,
              idx, a);
    SetString(EnsureObject(meta, "labels", a),
              "batch.kubernetes.io/job-completion-index", idx, a);
    SetString(spec, "hostname", name + "-" + idx, a);
  }
  SetMember(pod, "spec", std::move(spec), a);
  return pod;
}

}  // namespace

JobController::JobController(Host& host, Clock clock)
    : host_(host),
      client_(host.client()),
      clock_(clock ? std::move(clock)
                   : [] { return std::chrono::system_clock::now(); }) {}

void JobController::Event(const Json& obj, const char* type, const char* reason,
                          const std::string& message) {
  host_.RecordEvent("job-controller", ReferenceTo(obj), type, reason, message);
}

ResourceRef JobController::Primary() const { return kJobs; }
std::vector<ResourceRef> JobController::Owns() const { return {kPods}; }

StatusOr<ReconcileResult> JobController::Reconcile(
    const ReconcileRequest& req) {
  auto got = GetObject(client_, kJobs, req.ns, req.name);
  if (!got.ok()) {
    if (got.status().IsNotFound()) return ReconcileResult{};
    return got.status();
  }
  const JsonDoc& job = *got;
  if (Find(job, {"metadata", "deletionTimestamp"})) return ReconcileResult{};
  const TimePoint now = clock_();
  const std::string now_text = FormatTimestamp(now);

  // A finished job only waits for its time to live.
  const bool complete = HasTrueCondition(job, "Complete");
  const bool failed_job = HasTrueCondition(job, "Failed");
  if (complete || failed_job) {
    const Json* ttl = Find(job, {"spec", "ttlSecondsAfterFinished"});
    if (!ttl || !ttl->IsInt64()) return ReconcileResult{};
    auto finished =
        core::ParseTimestamp(GetString(job, {"status", "completionTime"}));
    if (!finished) {
      // Failed jobs have no completionTime: the condition's time counts.
      const Json* conds = Find(job, {"status", "conditions"});
      if (conds && conds->IsArray()) {
        for (const auto& c : conds->GetArray()) {
          if (Str(Member(c, "type")) == (complete ? "Complete" : "Failed")) {
            finished =
                core::ParseTimestamp(Str(Member(c, "lastTransitionTime")));
          }
        }
      }
    }
    if (!finished) finished = now;
    const TimePoint expires = *finished + std::chrono::seconds(ttl->GetInt64());
    if (expires <= now) {
      // Foreground, as the TTL-after-finished controller deletes: the job
      // stays visible until its pods are gone.
      DeleteOptions foreground;
      foreground.propagation_policy = "Foreground";
      Status s = client_.Delete(kJobs, req.ns, req.name, foreground);
      if (!s.ok() && !s.IsNotFound()) return s;
      return ReconcileResult{};
    }
    return ReconcileResult{
        std::chrono::duration_cast<std::chrono::milliseconds>(expires - now) +
        std::chrono::milliseconds(10)};
  }

  const std::string uid = GetString(job, {"metadata", "uid"});
  auto selector_text = SelectorString(Find(job, {"spec", "selector"}));
  if (!selector_text.ok() || selector_text->empty()) return ReconcileResult{};
  auto pods = ListObjects(client_, kPods, req.ns, *selector_text);
  if (!pods.ok()) return pods.status();

  const bool on_failure = GetString(job, {"spec", "template", "spec",
                                          "restartPolicy"}) == "OnFailure";
  const bool indexed = GetString(job, {"spec", "completionMode"}) == "Indexed";
  const Json* completions_v = Find(job, {"spec", "completions"});
  const bool has_completions = completions_v && completions_v->IsInt64();
  const int64_t completions = has_completions ? completions_v->GetInt64() : 0;
  const int64_t parallelism = GetInt(job, {"spec", "parallelism"}, 1);
  const int64_t backoff_limit = GetInt(job, {"spec", "backoffLimit"}, 6);
  const Json* suspend_v = Find(job, {"spec", "suspend"});
  const bool suspended =
      suspend_v && suspend_v->IsBool() && suspend_v->GetBool();

  std::vector<const Json*> active;
  int64_t succeeded = 0, failed = 0, ready = 0, restarts = 0;
  std::set<int64_t> done_indexes, active_indexes;
  for (const auto& pod : (*pods)["items"].GetArray()) {
    if (ControllerUid(pod) != uid) continue;
    const std::string phase = GetString(pod, {"status", "phase"});
    if (phase == "Succeeded") {
      ++succeeded;
      if (indexed) done_indexes.insert(IndexOf(pod));
    } else if (phase == "Failed") {
      ++failed;
    } else if (!Find(pod, {"metadata", "deletionTimestamp"})) {
      active.push_back(&pod);
      if (IsPodReady(pod)) ++ready;
      if (on_failure) restarts += Restarts(pod);
      if (indexed) active_indexes.insert(IndexOf(pod));
    }
  }
  if (indexed) succeeded = static_cast<int64_t>(done_indexes.size());

  JsonDoc status(rapidjson::kObjectType);
  auto& a = status.GetAllocator();
  if (const Json* old = Member(job, "status")) status.CopyFrom(*old, a);
  if (!status.IsObject()) status.SetObject();
  Json conditions(rapidjson::kArrayType);
  if (const Json* c = Member(status, "conditions"); c && c->IsArray()) {
    conditions.CopyFrom(*c, a);
  }
  SetSuspended(conditions, suspended, now_text, a);
  std::string start = GetString(status, {"startTime"});
  if (start.empty() && !suspended) {
    start = now_text;
    SetString(status, "startTime", start, a);
  }

  // Finished? Success first, as Kubernetes checks it.
  const bool succeeded_all = has_completions
                                 ? succeeded >= completions
                                 : (succeeded > 0 && active.empty());
  const char* fail_reason = nullptr;
  const char* fail_message = nullptr;
  if (!succeeded_all) {
    if (failed + restarts > backoff_limit) {
      fail_reason = "BackoffLimitExceeded";
      fail_message = "Job has reached the specified backoff limit";
    } else if (const Json* deadline =
                   Find(job, {"spec", "activeDeadlineSeconds"});
               deadline && deadline->IsInt64() && !start.empty() &&
               !suspended) {
      auto started = core::ParseTimestamp(start);
      if (started &&
          *started + std::chrono::seconds(deadline->GetInt64()) <= now) {
        fail_reason = "DeadlineExceeded";
        fail_message = "Job was active longer than specified deadline";
      }
    }
  }

  std::vector<const Json*> to_delete;
  int64_t to_create = 0;
  std::vector<int64_t> create_indexes;
  std::optional<std::chrono::milliseconds> requeue;
  if (succeeded_all) {
    to_delete = active;
    AddCondition(conditions, "SuccessCriteriaMet", "CompletionsReached",
                 "Reached expected number of succeeded pods", now_text, a);
    AddCondition(conditions, "Complete", "CompletionsReached",
                 "Reached expected number of succeeded pods", now_text, a);
    SetString(status, "completionTime", now_text, a);
  } else if (fail_reason) {
    to_delete = active;
    AddCondition(conditions, "FailureTarget", fail_reason, fail_message,
                 now_text, a);
    AddCondition(conditions, "Failed", fail_reason, fail_message, now_text, a);
  } else if (suspended) {
    to_delete = active;
    // A suspended job's active deadline starts again when it resumes.
    status.RemoveMember("startTime");
  } else {
    int64_t want = parallelism;
    if (has_completions) want = std::min(want, completions - succeeded);
    if (!has_completions && succeeded > 0) want = 0;
    want = std::max<int64_t>(want, 0);
    const int64_t have = static_cast<int64_t>(active.size());
    if (have < want) {
      to_create = want - have;
      if (indexed) {
        for (int64_t i = 0; i < completions && to_create > 0; ++i) {
          if (done_indexes.count(i) || active_indexes.count(i)) continue;
          create_indexes.push_back(i);
          --to_create;
        }
        to_create = 0;
      }
    } else if (have > want) {
      // Newest first, so the pods that ran longest keep running.
      std::vector<const Json*> sorted = active;
      std::sort(sorted.begin(), sorted.end(), [](const Json* x, const Json* y) {
        return GetString(*x, {"metadata", "creationTimestamp"}) >
               GetString(*y, {"metadata", "creationTimestamp"});
      });
      sorted.resize(static_cast<size_t>(have - want));
      to_delete = sorted;
    }
    if (const Json* deadline = Find(job, {"spec", "activeDeadlineSeconds"});
        deadline && deadline->IsInt64()) {
      if (auto started = core::ParseTimestamp(start)) {
        requeue =
            std::chrono::duration_cast<std::chrono::milliseconds>(
                *started + std::chrono::seconds(deadline->GetInt64()) - now) +
            std::chrono::milliseconds(10);
      }
    }
  }

  for (const Json* pod : to_delete) {
    const std::string name = GetString(*pod, {"metadata", "name"});
    Status s = client_.Delete(kPods, req.ns, name);
    if (!s.ok() && !s.IsNotFound()) return s;
    if (s.ok())
      Event(job, "Normal", "SuccessfulDelete", "Deleted pod: " + name);
  }
  // Non-indexed pods have no index (-1).
  create_indexes.insert(create_indexes.begin(), static_cast<size_t>(to_create),
                        -1);
  int64_t created = 0;
  for (int64_t index : create_indexes) {
    JsonDoc pod = NewJobPod(job, index);
    auto r = client_.Create(kPods, req.ns, ToJson(pod));
    if (!r.ok()) return r.status();
    ++created;
    if (auto doc = ParseJson(*r); doc.ok()) {
      Event(job, "Normal", "SuccessfulCreate",
            "Created pod: " + GetString(*doc, {"metadata", "name"}));
    }
  }
  // Reaching here the job was not finished before this pass.
  if (succeeded_all) Event(job, "Normal", "Completed", "Job completed");
  if (fail_reason) Event(job, "Warning", fail_reason, fail_message);

  const int64_t active_now =
      static_cast<int64_t>(active.size() - to_delete.size()) + created;
  auto set_count = [&](const char* f, int64_t v) {
    if (v > 0) {
      SetMember(status, f, Json(v), a);
    } else {
      status.RemoveMember(f);
    }
  };
  set_count("active", active_now);
  set_count("succeeded", succeeded);
  set_count("failed", failed);
  SetMember(status, "ready", Json(succeeded_all || fail_reason ? 0 : ready), a);
  SetMember(status, "terminating", Json(0), a);
  if (indexed) {
    std::string text;
    for (int64_t i : done_indexes) {
      if (i < 0) continue;
      text += (text.empty() ? "" : ",") + std::to_string(i);
    }
    if (!text.empty()) SetString(status, "completedIndexes", text, a);
  }
  if (!conditions.Empty()) {
    SetMember(status, "conditions", std::move(conditions), a);
  }
  if (!Member(status, "uncountedTerminatedPods")) {
    SetMember(status, "uncountedTerminatedPods", Json(rapidjson::kObjectType),
              a);
  }
  if (Status s = WriteStatus(client_, kJobs, req.ns, req.name,
                             Find(job, {"status"}), status);
      !s.ok()) {
    return s;
  }
  if ((succeeded_all || fail_reason) &&
      Find(job, {"spec", "ttlSecondsAfterFinished"})) {
    // Come back to delete it when its time is up.
    return ReconcileResult{std::chrono::milliseconds(10)};
  }
  if (requeue && requeue->count() > 0) return ReconcileResult{*requeue};
  return ReconcileResult{};
}

}  // namespace berth::workloads
