#include "persistent_volume_kind.h"

#include <algorithm>
#include <cmath>

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

// PersistentVolumeSource's members, in the order Kubernetes validates them.
constexpr const char* kSources[] = {"hostPath",
                                    "gcePersistentDisk",
                                    "awsElasticBlockStore",
                                    "glusterfs",
                                    "flocker",
                                    "nfs",
                                    "rbd",
                                    "quobyte",
                                    "cinder",
                                    "cephfs",
                                    "iscsi",
                                    "fc",
                                    "flexVolume",
                                    "azureFile",
                                    "vsphereVolume",
                                    "azureDisk",
                                    "photonPersistentDisk",
                                    "portworxVolume",
                                    "scaleIO",
                                    "local",
                                    "storageos",
                                    "csi"};

bool IsAbsolute(const std::string& p) { return !p.empty() && p[0] == '/'; }

// validatePathNoBacksteps: no ".." element.
bool HasBackstep(const std::string& p) {
  size_t start = 0;
  while (start <= p.size()) {
    size_t end = p.find('/', start);
    if (end == std::string::npos) end = p.size();
    if (p.compare(start, end - start, "..") == 0 && end - start == 2) {
      return true;
    }
    start = end + 1;
  }
  return false;
}

// path.Clean(p) == "/": absolute, and every element "", "." or "..".
bool IsRoot(const std::string& p) {
  if (p.empty() || p[0] != '/') return false;
  size_t start = 1;
  while (start <= p.size()) {
    size_t end = p.find('/', start);
    if (end == std::string::npos) end = p.size();
    const std::string element = p.substr(start, end - start);
    if (!element.empty() && element != "." && element != "..") return false;
    start = end + 1;
  }
  return true;
}

// The checks Kubernetes makes of the sources Berth users write by hand.
void ValidateSource(const std::string& source, const Json& v,
                    const std::string& path, std::vector<FieldCause>& causes) {
  if (source == "hostPath") {
    const std::string p = Str(Member(v, "path"));
    if (p.empty()) {
      causes.push_back(field::Required(path + ".path"));
    } else if (HasBackstep(p)) {
      causes.push_back(
          field::Invalid(path + ".path", p, "must not contain '..'"));
    }
    const std::string type = Str(Member(v, "type"));
    static const std::vector<std::string> kTypes = {
        "",     "BlockDevice",  "CharDevice", "Directory", "DirectoryOrCreate",
        "File", "FileOrCreate", "Socket"};
    if (std::find(kTypes.begin(), kTypes.end(), type) == kTypes.end()) {
      causes.push_back(field::NotSupported(path + ".type", type, kTypes));
    }
  } else if (source == "nfs") {
    if (Str(Member(v, "server")).empty()) {
      causes.push_back(field::Required(path + ".server"));
    }
    const std::string p = Str(Member(v, "path"));
    if (p.empty()) {
      causes.push_back(field::Required(path + ".path"));
    } else if (!IsAbsolute(p)) {
      causes.push_back(
          field::Invalid(path + ".path", p, "must be an absolute path"));
    }
  } else if (source == "local") {
    if (Str(Member(v, "path")).empty()) {
      causes.push_back(field::Required(path + ".path"));
    }
    // The node affinity a local volume needs is checked in Validate,
    // which sees the whole spec.
  } else if (source == "csi") {
    if (Str(Member(v, "driver")).empty()) {
      causes.push_back(field::Required(path + ".driver"));
    }
    if (Str(Member(v, "volumeHandle")).empty()) {
      causes.push_back(field::Required(path + ".volumeHandle"));
    }
  }
}

std::string CapacityText(const Json* capacity) {
  if (!capacity || !capacity->IsObject()) return "map[]";
  std::string out = "map[";
  bool first = true;
  for (auto it = capacity->MemberBegin(); it != capacity->MemberEnd(); ++it) {
    if (!first) out += " ";
    first = false;
    out += std::string(it->name.GetString()) + ":" +
           (it->value.IsString() ? Str(&it->value) : ToJson(it->value));
  }
  return out + "]";
}

}  // namespace

std::vector<std::string> VolumeSources(const Json& spec) {
  std::vector<std::string> out;
  for (const char* s : kSources) {
    const Json* v = Member(spec, s);
    if (v && !v->IsNull()) out.push_back(s);
  }
  return out;
}

