#include "cron_job_controller.h"

#include <algorithm>
#include <optional>
#include <set>

#include "age.h"
#include "controller_io.h"
#include "cron_schedule.h"
#include "owned_objects.h"
#include "validation.h"

namespace berth::workloads {
namespace {

using core::Str;
using TimePoint = std::chrono::system_clock::time_point;

constexpr char kScheduledTimestampAnnotation[] =
    "batch.kubernetes.io/cronjob-scheduled-timestamp";

// "Complete" or "Failed" when the job has that condition True, else "".
std::string Finished(const Json& job) {
  const Json* conds = Find(job, {"status", "conditions"});
  if (!conds || !conds->IsArray()) return "";
  for (const auto& c : conds->GetArray()) {
    const std::string type = Str(Member(c, "type"));
    if ((type == "Complete" || type == "Failed") &&
        Str(Member(c, "status")) == "True") {
      return type;
    }
  }
  return "";
}

JsonDoc NewJob(const Json& cj, TimePoint scheduled) {
  JsonDoc job(rapidjson::kObjectType);
  auto& a = job.GetAllocator();
  SetString(job, "apiVersion", "batch/v1", a);
  SetString(job, "kind", "Job", a);
  Json& meta = EnsureObject(job, "metadata", a);
  if (const Json* tmeta = Find(cj, {"spec", "jobTemplate", "metadata"})) {
    for (const char* f : {"labels", "annotations"}) {
      if (const Json* v = Member(*tmeta, f)) SetMember(meta, f, Json(*v, a), a);
    }
  }
  SetString(meta, "name",
            ScheduledJobName(GetString(cj, {"metadata", "name"}), scheduled),
            a);
  SetString(EnsureObject(meta, "annotations", a), kScheduledTimestampAnnotation,
            FormatTimestamp(scheduled), a);
  SetControllerRef(job, cj, a);
  if (const Json* spec = Find(cj, {"spec", "jobTemplate", "spec"})) {
    SetMember(job, "spec", Json(*spec, a), a);
  }
  return job;
}

Json ObjectRef(const Json& job, JsonAlloc& a) {
  Json ref(rapidjson::kObjectType);
  SetString(ref, "apiVersion", "batch/v1", a);
  SetString(ref, "kind", "Job", a);
  SetString(ref, "name", GetString(job, {"metadata", "name"}), a);
  SetString(ref, "namespace", GetString(job, {"metadata", "namespace"}), a);
  SetString(ref, "resourceVersion",
            GetString(job, {"metadata", "resourceVersion"}), a);
  SetString(ref, "uid", GetString(job, {"metadata", "uid"}), a);
  return ref;
}

std::chrono::milliseconds Until(TimePoint t, TimePoint now) {
  auto d = std::chrono::duration_cast<std::chrono::milliseconds>(t - now);
  // A little past the minute, so the next reconcile finds it due.
  return std::max(d, std::chrono::milliseconds(0)) +
         std::chrono::milliseconds(100);
}

}  // namespace

std::string ScheduledJobName(const std::string& cron_job, TimePoint t) {
  const auto minutes =
      std::chrono::duration_cast<std::chrono::minutes>(t.time_since_epoch())
          .count();
  return cron_job + "-" + std::to_string(minutes);
}

CronJobController::CronJobController(Host& host, Clock clock)
    : host_(host),
      client_(host.client()),
      clock_(clock ? std::move(clock)
                   : [] { return std::chrono::system_clock::now(); }) {}

void CronJobController::Event(const Json& obj, const char* type,
                              const char* reason, const std::string& message) {
  host_.RecordEvent("cronjob-controller", ReferenceTo(obj), type, reason,
                    message);
}

ResourceRef CronJobController::Primary() const { return kCronJobs; }
std::vector<ResourceRef> CronJobController::Owns() const { return {kJobs}; }

StatusOr<ReconcileResult> CronJobController::Reconcile(
    const ReconcileRequest& req) {
  auto got = GetObject(client_, kCronJobs, req.ns, req.name);
  if (!got.ok()) {
    if (got.status().IsNotFound()) return ReconcileResult{};
    return got.status();
  }
  const JsonDoc& cj = *got;
  if (Find(cj, {"metadata", "deletionTimestamp"})) return ReconcileResult{};
  const TimePoint now = clock_();
  const std::string uid = GetString(cj, {"metadata", "uid"});

  auto jobs = ListObjects(client_, kJobs, req.ns);
  if (!jobs.ok()) return jobs.status();
  // Only jobs this controller started count as active (status.active), as
  // in Kubernetes: a job made by hand from the cron job
  // (`kubectl create job --from=cronjob/...`) is owned but not tracked.
  std::set<std::string> was_active;
  if (const Json* was = Find(cj, {"status", "active"}); was && was->IsArray()) {
    for (const auto& ref : was->GetArray()) {
      was_active.insert(Str(Member(ref, "uid")));
    }
  }
  std::vector<const Json*> active, succeeded, failed;
  std::optional<TimePoint> last_successful;
  for (const auto& job : (*jobs)["items"].GetArray()) {
    if (ControllerUid(job) != uid) continue;
    const bool tracked =
        was_active.count(GetString(job, {"metadata", "uid"})) > 0;
    const std::string finished = Finished(job);
    if (finished.empty()) {
      if (tracked && !Find(job, {"metadata", "deletionTimestamp"})) {
        active.push_back(&job);
      }
    } else if (finished == "Complete") {
      succeeded.push_back(&job);
      if (auto t = core::ParseTimestamp(
              GetString(job, {"status", "completionTime"}));
          t && (!last_successful || *t > *last_successful)) {
        last_successful = t;
      }
    } else {
      failed.push_back(&job);
    }
  }

  // Jobs the last status listed as active that have finished since.
  for (const auto* list : {&succeeded, &failed}) {
    for (const Json* job : *list) {
      if (!was_active.count(GetString(*job, {"metadata", "uid"}))) continue;
      Event(cj, "Normal", "SawCompletedJob",
            "Saw completed job: " + GetString(*job, {"metadata", "name"}) +
                ", condition: " + Finished(*job));
    }
  }

  // History limits: the oldest finished jobs go first.
  auto prune = [&](std::vector<const Json*>& list,
                   const char* limit_field) -> Status {
    const int64_t limit =
        GetInt(cj, {"spec", limit_field},
               std::string(limit_field).find("failed") == 0 ? 1 : 3);
    if (static_cast<int64_t>(list.size()) <= limit) return {};
    std::sort(list.begin(), list.end(), [](const Json* x, const Json* y) {
      return GetString(*x, {"metadata", "creationTimestamp"}) <
             GetString(*y, {"metadata", "creationTimestamp"});
    });
    const size_t extra = list.size() - static_cast<size_t>(limit);
    for (size_t i = 0; i < extra; ++i) {
      const std::string name = GetString(*list[i], {"metadata", "name"});
      Status s = client_.Delete(kJobs, req.ns, name);
      if (!s.ok() && !s.IsNotFound()) return s;
      if (s.ok())
        Event(cj, "Normal", "SuccessfulDelete", "Deleted job " + name);
    }
    return {};
  };
  if (Status s = prune(succeeded, "successfulJobsHistoryLimit"); !s.ok()) {
    return s;
  }
  if (Status s = prune(failed, "failedJobsHistoryLimit"); !s.ok()) return s;

  JsonDoc status(rapidjson::kObjectType);
  auto& a = status.GetAllocator();
  if (const Json* old = Member(cj, "status"); old && old->IsObject()) {
    status.CopyFrom(*old, a);
  }
  if (last_successful) {
    SetString(status, "lastSuccessfulTime", FormatTimestamp(*last_successful),
              a);
  }
  auto write_status = [&]() -> Status {
    Json refs(rapidjson::kArrayType);
    for (const Json* job : active) refs.PushBack(ObjectRef(*job, a), a);
    if (refs.Empty()) {
      status.RemoveMember("active");
    } else {
      SetMember(status, "active", std::move(refs), a);
    }
    return WriteStatus(client_, kCronJobs, req.ns, req.name,
                       Find(cj, {"status"}), status);
  };

  auto schedule = CronSchedule::Parse(GetString(cj, {"spec", "schedule"}),
                                      GetString(cj, {"spec", "timeZone"}));
  const Json* suspend = Find(cj, {"spec", "suspend"});
  if (!schedule.ok() || (suspend && suspend->IsBool() && suspend->GetBool())) {
    if (Status s = write_status(); !s.ok()) return s;
    return ReconcileResult{};
  }

  // The most recent schedule time not yet run.
  std::optional<TimePoint> earliest =
      core::ParseTimestamp(GetString(cj, {"status", "lastScheduleTime"}));
  if (!earliest) {
    earliest =
        core::ParseTimestamp(GetString(cj, {"metadata", "creationTimestamp"}));
  }
  if (!earliest) earliest = now;
  const Json* deadline = Find(cj, {"spec", "startingDeadlineSeconds"});
  if (deadline && deadline->IsInt64()) {
    *earliest =
        std::max(*earliest, now - std::chrono::seconds(deadline->GetInt64()));
  }
  std::optional<TimePoint> due;
  for (auto t = schedule->Next(*earliest); t && *t <= now;
       t = schedule->Next(*t)) {
    due = t;
  }
  auto next = schedule->Next(now);
  const ReconcileResult again{next ? Until(*next, now)
                                   : std::chrono::milliseconds(0)};
  if (!due) {
    if (Status s = write_status(); !s.ok()) return s;
    return again;
  }

  const std::string policy = GetString(cj, {"spec", "concurrencyPolicy"});
  if (policy == "Forbid" && !active.empty()) {
    Event(cj, "Normal", "JobAlreadyActive",
          "Not starting job because prior execution is running and "
          "concurrency policy is Forbid");
    // Skipped, not missed: the run happens when the active job finishes,
    // if still within the starting deadline.
    if (Status s = write_status(); !s.ok()) return s;
    return again;
  }
  if (policy == "Replace") {
    for (const Json* job : active) {
      const std::string name = GetString(*job, {"metadata", "name"});
      Status s = client_.Delete(kJobs, req.ns, name);
      if (!s.ok() && !s.IsNotFound()) return s;
      if (s.ok())
        Event(cj, "Normal", "SuccessfulDelete", "Deleted job " + name);
    }
    active.clear();
  }
  JsonDoc job = NewJob(cj, *due);
  auto created = client_.Create(kJobs, req.ns, ToJson(job));
  JsonDoc created_job;
  if (created.ok()) {
    auto parsed = ParseJson(*created);
    if (parsed.ok()) {
      created_job = std::move(parsed).value();
      active.push_back(&created_job);
      Event(cj, "Normal", "SuccessfulCreate",
            "Created job " + GetString(created_job, {"metadata", "name"}));
    }
  } else if (!created.status().IsAlreadyExists()) {
    return created.status();
  }
  SetString(status, "lastScheduleTime", FormatTimestamp(*due), a);
  if (Status s = write_status(); !s.ok()) return s;
  return again;
}

}  // namespace berth::workloads
