#include "stateful_set_kind.h"

#include "age.h"
#include "pod_template.h"
#include "printing.h"
#include "validation.h"
#include "workload_schemas.h"

namespace berth::workloads {

using core::AppendCell;
using core::Str;

namespace {

void AddClaimVolumes(Json& obj, JsonAlloc& a) {
  const Json* claims = Find(obj, {"spec", "volumeClaimTemplates"});
  Json* pod_spec = Find(obj, {"spec", "template", "spec"});
  if (!claims || !claims->IsArray() || !pod_spec || !pod_spec->IsObject()) {
    return;
  }
  Json volumes(rapidjson::kArrayType);
  for (const auto& claim : claims->GetArray()) {
    const std::string name = GetString(claim, {"metadata", "name"});
    Json source(rapidjson::kObjectType);
    SetString(source, "claimName", name, a);
    Json volume(rapidjson::kObjectType);
    SetString(volume, "name", name, a);
    SetMember(volume, "persistentVolumeClaim", std::move(source), a);
    volumes.PushBack(std::move(volume), a);
  }
  if (Json* existing = Member(*pod_spec, "volumes");
      existing && existing->IsArray()) {
    for (auto& v : existing->GetArray()) volumes.PushBack(Json(v, a), a);
  }
  SetMember(*pod_spec, "volumes", std::move(volumes), a);
}

}  // namespace

StatefulSetKind::StatefulSetKind() {
  info_.group = "apps";
  info_.version = "v1";
  info_.kind = "StatefulSet";
  info_.plural = "statefulsets";
  info_.singular = "statefulset";
  info_.short_names = {"sts"};
  info_.categories = {"all"};
  info_.status_subresource = true;
  info_.scale_subresource = true;
  info_.schema_name = "io.k8s.api.apps.v1.StatefulSet";
  schemas_ = StatefulSetSchemasJson();
}

void StatefulSetKind::Default(Json& obj, JsonAlloc& a) const {
  if (!obj.IsObject()) return;
  Json& spec = EnsureObject(obj, "spec", a);
  SetDefault(spec, "replicas", Json(1), a);
  SetDefaultString(spec, "podManagementPolicy", "OrderedReady", a);
  Json& strategy = EnsureObject(spec, "updateStrategy", a);
  SetDefaultString(strategy, "type", "RollingUpdate", a);
  if (Str(Member(strategy, "type")) == "RollingUpdate") {
    Json& rolling = EnsureObject(strategy, "rollingUpdate", a);
    SetDefault(rolling, "partition", Json(0), a);
  }
  Json& retention =
      EnsureObject(spec, "persistentVolumeClaimRetentionPolicy", a);
  SetDefaultString(retention, "whenDeleted", "Retain", a);
  SetDefaultString(retention, "whenScaled", "Retain", a);
  SetDefault(spec, "revisionHistoryLimit", Json(10), a);
  DefaultTemplate(obj, {"spec", "template"}, a);
  if (Json* claims = Member(spec, "volumeClaimTemplates");
      claims && claims->IsArray()) {
    for (auto& c : claims->GetArray()) {
      if (!c.IsObject()) continue;
      SetDefaultString(c, "apiVersion", "v1", a);
      SetDefaultString(c, "kind", "PersistentVolumeClaim", a);
      Json& cspec = EnsureObject(c, "spec", a);
      SetDefaultString(cspec, "volumeMode", "Filesystem", a);
      Json& status = EnsureObject(c, "status", a);
      SetDefaultString(status, "phase", "Pending", a);
    }
  }
}

std::vector<FieldCause> StatefulSetKind::Validate(const Json& obj,
                                                  const Json* old) const {
  std::vector<FieldCause> causes;
  const int64_t replicas = GetInt(obj, {"spec", "replicas"}, 1);
  if (replicas < 0) {
    causes.push_back(field::InvalidNumber(
        "spec.replicas", replicas, "must be greater than or equal to 0"));
  }
  const std::string policy =
      GetString(obj, {"spec", "podManagementPolicy"}, "OrderedReady");
  if (policy != "OrderedReady" && policy != "Parallel") {
    causes.push_back(field::NotSupported("spec.podManagementPolicy", policy,
                                         {"OrderedReady", "Parallel"}));
  }
  const std::string type =
      GetString(obj, {"spec", "updateStrategy", "type"}, "RollingUpdate");
  if (type != "RollingUpdate" && type != "OnDelete") {
    causes.push_back(field::NotSupported("spec.updateStrategy.type", type,
                                         {"OnDelete", "RollingUpdate"}));
  }
  const int64_t partition =
      GetInt(obj, {"spec", "updateStrategy", "rollingUpdate", "partition"});
  if (partition < 0) {
    causes.push_back(
        field::InvalidNumber("spec.updateStrategy.rollingUpdate.partition",
                             partition, "must be greater than or equal to 0"));
  }
  for (const char* f : {"whenDeleted", "whenScaled"}) {
    const std::string v = GetString(
        obj, {"spec", "persistentVolumeClaimRetentionPolicy", f}, "Retain");
    if (v != "Retain" && v != "Delete") {
      causes.push_back(field::NotSupported(
          std::string("spec.persistentVolumeClaimRetentionPolicy.") + f, v,
          {"Retain", "Delete"}));
    }
  }
  // The template is checked as the pods will be made: each claim template
  // is a volume that its containers may mount.
  JsonDoc with_claims;
  with_claims.CopyFrom(obj, with_claims.GetAllocator());
  AddClaimVolumes(with_claims, with_claims.GetAllocator());
  ValidateSelectorAndTemplate(with_claims, old, "spec", "statefulset",
                              {"Always"}, true, causes);
  if (old) {
    // Kubernetes lets an update touch only these spec fields.
    const Json* new_spec = Member(obj, "spec");
    const Json* old_spec = Member(*old, "spec");
    if (new_spec && old_spec) {
      JsonDoc n, o;
      n.CopyFrom(*new_spec, n.GetAllocator());
      o.CopyFrom(*old_spec, o.GetAllocator());
      for (const char* f :
           {"replicas", "ordinals", "template", "updateStrategy",
            "persistentVolumeClaimRetentionPolicy", "minReadySeconds",
            "revisionHistoryLimit"}) {
        if (n.IsObject()) n.RemoveMember(f);
        if (o.IsObject()) o.RemoveMember(f);
      }
      if (n != o) {
        causes.push_back(field::Forbidden(
            "spec",
            "updates to statefulset spec for fields other than 'replicas', "
            "'ordinals', 'template', 'updateStrategy', "
            "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' "
            "are forbidden"));
      }
    }
  }
  return causes;
}

std::vector<PrinterColumn> StatefulSetKind::Columns() const {
  return {
      core::NameColumn(),
      core::StringColumn("Ready", "Number of the pod with ready state"),
      core::AgeColumn(),
      core::StringColumn("Containers",
                         "Names of each container in the template.", 1),
      core::StringColumn("Images",
                         "Images referenced by each container in the "
                         "template.",
                         1),
  };
}

void StatefulSetKind::Cells(const Json& obj,
                            std::chrono::system_clock::time_point now,
                            Json& cells, JsonAlloc& a) const {
  AppendCell(cells, GetString(obj, {"metadata", "name"}), a);
  AppendCell(cells,
             std::to_string(GetInt(obj, {"status", "readyReplicas"})) + "/" +
                 std::to_string(GetInt(obj, {"spec", "replicas"}, 1)),
             a);
  AppendCell(cells,
             core::AgeSince(Find(obj, {"metadata", "creationTimestamp"}), now),
             a);
  const Json* pod_spec = Find(obj, {"spec", "template", "spec"});
  AppendCell(cells, ContainerNames(pod_spec), a);
  AppendCell(cells, ContainerImages(pod_spec), a);
}

std::optional<std::string> StatefulSetKind::MergeKey(
    const std::string& path) const {
  return TemplateMergeKey(path, "spec.template");
}

}  // namespace berth::workloads
