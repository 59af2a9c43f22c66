#include "daemon_set_kind.h"

#include "age.h"
#include "pod_template.h"
#include "printing.h"
#include "validation.h"
#include "workload_schemas.h"

namespace berth::workloads {

using core::AppendCell;
using core::Str;

DaemonSetKind::DaemonSetKind() {
  info_.group = "apps";
  info_.version = "v1";
  info_.kind = "DaemonSet";
  info_.plural = "daemonsets";
  info_.singular = "daemonset";
  info_.short_names = {"ds"};
  info_.categories = {"all"};
  info_.status_subresource = true;
  info_.schema_name = "io.k8s.api.apps.v1.DaemonSet";
  schemas_ = DaemonSetSchemasJson();
}

void DaemonSetKind::Default(Json& obj, JsonAlloc& a) const {
  if (!obj.IsObject()) return;
  Json& spec = EnsureObject(obj, "spec", a);
  Json& strategy = EnsureObject(spec, "updateStrategy", a);
  SetDefaultString(strategy, "type", "RollingUpdate", a);
  if (Str(Member(strategy, "type")) == "RollingUpdate") {
    Json& rolling = EnsureObject(strategy, "rollingUpdate", a);
    SetDefault(rolling, "maxUnavailable", Json(1), a);
    SetDefault(rolling, "maxSurge", Json(0), a);
  }
  SetDefault(spec, "revisionHistoryLimit", Json(10), a);
  DefaultTemplate(obj, {"spec", "template"}, a);
}

std::vector<FieldCause> DaemonSetKind::Validate(const Json& obj,
                                                const Json* old) const {
  std::vector<FieldCause> causes;
  ValidateSelectorAndTemplate(obj, old, "spec", "daemonset", {"Always"}, true,
                              causes);
  const std::string type =
      GetString(obj, {"spec", "updateStrategy", "type"}, "RollingUpdate");
  if (type != "RollingUpdate" && type != "OnDelete") {
    causes.push_back(field::NotSupported("spec.updateStrategy.type", type,
                                         {"OnDelete", "RollingUpdate"}));
  }
  const Json* max_unavailable =
      Find(obj, {"spec", "updateStrategy", "rollingUpdate", "maxUnavailable"});
  const Json* max_surge =
      Find(obj, {"spec", "updateStrategy", "rollingUpdate", "maxSurge"});
  auto is_zero = [](const Json* v) {
    return !v || (v->IsInt64() && v->GetInt64() == 0) ||
           (v->IsString() && std::string(v->GetString()) == "0%");
  };
  if (type == "RollingUpdate" && is_zero(max_unavailable) &&
      is_zero(max_surge)) {
    causes.push_back({"FieldValueInvalid",
                      "spec.updateStrategy.rollingUpdate.maxUnavailable",
                      "Invalid value: 0: may not be 0 when `maxSurge` is 0"});
  }
  if (max_unavailable && max_unavailable->IsInt64() &&
      max_unavailable->GetInt64() < 0) {
    causes.push_back(field::InvalidNumber(
        "spec.updateStrategy.rollingUpdate.maxUnavailable",
        max_unavailable->GetInt64(), "must be greater than or equal to 0"));
  }
  return causes;
}

std::vector<PrinterColumn> DaemonSetKind::Columns() const {
  auto integer = [](std::string name, std::string description) {
    return PrinterColumn{std::move(name), "integer", "", std::move(description),
                         0};
  };
  return {
      core::NameColumn(),
      integer("Desired",
              "The total number of nodes that should be running the daemon "
              "pod (including nodes correctly running the daemon pod)."),
      integer("Current",
              "The number of nodes that are running at least 1 daemon pod "
              "and are supposed to run the daemon pod."),
      integer("Ready",
              "numberReady is the number of nodes that should be running the "
              "daemon pod and have one or more of the daemon pod running with "
              "a Ready Condition."),
      integer("Up-to-date",
              "The total number of nodes that are running updated daemon "
              "pod"),
      integer("Available",
              "The number of nodes that should be running the daemon pod and "
              "have one or more of the daemon pod running and available "
              "(ready for at least spec.minReadySeconds)"),
      core::StringColumn("Node Selector",
                         "NodeSelector is a selector which must be true for "
                         "the pod to fit on a node. Selector which must match "
                         "a node's labels for the pod to be scheduled on that "
                         "node."),
      core::AgeColumn(),
      core::StringColumn("Containers",
                         "Names of each container in the template.", 1),
      core::StringColumn("Images",
                         "Images referenced by each container in "
                         "the template.",
                         1),
      core::StringColumn("Selector",
                         "A label query over pods that are managed by the "
                         "daemon set.",
                         1),
  };
}

void DaemonSetKind::Cells(const Json& obj,
                          std::chrono::system_clock::time_point now,
                          Json& cells, JsonAlloc& a) const {
  AppendCell(cells, GetString(obj, {"metadata", "name"}), a);
  for (const char* f :
       {"desiredNumberScheduled", "currentNumberScheduled", "numberReady",
        "updatedNumberScheduled", "numberAvailable"}) {
    AppendCell(cells, GetInt(obj, {"status", f}), a);
  }
  AppendCell(cells,
             core::FormatLabels(
                 Find(obj, {"spec", "template", "spec", "nodeSelector"})),
             a);
  AppendCell(cells,
             core::AgeSince(Find(obj, {"metadata", "creationTimestamp"}), now),
             a);
  const Json* pod_spec = Find(obj, {"spec", "template", "spec"});
  AppendCell(cells, ContainerNames(pod_spec), a);
  AppendCell(cells, ContainerImages(pod_spec), a);
  AppendCell(cells, SelectorCell(Find(obj, {"spec", "selector"})), a);
}

std::optional<std::string> DaemonSetKind::MergeKey(
    const std::string& path) const {
  return TemplateMergeKey(path, "spec.template");
}

}  // namespace berth::workloads
