#include "cron_job_kind.h"

#include "age.h"
#include "cron_schedule.h"
#include "pod_template.h"
#include "printing.h"
#include "validation.h"
#include "workload_schemas.h"

namespace berth::workloads {

using core::AppendCell;
using core::Str;

namespace {

// A Job's name is the CronJob's plus "-" and up to 11 digits, and must stay
// a valid label value (63 characters).
constexpr size_t kMaxCronJobNameLength = 52;

}  // namespace

CronJobKind::CronJobKind() {
  info_.group = "batch";
  info_.version = "v1";
  info_.kind = "CronJob";
  info_.plural = "cronjobs";
  info_.singular = "cronjob";
  info_.short_names = {"cj"};
  info_.categories = {"all"};
  info_.status_subresource = true;
  info_.schema_name = "io.k8s.api.batch.v1.CronJob";
  schemas_ = CronJobSchemasJson();
}

void CronJobKind::Default(Json& obj, JsonAlloc& a) const {
  if (!obj.IsObject()) return;
  Json& spec = EnsureObject(obj, "spec", a);
  SetDefaultString(spec, "concurrencyPolicy", "Allow", a);
  SetDefault(spec, "suspend", Json(false), a);
  SetDefault(spec, "successfulJobsHistoryLimit", Json(3), a);
  SetDefault(spec, "failedJobsHistoryLimit", Json(1), a);
  DefaultTemplate(obj, {"spec", "jobTemplate", "spec", "template"}, a);
}

std::vector<FieldCause> CronJobKind::Validate(const Json& obj,
                                              const Json* old) const {
  std::vector<FieldCause> causes;
  const std::string name = GetString(obj, {"metadata", "name"});
  if (name.size() > kMaxCronJobNameLength) {
    causes.push_back(field::Invalid("metadata.name", name,
                                    "must be no more than 52 characters"));
  }
  const Json* schedule = Find(obj, {"spec", "schedule"});
  const std::string tz = GetString(obj, {"spec", "timeZone"});
  if (!schedule || Str(schedule).empty()) {
    causes.push_back(field::Required("spec.schedule"));
  } else {
    const std::string text = Str(schedule);
    if (text.find("TZ=") != std::string::npos) {
      causes.push_back(field::Invalid(
          "spec.schedule", text,
          "cannot use TZ or CRON_TZ in schedule, use timeZone field "
          "instead"));
    } else {
      auto parsed = CronSchedule::Parse(text);
      if (!parsed.ok() && parsed.status().code() == Status::Code::kBadRequest) {
        causes.push_back(
            field::Invalid("spec.schedule", text, parsed.status().message()));
      }
    }
  }
  if (!tz.empty()) {
    auto parsed = CronSchedule::Parse("* * * * *", tz);
    if (!parsed.ok()) {
      causes.push_back(
          field::Invalid("spec.timeZone", tz, "unknown time zone " + tz));
    }
  }
  const std::string policy =
      GetString(obj, {"spec", "concurrencyPolicy"}, "Allow");
  if (policy != "Allow" && policy != "Forbid" && policy != "Replace") {
    causes.push_back(field::NotSupported("spec.concurrencyPolicy", policy,
                                         {"Allow", "Forbid", "Replace"}));
  }
  for (const char* f : {"startingDeadlineSeconds", "successfulJobsHistoryLimit",
                        "failedJobsHistoryLimit"}) {
    const Json* v = Find(obj, {"spec", f});
    if (v && v->IsInt64() && v->GetInt64() < 0) {
      causes.push_back(field::InvalidNumber(std::string("spec.") + f,
                                            v->GetInt64(),
                                            "must be greater than or equal "
                                            "to 0"));
    }
  }
  ValidateSelectorAndTemplate(obj, old, "spec.jobTemplate.spec", "job",
                              {"OnFailure", "Never"}, false, causes);
  return causes;
}

std::vector<PrinterColumn> CronJobKind::Columns() const {
  return {
      core::NameColumn(),
      core::StringColumn("Schedule",
                         "The schedule in Cron format, see "
                         "https://en.wikipedia.org/wiki/Cron."),
      core::StringColumn("Timezone",
                         "The time zone name for the given schedule, see "
                         "https://en.wikipedia.org/wiki/List_of_tz_database_"
                         "time_zones."),
      core::StringColumn("Suspend",
                         "This flag tells the controller to suspend "
                         "subsequent executions, it does not apply to already "
                         "started executions.  Defaults to false."),
      PrinterColumn{"Active", "integer", "",
                    "A list of pointers to currently running jobs.", 0},
      core::StringColumn("Last Schedule",
                         "Information when was the last time the job was "
                         "successfully scheduled."),
      core::AgeColumn(),
      core::StringColumn("Containers",
                         "Names of each container in the template.", 1),
      core::StringColumn("Images",
                         "Images referenced by each container in the "
                         "template.",
                         1),
      core::StringColumn("Selector",
                         "A label query over pods that should match the pod "
                         "count.",
                         1),
  };
}

void CronJobKind::Cells(const Json& obj,
                        std::chrono::system_clock::time_point now, Json& cells,
                        JsonAlloc& a) const {
  AppendCell(cells, GetString(obj, {"metadata", "name"}), a);
  AppendCell(cells, GetString(obj, {"spec", "schedule"}), a);
  AppendCell(cells, GetString(obj, {"spec", "timeZone"}, "<none>"), a);
  const Json* suspend = Find(obj, {"spec", "suspend"});
  AppendCell(cells,
             !suspend || !suspend->IsBool()
                 ? "<unset>"
                 : (suspend->GetBool() ? "True" : "False"),
             a);
  const Json* active = Find(obj, {"status", "active"});
  AppendCell(
      cells,
      static_cast<int64_t>(active && active->IsArray() ? active->Size() : 0),
      a);
  const Json* last = Find(obj, {"status", "lastScheduleTime"});
  AppendCell(cells, last ? core::AgeSince(last, now) : "<none>", a);
  AppendCell(cells,
             core::AgeSince(Find(obj, {"metadata", "creationTimestamp"}), now),
             a);
  const Json* pod_spec =
      Find(obj, {"spec", "jobTemplate", "spec", "template", "spec"});
  AppendCell(cells, ContainerNames(pod_spec), a);
  AppendCell(cells, ContainerImages(pod_spec), a);
  AppendCell(
      cells,
      SelectorCell(Find(obj, {"spec", "jobTemplate", "spec", "selector"})), a);
}

std::optional<std::string> CronJobKind::MergeKey(
    const std::string& path) const {
  return TemplateMergeKey(path, "spec.jobTemplate.spec.template");
}

}  // namespace berth::workloads
