#include "storage_class_kind.h"

#include <algorithm>
#include <cctype>

#include "age.h"
#include "printing.h"
#include "storage_fields.h"
#include "storage_schemas.h"
#include "validation.h"

namespace berth::storage {
namespace {

using core::AppendCell;
using core::Str;

// apivalidation's limits on StorageClass.parameters.
constexpr size_t kMaxParameters = 512;
constexpr size_t kMaxParametersBytes = 256 * 1024;

bool Same(const Json* a, const Json* b) {
  if (!a || !b) return a == b;
  return *a == *b;
}

}  // namespace

StorageClassKind::StorageClassKind() {
  info_.group = "storage.k8s.io";
  info_.version = "v1";
  info_.kind = "StorageClass";
  info_.plural = "storageclasses";
  info_.singular = "storageclass";
  info_.namespaced = false;
  info_.short_names = {"sc"};
  // v1beta1 (removed in Kubernetes 1.22, still in course manifests) has the
  // same fields: the kernel converts by setting apiVersion.
  info_.also_served_versions = {"v1beta1"};
  info_.schema_name = "io.k8s.api.storage.v1.StorageClass";
  schemas_ = StorageSchemasJson(info_.schema_name);
}

void StorageClassKind::Default(Json& obj, JsonAlloc& alloc) const {
  SetDefaultString(obj, "reclaimPolicy", "Delete", alloc);
  SetDefaultString(obj, "volumeBindingMode", "Immediate", alloc);
}

std::vector<FieldCause> StorageClassKind::Validate(const Json& obj,
                                                   const Json* old) const {
  std::vector<FieldCause> causes;
  const std::string provisioner = Str(Member(obj, "provisioner"));
  if (provisioner.empty()) {
    causes.push_back(field::Required("provisioner"));
  } else {
    std::string lower = provisioner;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    core::AddInvalid(causes, "provisioner", provisioner,
                     core::IsQualifiedName(lower));
  }
  if (const Json* params = Member(obj, "parameters");
      params && params->IsObject()) {
    size_t bytes = 0;
    for (auto it = params->MemberBegin(); it != params->MemberEnd(); ++it) {
      if (it->name.GetStringLength() == 0) {
        causes.push_back(
            field::Invalid("parameters", "", "field can not be empty."));
      }
      bytes += it->name.GetStringLength() + Str(&it->value).size();
    }
    if (params->MemberCount() > kMaxParameters) {
      causes.push_back(field::Invalid("parameters", "<map>",
                                      "must have at most 512 parameters"));
    }
    if (bytes > kMaxParametersBytes) {
      causes.push_back(field::Invalid("parameters", "<map>",
                                      "must have at most 262144 bytes"));
    }
  }
  const std::string policy = Str(Member(obj, "reclaimPolicy"));
  if (!policy.empty() && policy != "Delete" && policy != "Retain") {
    causes.push_back(
        field::NotSupported("reclaimPolicy", policy, {"Delete", "Retain"}));
  }
  const std::string mode = Str(Member(obj, "volumeBindingMode"));
  if (mode.empty()) {
    causes.push_back(field::Required("volumeBindingMode"));
  } else if (mode != "Immediate" && mode != "WaitForFirstConsumer") {
    causes.push_back(field::NotSupported(
        "volumeBindingMode", mode, {"Immediate", "WaitForFirstConsumer"}));
  }
  if (old) {
    if (!Same(Member(obj, "parameters"), Member(*old, "parameters"))) {
      causes.push_back(field::Forbidden(
          "parameters", "updates to parameters are forbidden."));
    }
    if (provisioner != Str(Member(*old, "provisioner"))) {
      causes.push_back(field::Forbidden(
          "provisioner", "updates to provisioner are forbidden."));
    }
    if (policy != Str(Member(*old, "reclaimPolicy"))) {
      causes.push_back(field::Forbidden(
          "reclaimPolicy", "updates to reclaimPolicy are forbidden."));
    }
    if (mode != Str(Member(*old, "volumeBindingMode"))) {
      causes.push_back(
          field::Invalid("volumeBindingMode", mode, "field is immutable"));
    }
  }
  return causes;
}

std::vector<PrinterColumn> StorageClassKind::Columns() const {
  return {core::NameColumn(),
          core::StringColumn("Provisioner",
                             "provisioner indicates the type of the "
                             "provisioner."),
          core::StringColumn("ReclaimPolicy",
                             "reclaimPolicy controls the reclaimPolicy for "
                             "dynamically provisioned PersistentVolumes of "
                             "this storage class. Defaults to Delete."),
          core::StringColumn("VolumeBindingMode",
                             "volumeBindingMode indicates how "
                             "PersistentVolumeClaims should be provisioned "
                             "and bound.  When unset, VolumeBindingImmediate "
                             "is used."),
          core::StringColumn("AllowVolumeExpansion",
                             "allowVolumeExpansion shows whether the storage "
                             "class allow volume expand."),
          core::AgeColumn()};
}

void StorageClassKind::Cells(const Json& obj,
                             std::chrono::system_clock::time_point now,
                             Json& cells, JsonAlloc& alloc) const {
  std::string name = Str(Find(obj, {"metadata", "name"}));
  if (IsDefaultClass(obj)) name += " (default)";
  std::string policy = Str(Member(obj, "reclaimPolicy"));
  if (policy.empty()) policy = "Delete";
  std::string mode = Str(Member(obj, "volumeBindingMode"));
  if (mode.empty()) mode = "Immediate";
  const Json* expansion = Member(obj, "allowVolumeExpansion");

  AppendCell(cells, name, alloc);
  AppendCell(cells, Str(Member(obj, "provisioner")), alloc);
  AppendCell(cells, policy, alloc);
  AppendCell(cells, mode, alloc);
  // The printer puts the Go bool in the cell; kubectl prints true/false.
  cells.PushBack(Json(expansion && expansion->IsBool() && expansion->GetBool()),
                 alloc);
  AppendCell(cells,
             core::AgeSince(Find(obj, {"metadata", "creationTimestamp"}), now),
             alloc);
}

}  // namespace berth::storage
