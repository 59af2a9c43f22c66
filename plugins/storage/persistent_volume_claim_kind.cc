#include "persistent_volume_claim_kind.h"

#include "age.h"
#include "printing.h"
#include "quantity.h"
#include "storage_fields.h"
#include "storage_schemas.h"
#include "validation.h"

namespace berth::storage {
namespace {

using core::AddInvalid;
using core::AppendCell;
using core::Str;

constexpr const char* kStoragePath = "spec.resources[storage]";

void ValidateSelector(const Json& selector, std::vector<FieldCause>& causes) {
  const std::string path = "spec.selector";
  if (const Json* ml = Member(selector, "matchLabels"); ml && ml->IsObject()) {
    core::ValidateLabels(*ml, path + ".matchLabels", causes);
  }
  const Json* exprs = Member(selector, "matchExpressions");
  if (!exprs || !exprs->IsArray()) return;
  for (size_t i = 0; i < exprs->Size(); ++i) {
    const Json& e = (*exprs)[static_cast<rapidjson::SizeType>(i)];
    const std::string at = core::Index(path + ".matchExpressions", i);
    const std::string op = Str(Member(e, "operator"));
    const Json* values = Member(e, "values");
    const bool has_values = values && values->IsArray() && !values->Empty();
    if (op == "In" || op == "NotIn") {
      if (!has_values) {
        causes.push_back(field::Required(
            at + ".values",
            "must be specified when `operator` is 'In' or 'NotIn'"));
      }
    } else if (op == "Exists" || op == "DoesNotExist") {
      if (has_values) {
        causes.push_back(field::Forbidden(
            at + ".values",
            "may not be specified when `operator` is 'Exists' or "
            "'DoesNotExist'"));
      }
    } else {
      causes.push_back(field::Invalid(at + ".operator", op,
                                      "not a valid selector operator"));
    }
    const std::string key = Str(Member(e, "key"));
    AddInvalid(causes, at + ".key", key, core::IsQualifiedName(key));
  }
}

// The spec with what ValidatePersistentVolumeClaimUpdate lets change
// blanked out, so the rest can be compared as a whole.
JsonDoc ComparableSpec(const Json* spec, const Json& old_obj, bool bound) {
  JsonDoc out;
  if (spec && spec->IsObject()) {
    out.CopyFrom(*spec, out.GetAllocator());
  } else {
    out.SetObject();
  }
  // volumeName may be set once; a storage class may be set on a claim that
  // had none (retroactive default StorageClass assignment).
  if (Str(Find(old_obj, {"spec", "volumeName"})).empty()) {
    out.RemoveMember("volumeName");
  }
  if (!Find(old_obj, {"spec", "storageClassName"})) {
    out.RemoveMember("storageClassName");
  }
  if (bound) {
    if (Json* requests = Find(out, {"resources", "requests"});
        requests && requests->IsObject()) {
      requests->RemoveMember("storage");
    }
  }
  // Defaulting makes an absent and an empty resources the same.
  if (Json* res = Member(out, "resources"); res && res->IsObject()) {
    for (const char* part : {"requests", "limits"}) {
      const Json* m = Member(*res, part);
      if (m && m->IsObject() && m->MemberCount() == 0) res->RemoveMember(part);
    }
    if (res->MemberCount() == 0) out.RemoveMember("resources");
  }
  return out;
}

}  // namespace

PersistentVolumeClaimKind::PersistentVolumeClaimKind() {
  info_.version = "v1";
  info_.kind = "PersistentVolumeClaim";
  info_.plural = "persistentvolumeclaims";
  info_.singular = "persistentvolumeclaim";
  info_.short_names = {"pvc"};
  info_.status_subresource = true;
  info_.schema_name = "io.k8s.api.core.v1.PersistentVolumeClaim";
  schemas_ = StorageSchemasJson(info_.schema_name);
}

void PersistentVolumeClaimKind::Default(Json& obj, JsonAlloc& alloc) const {
  Json& spec = EnsureObject(obj, "spec", alloc);
  SetDefaultString(spec, "volumeMode", "Filesystem", alloc);
  Json& status = EnsureObject(obj, "status", alloc);
  SetDefaultString(status, "phase", "Pending", alloc);
}

std::vector<FieldCause> PersistentVolumeClaimKind::Validate(
    const Json& obj, const Json* old) const {
  std::vector<FieldCause> causes;
  static const Json kEmpty(rapidjson::kObjectType);
  const Json* spec_ptr = Member(obj, "spec");
  const Json& spec = spec_ptr && spec_ptr->IsObject() ? *spec_ptr : kEmpty;

  ValidateAccessModes(Member(spec, "accessModes"), "spec.accessModes",
                      "at least 1 access mode is required", causes);
  if (const Json* selector = Member(spec, "selector");
      selector && selector->IsObject()) {
    ValidateSelector(*selector, causes);
  }
  const Json* storage = Find(spec, {"resources", "requests", "storage"});
  if (!storage) {
    causes.push_back(field::Required(kStoragePath));
  } else {
    const std::string text =
        storage->IsString() ? Str(storage) : ToJson(*storage);
    auto q = core::QuantityValue(*storage);
    if (!q) {
      causes.push_back(
          field::Invalid(kStoragePath, text, core::kQuantityError));
    } else if (*q <= 0) {
      causes.push_back(
          field::Invalid(kStoragePath, text, "must be greater than zero"));
    }
  }
  const std::string class_name = Str(Member(spec, "storageClassName"));
  if (!class_name.empty()) {
    AddInvalid(causes, "spec.storageClassName", class_name,
               core::IsDns1123Subdomain(class_name));
  }
  const std::string mode = Str(Member(spec, "volumeMode"));
  if (!mode.empty() && mode != "Block" && mode != "Filesystem") {
    causes.push_back(
        field::NotSupported("spec.volumeMode", mode, {"Block", "Filesystem"}));
  }
  const std::string phase = Str(Find(obj, {"status", "phase"}));
  if (!phase.empty() && phase != "Bound" && phase != "Lost" &&
      phase != "Pending") {
    causes.push_back(field::NotSupported("status.phase", phase,
                                         {"Bound", "Lost", "Pending"}));
  }

  if (old) {
    const bool bound = phase == "Bound";
    JsonDoc now = ComparableSpec(spec_ptr, *old, bound);
    JsonDoc was = ComparableSpec(Member(*old, "spec"), *old, bound);
    if (now != was) {
      causes.push_back(field::Forbidden(
          "spec",
          "spec is immutable after creation except resources.requests and "
          "volumeAttributesClassName for bound claims"));
    }
    auto old_size = StorageSize(Find(*old, {"spec", "resources", "requests"}));
    auto new_size = StorageSize(Find(spec, {"resources", "requests"}));
    if (old_size && new_size && *new_size < *old_size) {
      causes.push_back(
          field::Forbidden("spec.resources.requests.storage",
                           "field can not be less than previous value"));
    }
  }
  return causes;
}

std::vector<PrinterColumn> PersistentVolumeClaimKind::Columns() const {
  return {core::NameColumn(),
          core::StringColumn("Status",
                             "phase represents the current phase of "
                             "PersistentVolumeClaim."),
          core::StringColumn("Volume",
                             "volumeName is the binding reference to the "
                             "PersistentVolume backing this claim."),
          core::StringColumn("Capacity",
                             "capacity represents the actual resources of the "
                             "underlying volume."),
          core::StringColumn("Access Modes",
                             "accessModes contains the desired access modes "
                             "the volume should have."),
          core::StringColumn("StorageClass", "StorageClass of the pvc"),
          core::StringColumn("VolumeAttributesClass",
                             "VolumeAttributesClass of the pvc"),
          core::AgeColumn(),
          core::StringColumn("VolumeMode",
                             "volumeMode defines what type of volume is "
                             "required by the claim.",
                             1)};
}

void PersistentVolumeClaimKind::Cells(const Json& obj,
                                      std::chrono::system_clock::time_point now,
                                      Json& cells, JsonAlloc& alloc) const {
  std::string phase = Str(Find(obj, {"status", "phase"}));
  if (Find(obj, {"metadata", "deletionTimestamp"})) phase = "Terminating";
  const std::string volume = Str(Find(obj, {"spec", "volumeName"}));
  std::string capacity;
  std::string modes;
  if (!volume.empty()) {
    modes = AccessModesString(Find(obj, {"status", "accessModes"}));
    if (const Json* q = Find(obj, {"status", "capacity", "storage"})) {
      capacity = core::CanonicalQuantity(q->IsString() ? Str(q) : ToJson(*q));
    } else {
      capacity = "0";
    }
  }
  std::string attributes_class =
      Str(Find(obj, {"spec", "volumeAttributesClassName"}));
  if (attributes_class.empty()) attributes_class = "<unset>";
  std::string mode = Str(Find(obj, {"spec", "volumeMode"}));
  if (mode.empty()) mode = "<unset>";

  AppendCell(cells, Str(Find(obj, {"metadata", "name"})), alloc);
  AppendCell(cells, phase, alloc);
  AppendCell(cells, volume, alloc);
  AppendCell(cells, capacity, alloc);
  AppendCell(cells, modes, alloc);
  AppendCell(cells, ClaimClass(obj), alloc);
  AppendCell(cells, attributes_class, alloc);
  AppendCell(cells,
             core::AgeSince(Find(obj, {"metadata", "creationTimestamp"}), now),
             alloc);
  AppendCell(cells, mode, alloc);
}

}  // namespace berth::storage
