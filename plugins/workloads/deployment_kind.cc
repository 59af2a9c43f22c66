#include "deployment_kind.h"

#include "age.h"
#include "apps_schemas.h"
#include "printing.h"
#include "rolling_update.h"
#include "validation.h"
#include "workload_spec.h"

namespace berth::workloads {
namespace {

using core::Str;

constexpr const char kPercentMessage[] =
    "a valid percent string must be a numeric string followed by an ending "
    "'%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

std::string IntOrStringText(const Json& v) {
  return v.IsString() ? "\"" + Str(&v) + "\"" : ToJson(v);
}

// ValidatePositiveIntOrPercent and IsNotMoreThan100Percent. Returns the
// value scaled against 100 (the percent, or the integer) for the zero check.
int64_t ValidateIntOrPercent(const Json* v, const std::string& path,
                             std::vector<FieldCause>& causes) {
  if (!v) return 0;
  int64_t pct = 0;
  if (v->IsString()) {
    if (!ParsePercent(*v, &pct)) {
      causes.push_back(
          {"FieldValueInvalid", path,
           "Invalid value: " + IntOrStringText(*v) + ": " + kPercentMessage});
      return -1;
    }
    if (pct > 100) {
      causes.push_back({"FieldValueInvalid", path,
                        "Invalid value: " + IntOrStringText(*v) +
                            ": must not be greater than 100%"});
    }
    return pct;
  }
  if (v->IsInt64()) {
    if (v->GetInt64() < 0) {
      causes.push_back(field::InvalidNumber(
          path, v->GetInt64(), "must be greater than or equal to 0"));
    }
    return v->GetInt64();
  }
  causes.push_back({"FieldValueInvalid", path,
                    "Invalid value: " + ToJson(*v) + ": " + kPercentMessage});
  return -1;
}

void ValidateStrategy(const Json& spec, std::vector<FieldCause>& causes) {
  const Json* strategy = Member(spec, "strategy");
  if (!strategy || !strategy->IsObject()) return;
  const std::string type = Str(Member(*strategy, "type"));
  const Json* rolling = Member(*strategy, "rollingUpdate");
  if (type == "Recreate") {
    if (rolling && !rolling->IsNull()) {
      causes.push_back(field::Forbidden(
          "spec.strategy.rollingUpdate",
          "may not be specified when strategy `type` is 'Recreate'"));
    }
  } else if (type == "RollingUpdate") {
    if (!rolling || !rolling->IsObject()) return;
    const Json* surge = Member(*rolling, "maxSurge");
    const Json* unavailable = Member(*rolling, "maxUnavailable");
    const int64_t s = ValidateIntOrPercent(
        surge, "spec.strategy.rollingUpdate.maxSurge", causes);
    const int64_t u = ValidateIntOrPercent(
        unavailable, "spec.strategy.rollingUpdate.maxUnavailable", causes);
    if (s == 0 && u == 0) {
      causes.push_back({"FieldValueInvalid",
                        "spec.strategy.rollingUpdate.maxUnavailable",
                        "Invalid value: " +
                            (unavailable ? IntOrStringText(*unavailable)
                                         : std::string("0")) +
                            ": may not be 0 when `maxSurge` is 0"});
    }
  } else if (type.empty()) {
    causes.push_back(field::Required("spec.strategy.type"));
  } else {
    causes.push_back(field::NotSupported("spec.strategy.type", type,
                                         {"Recreate", "RollingUpdate"}));
  }
}

}  // namespace

DeploymentKind::DeploymentKind() {
  info_.group = "apps";
  info_.version = "v1";
  info_.kind = "Deployment";
  info_.plural = "deployments";
  info_.singular = "deployment";
  info_.short_names = {"deploy"};
  info_.categories = {"all"};
  info_.status_subresource = true;
  info_.scale_subresource = true;
  // apps/v1beta2 (older manifests) has the same fields: no conversion.
  info_.also_served_versions = {"v1beta2"};
  info_.schema_name = "io.k8s.api.apps.v1.Deployment";
  schemas_ = AppsSchemasJson();
}

void DeploymentKind::Default(Json& obj, JsonAlloc& a) const {
  if (!obj.IsObject()) return;
  DefaultReplicatedSpec(obj, a);
  Json& spec = EnsureObject(obj, "spec", a);
  Json& strategy = EnsureObject(spec, "strategy", a);
  SetDefaultString(strategy, "type", "RollingUpdate", a);
  if (Str(Member(strategy, "type")) == "RollingUpdate") {
    Json& rolling = EnsureObject(strategy, "rollingUpdate", a);
    SetDefaultString(rolling, "maxUnavailable", "25%", a);
    SetDefaultString(rolling, "maxSurge", "25%", a);
  }
  SetDefault(spec, "revisionHistoryLimit", Json(10), a);
  SetDefault(spec, "progressDeadlineSeconds", Json(600), a);
}

std::vector<FieldCause> DeploymentKind::Validate(const Json& obj,
                                                 const Json* old) const {
  std::vector<FieldCause> causes;
  ValidateReplicatedSpec(obj, old, causes);
  const Json* spec = Member(obj, "spec");
  if (!spec || !spec->IsObject()) return causes;
  ValidateStrategy(*spec, causes);
  const Json* history = Member(*spec, "revisionHistoryLimit");
  if (history && history->IsInt64() && history->GetInt64() < 0) {
    causes.push_back(
        field::InvalidNumber("spec.revisionHistoryLimit", history->GetInt64(),
                             "must be greater than or equal to 0"));
  }
  const Json* deadline = Member(*spec, "progressDeadlineSeconds");
  if (deadline && deadline->IsInt64()) {
    if (deadline->GetInt64() < 0) {
      causes.push_back(field::InvalidNumber(
          "spec.progressDeadlineSeconds", deadline->GetInt64(),
          "must be greater than or equal to 0"));
    } else if (deadline->GetInt64() <= GetInt(*spec, {"minReadySeconds"})) {
      causes.push_back(field::InvalidNumber(
          "spec.progressDeadlineSeconds", deadline->GetInt64(),
          "must be greater than minReadySeconds"));
    }
  }
  return causes;
}

std::vector<PrinterColumn> DeploymentKind::Columns() const {
  return {
      core::NameColumn(),
      core::StringColumn("Ready", "Number of the pod with ready state"),
      core::StringColumn("Up-to-date",
                         "Total number of non-terminated pods targeted by "
                         "this deployment that have the desired template "
                         "spec."),
      core::StringColumn("Available",
                         "Total number of available pods (ready for at least "
                         "minReadySeconds) targeted by this deployment."),
      core::AgeColumn(),
      core::StringColumn("Containers",
                         "Names of each container in the template.", 1),
      core::StringColumn(
          "Images", "Images referenced by each container in the template.", 1),
      core::StringColumn("Selector",
                         "Label selector for pods. Existing ReplicaSets whose "
                         "pods are selected by this will be the ones affected "
                         "by this deployment.",
                         1),
  };
}

void DeploymentKind::Cells(const Json& obj,
                           std::chrono::system_clock::time_point now,
                           Json& cells, JsonAlloc& a) const {
  core::AppendCell(cells, Str(Find(obj, {"metadata", "name"})), a);
  core::AppendCell(cells,
                   std::to_string(GetInt(obj, {"status", "readyReplicas"})) +
                       "/" + std::to_string(GetInt(obj, {"spec", "replicas"})),
                   a);
  core::AppendCell(cells, GetInt(obj, {"status", "updatedReplicas"}), a);
  core::AppendCell(cells, GetInt(obj, {"status", "availableReplicas"}), a);
  core::AppendCell(
      cells, core::AgeSince(Find(obj, {"metadata", "creationTimestamp"}), now),
      a);
  AppendTemplateCells(obj, cells, a);
}

std::optional<std::string> DeploymentKind::MergeKey(
    const std::string& path) const {
  return WorkloadMergeKey(path);
}

}  // namespace berth::workloads