PersistentVolumeKind::PersistentVolumeKind() {
  info_.version = "v1";
  info_.kind = "PersistentVolume";
  info_.plural = "persistentvolumes";
  info_.singular = "persistentvolume";
  info_.namespaced = false;
  info_.short_names = {"pv"};
  info_.status_subresource = true;
  info_.schema_name = "io.k8s.api.core.v1.PersistentVolume";
  schemas_ = StorageSchemasJson(info_.schema_name);
}

void PersistentVolumeKind::Default(Json& obj, JsonAlloc& alloc) const {
  Json& spec = EnsureObject(obj, "spec", alloc);
  SetDefaultString(spec, "persistentVolumeReclaimPolicy", "Retain", alloc);
  SetDefaultString(spec, "volumeMode", "Filesystem", alloc);
  Json& status = EnsureObject(obj, "status", alloc);
  SetDefaultString(status, "phase", "Pending", alloc);
}

std::vector<FieldCause> PersistentVolumeKind::Validate(const Json& obj,
                                                       const Json* old) const {
  std::vector<FieldCause> causes;
  static const Json kEmpty(rapidjson::kObjectType);
  const Json* spec_ptr = Member(obj, "spec");
  const Json& spec = spec_ptr && spec_ptr->IsObject() ? *spec_ptr : kEmpty;

  ValidateAccessModes(Member(spec, "accessModes"), "spec.accessModes",
                      "must specify at least 1 access mode", causes);

  const Json* capacity = Member(spec, "capacity");
  const bool has_capacity =
      capacity && capacity->IsObject() && capacity->MemberCount() > 0;
  if (!has_capacity) {
    causes.push_back(field::Required("spec.capacity"));
  }
  if (!has_capacity || !Member(*capacity, "storage") ||
      capacity->MemberCount() > 1) {
    causes.push_back(field::NotSupported("spec.capacity",
                                         CapacityText(capacity), {"storage"}));
  }
  if (has_capacity) {
    for (auto it = capacity->MemberBegin(); it != capacity->MemberEnd(); ++it) {
      const std::string path = core::Key("spec.capacity", it->name.GetString());
      const std::string text =
          it->value.IsString() ? Str(&it->value) : ToJson(it->value);
      auto q = core::QuantityValue(it->value);
      if (!q) {
        causes.push_back(field::Invalid(path, text, core::kQuantityError));
      } else if (*q <= 0) {
        // resource.Quantity.Value(): rounded up to a whole number.
        causes.push_back(
            field::InvalidNumber(path, static_cast<long long>(std::ceil(*q)),
                                 "must be a valid resource quantity"));
      }
    }
  }

  const std::vector<std::string> sources = VolumeSources(spec);
  if (sources.empty()) {
    causes.push_back(field::Required("spec", "must specify a volume type"));
  }
  for (size_t i = 0; i < sources.size(); ++i) {
    const std::string path = "spec." + sources[i];
    if (i > 0) {
      causes.push_back(
          field::Forbidden(path, "may not specify more than 1 volume type"));
      continue;
    }
    ValidateSource(sources[i], spec[sources[i].c_str()], path, causes);
  }

  if (!sources.empty() && sources[0] == "local" &&
      !Find(spec, {"nodeAffinity", "required"})) {
    causes.push_back(field::Required("spec.nodeAffinity",
                                     "Local volume requires node affinity"));
  }
  const std::string policy = Str(Member(spec, "persistentVolumeReclaimPolicy"));
  if (!policy.empty() && policy != "Delete" && policy != "Recycle" &&
      policy != "Retain") {
    causes.push_back(field::NotSupported("spec.persistentVolumeReclaimPolicy",
                                         policy,
                                         {"Delete", "Recycle", "Retain"}));
  }
  if (policy == "Recycle" && !sources.empty() && sources[0] == "hostPath" &&
      IsRoot(Str(Find(spec, {"hostPath", "path"})))) {
    causes.push_back(
        field::Forbidden("spec.persistentVolumeReclaimPolicy",
                         "may not be 'recycle' for a hostPath mount of '/'"));
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
  static const std::vector<std::string> kPhases = {
      "Available", "Bound", "Failed", "Pending", "Released"};
  if (!phase.empty() &&
      std::find(kPhases.begin(), kPhases.end(), phase) == kPhases.end()) {
    causes.push_back(field::NotSupported("status.phase", phase, kPhases));
  }

  if (old) {
    const Json* old_spec = Member(*old, "spec");
    if (old_spec && old_spec->IsObject()) {
      // ValidatePersistentVolumeUpdate: the source may not change.
      bool source_changed = false;
      for (const char* s : kSources) {
        const Json* a = Member(spec, s);
        const Json* b = Member(*old_spec, s);
        if ((a == nullptr) != (b == nullptr) || (a && *a != *b)) {
          source_changed = true;
        }
      }
      if (source_changed) {
        causes.push_back(field::Forbidden(
            "spec.persistentvolumesource",
            "spec.persistentvolumesource is immutable after creation"));
      }
      const std::string old_mode = Str(Member(*old_spec, "volumeMode"));
      if (old_mode != mode) {
        causes.push_back(
            field::Invalid("volumeMode", mode, "field is immutable"));
      }
    }
  }
  return causes;
}

std::vector<PrinterColumn> PersistentVolumeKind::Columns() const {
  return {core::NameColumn(),
          core::StringColumn("Capacity",
                             "capacity is the description of the persistent "
                             "volume's resources and capacity."),
          core::StringColumn("Access Modes",
                             "accessModes contains all ways the volume can "
                             "be mounted."),
          core::StringColumn("Reclaim Policy",
                             "persistentVolumeReclaimPolicy defines what "
                             "happens to a persistent volume when released "
                             "from its claim."),
          core::StringColumn("Status",
                             "phase indicates if a volume is available, bound "
                             "to a claim, or released by a claim."),
          core::StringColumn("Claim",
                             "claimRef is part of a bi-directional binding "
                             "between PersistentVolume and "
                             "PersistentVolumeClaim."),
          core::StringColumn("StorageClass", "StorageClass of the pv"),
          core::StringColumn("VolumeAttributesClass",
                             "VolumeAttributesClass of the pv"),
          core::StringColumn("Reason",
                             "reason is a brief CamelCase string that "
                             "describes any failure and is meant for machine "
                             "parsing and tidy display in the CLI."),
          core::AgeColumn(),
          core::StringColumn("VolumeMode",
                             "volumeMode defines if a volume is intended to "
                             "be used with a formatted filesystem or to "
                             "remain in raw block state.",
                             1)};
}

void PersistentVolumeKind::Cells(const Json& obj,
                                 std::chrono::system_clock::time_point now,
                                 Json& cells, JsonAlloc& alloc) const {
  const Json* spec = Member(obj, "spec");
  auto spec_str = [&](const char* name) {
    return spec ? Str(Member(*spec, name)) : std::string();
  };
  std::string claim;
  if (const Json* ref = spec ? Member(*spec, "claimRef") : nullptr;
      ref && ref->IsObject()) {
    claim = Str(Member(*ref, "namespace")) + "/" + Str(Member(*ref, "name"));
  }
  std::string size = "0";
  if (const Json* q = Find(obj, {"spec", "capacity", "storage"})) {
    size = core::CanonicalQuantity(q->IsString() ? Str(q) : ToJson(*q));
  }
  std::string phase = Str(Find(obj, {"status", "phase"}));
  if (Find(obj, {"metadata", "deletionTimestamp"})) phase = "Terminating";
  std::string attributes_class = spec_str("volumeAttributesClassName");
  if (attributes_class.empty()) attributes_class = "<unset>";
  std::string mode = spec_str("volumeMode");
  if (mode.empty()) mode = "<unset>";

  AppendCell(cells, Str(Find(obj, {"metadata", "name"})), alloc);
  AppendCell(cells, size, alloc);
  AppendCell(cells,
             AccessModesString(spec ? Member(*spec, "accessModes") : nullptr),
             alloc);
  AppendCell(cells, spec_str("persistentVolumeReclaimPolicy"), alloc);
  AppendCell(cells, phase, alloc);
  AppendCell(cells, claim, alloc);
  AppendCell(cells, VolumeClass(obj), alloc);
  AppendCell(cells, attributes_class, alloc);
  AppendCell(cells, Str(Find(obj, {"status", "reason"})), alloc);
  AppendCell(cells,
             core::AgeSince(Find(obj, {"metadata", "creationTimestamp"}), now),
             alloc);
  AppendCell(cells, mode, alloc);
}

}  // namespace berth::storage
