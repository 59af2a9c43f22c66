#include "job_kind.h"

#include "age.h"
#include "job_labels.h"
#include "pod_template.h"
#include "printing.h"
#include "validation.h"
#include "workload_schemas.h"

namespace berth::workloads {

using core::AppendCell;
using core::Str;

namespace {

bool HasCondition(const Json& job, const char* type) {
  const Json* conds = Find(job, {"status", "conditions"});
  if (!conds || !conds->IsArray()) return false;
  for (const auto& c : conds->GetArray()) {
    if (Str(Member(c, "type")) == type && Str(Member(c, "status")) == "True") {
      return true;
    }
  }
  return false;
}

bool BoolAt(const Json& obj, std::initializer_list<std::string_view> path) {
  const Json* v = Find(obj, path);
  return v && v->IsBool() && v->GetBool();
}

}  // namespace

JobKind::JobKind() {
  info_.group = "batch";
  info_.version = "v1";
  info_.kind = "Job";
  info_.plural = "jobs";
  info_.singular = "job";
  info_.categories = {"all"};
  info_.status_subresource = true;
  info_.schema_name = "io.k8s.api.batch.v1.Job";
  schemas_ = JobSchemasJson();
}

void JobKind::Default(Json& obj, JsonAlloc& a) const {
  if (!obj.IsObject()) return;
  Json& spec = EnsureObject(obj, "spec", a);
  if (!Member(spec, "completions") && !Member(spec, "parallelism")) {
    SetMember(spec, "completions", Json(1), a);
  }
  SetDefault(spec, "parallelism", Json(1), a);
  SetDefault(spec, "backoffLimit", Json(6), a);
  SetDefaultString(spec, "completionMode", "NonIndexed", a);
  SetDefault(spec, "suspend", Json(false), a);
  SetDefaultString(spec, "podReplacementPolicy", "TerminatingOrFailed", a);
  SetDefault(spec, "manualSelector", Json(false), a);
  DefaultTemplate(obj, {"spec", "template"}, a);
  // The generated selector: the apiserver's job strategy keys it on the
  // job's uid so two jobs of the same name never share pods.
  const std::string uid = GetString(obj, {"metadata", "uid"});
  if (BoolAt(obj, {"spec", "manualSelector"}) || uid.empty()) return;
  const std::string name = GetString(obj, {"metadata", "name"});
  if (!Member(spec, "selector")) {
    Json selector(rapidjson::kObjectType);
    Json& match = EnsureObject(selector, "matchLabels", a);
    SetString(match, kJobControllerUidLabel, uid, a);
    SetMember(spec, "selector", std::move(selector), a);
  }
  Json& tmpl = EnsureObject(spec, "template", a);
  Json& labels = EnsureObject(EnsureObject(tmpl, "metadata", a), "labels", a);
  SetDefaultString(labels, kJobControllerUidLabel, uid, a);
  SetDefaultString(labels, kJobNameLabel, name, a);
  SetDefaultString(labels, kLegacyControllerUidLabel, uid, a);
  SetDefaultString(labels, kLegacyJobNameLabel, name, a);
}

std::vector<FieldCause> JobKind::Validate(const Json& obj,
                                          const Json* old) const {
  std::vector<FieldCause> causes;
  for (const char* f : {"parallelism", "completions", "backoffLimit"}) {
    const Json* v = Find(obj, {"spec", f});
    if (v && v->IsInt64() && v->GetInt64() < 0) {
      causes.push_back(field::InvalidNumber(std::string("spec.") + f,
                                            v->GetInt64(),
                                            "must be greater than or equal "
                                            "to 0"));
    }
  }
  for (const char* f : {"activeDeadlineSeconds"}) {
    const Json* v = Find(obj, {"spec", f});
    if (v && v->IsInt64() && v->GetInt64() <= 0) {
      causes.push_back(field::InvalidNumber(
          std::string("spec.") + f, v->GetInt64(), "must be greater than 0"));
    }
  }
  const Json* ttl = Find(obj, {"spec", "ttlSecondsAfterFinished"});
  if (ttl && ttl->IsInt64() && ttl->GetInt64() < 0) {
    causes.push_back(field::InvalidNumber("spec.ttlSecondsAfterFinished",
                                          ttl->GetInt64(),
                                          "must be greater than or equal to "
                                          "0"));
  }
  const std::string mode =
      GetString(obj, {"spec", "completionMode"}, "NonIndexed");
  if (mode != "NonIndexed" && mode != "Indexed") {
    causes.push_back(field::NotSupported("spec.completionMode", mode,
                                         {"NonIndexed", "Indexed"}));
  }
  if (mode == "Indexed" && !Find(obj, {"spec", "completions"})) {
    causes.push_back(
        field::Required("spec.completions", "when completion mode is Indexed"));
  }
  ValidateSelectorAndTemplate(obj, old, "spec", "job", {"OnFailure", "Never"},
                              true, causes);
  if (old) {
    const Json* n = Find(obj, {"spec", "template"});
    const Json* o = Find(*old, {"spec", "template"});
    if (n && o && *n != *o) {
      causes.push_back(
          {"FieldValueInvalid", "spec.template",
           "Invalid value: " + ToJson(*n) + ": field is immutable"});
    }
    const Json* nc = Find(obj, {"spec", "completions"});
    const Json* oc = Find(*old, {"spec", "completions"});
    if ((nc == nullptr) != (oc == nullptr) || (nc && oc && *nc != *oc)) {
      causes.push_back({"FieldValueInvalid", "spec.completions",
                        "Invalid value: " + (nc ? ToJson(*nc) : "null") +
                            ": field is immutable"});
    }
  }
  return causes;
}

std::vector<PrinterColumn> JobKind::Columns() const {
  return {
      core::NameColumn(),
      core::StringColumn("Status", "Status of the job."),
      core::StringColumn(
          "Completions",
          "The completed job pods and the desired pods; "
          "for parallelism-only jobs, how many ran out of parallelism."),
      core::StringColumn("Duration", "Time required to complete the job."),
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

std::string JobStatusText(const Json& job) {
  if (HasCondition(job, "Complete")) return "Complete";
  if (HasCondition(job, "Failed")) return "Failed";
  if (Find(job, {"metadata", "deletionTimestamp"})) return "Terminating";
  if (HasCondition(job, "Suspended")) return "Suspended";
  if (HasCondition(job, "FailureTarget")) return "FailureTarget";
  if (HasCondition(job, "SuccessCriteriaMet")) return "SuccessCriteriaMet";
  return "Running";
}

void JobKind::Cells(const Json& obj, std::chrono::system_clock::time_point now,
                    Json& cells, JsonAlloc& a) const {
  AppendCell(cells, GetString(obj, {"metadata", "name"}), a);
  AppendCell(cells, JobStatusText(obj), a);
  const int64_t succeeded = GetInt(obj, {"status", "succeeded"});
  std::string completions;
  if (Find(obj, {"spec", "completions"})) {
    completions = std::to_string(succeeded) + "/" +
                  std::to_string(GetInt(obj, {"spec", "completions"}));
  } else {
    const int64_t parallelism = GetInt(obj, {"spec", "parallelism"});
    completions = std::to_string(succeeded) + "/1";
    if (parallelism > 1) completions += " of " + std::to_string(parallelism);
  }
  AppendCell(cells, completions, a);
  std::string duration;
  auto start = core::ParseTimestamp(GetString(obj, {"status", "startTime"}));
  auto end = core::ParseTimestamp(GetString(obj, {"status", "completionTime"}));
  if (start) duration = core::HumanDuration((end ? *end : now) - *start);
  AppendCell(cells, duration, a);
  AppendCell(cells,
             core::AgeSince(Find(obj, {"metadata", "creationTimestamp"}), now),
             a);
  const Json* pod_spec = Find(obj, {"spec", "template", "spec"});
  AppendCell(cells, ContainerNames(pod_spec), a);
  AppendCell(cells, ContainerImages(pod_spec), a);
  AppendCell(cells, SelectorCell(Find(obj, {"spec", "selector"})), a);
}

std::optional<std::string> JobKind::MergeKey(const std::string& path) const {
  return TemplateMergeKey(path, "spec.template");
}

}  // namespace berth::workloads
