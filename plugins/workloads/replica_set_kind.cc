#include "replica_set_kind.h"

#include "age.h"
#include "apps_schemas.h"
#include "printing.h"
#include "validation.h"
#include "workload_spec.h"

namespace berth::workloads {

ReplicaSetKind::ReplicaSetKind() {
  info_.group = "apps";
  info_.version = "v1";
  info_.kind = "ReplicaSet";
  info_.plural = "replicasets";
  info_.singular = "replicaset";
  info_.short_names = {"rs"};
  info_.categories = {"all"};
  info_.status_subresource = true;
  info_.scale_subresource = true;
  // apps/v1beta2 (older manifests) has the same fields: no conversion.
  info_.also_served_versions = {"v1beta2"};
  info_.schema_name = "io.k8s.api.apps.v1.ReplicaSet";
  schemas_ = AppsSchemasJson();
}

void ReplicaSetKind::Default(Json& obj, JsonAlloc& a) const {
  DefaultReplicatedSpec(obj, a);
}

std::vector<FieldCause> ReplicaSetKind::Validate(const Json& obj,
                                                 const Json* old) const {
  std::vector<FieldCause> causes;
  ValidateReplicatedSpec(obj, old, causes);
  return causes;
}

std::vector<PrinterColumn> ReplicaSetKind::Columns() const {
  return {
      core::NameColumn(),
      {"Desired", "integer", "",
       "Replicas is the number of desired replicas. This is a pointer to "
       "distinguish between explicit zero and unspecified. Defaults to 1."},
      {"Current", "integer", "",
       "Replicas is the most recently observed number of replicas."},
      {"Ready", "integer", "",
       "readyReplicas is the number of pods targeted by this ReplicaSet with "
       "a Ready Condition."},
      core::AgeColumn(),
      core::StringColumn("Containers",
                         "Names of each container in the template.", 1),
      core::StringColumn(
          "Images", "Images referenced by each container in the template.", 1),
      core::StringColumn(
          "Selector",
          "Selector is a label query over pods that should match the replica "
          "count.",
          1),
  };
}

void ReplicaSetKind::Cells(const Json& obj,
                           std::chrono::system_clock::time_point now,
                           Json& cells, JsonAlloc& a) const {
  core::AppendCell(cells, core::Str(Find(obj, {"metadata", "name"})), a);
  core::AppendCell(cells, GetInt(obj, {"spec", "replicas"}), a);
  core::AppendCell(cells, GetInt(obj, {"status", "replicas"}), a);
  core::AppendCell(cells, GetInt(obj, {"status", "readyReplicas"}), a);
  core::AppendCell(
      cells, core::AgeSince(Find(obj, {"metadata", "creationTimestamp"}), now),
      a);
  AppendTemplateCells(obj, cells, a);
}

std::optional<std::string> ReplicaSetKind::MergeKey(
    const std::string& path) const {
  return WorkloadMergeKey(path);
}

}  // namespace berth::workloads
