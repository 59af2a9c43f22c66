// PersistentVolumeKind: the core/v1 PersistentVolume resource (cluster
// scoped, short name pv) — defaulting (Retain, Filesystem, phase Pending),
// Kubernetes' validation of the spec (access modes, capacity, exactly one
// volume source, an immutable source), the status subresource and
// kubectl's columns.
//
// Thread safety: immutable after construction; all methods may be called
// concurrently.
#ifndef BERTH_PLUGINS_STORAGE_PERSISTENT_VOLUME_KIND_H_
#define BERTH_PLUGINS_STORAGE_PERSISTENT_VOLUME_KIND_H_

#include <string>
#include <vector>

#include "berth/kind.h"

namespace berth::storage {

class PersistentVolumeKind : public Kind {
 public:
  PersistentVolumeKind();

  const KindInfo& Info() const override { return info_; }
  void Default(Json& obj, JsonAlloc& alloc) const override;
  std::vector<FieldCause> Validate(const Json& obj,
                                   const Json* old) const override;
  std::vector<PrinterColumn> Columns() const override;
  void Cells(const Json& obj, std::chrono::system_clock::time_point now,
             Json& cells, JsonAlloc& alloc) const override;
  std::string OpenApiSchemas() const override { return schemas_; }

 private:
  KindInfo info_;
  std::string schemas_;
};

// The volume sources of a PersistentVolumeSpec present in `spec`, in
// Kubernetes' order ("hostPath", "nfs", ...).
std::vector<std::string> VolumeSources(const Json& spec);

}  // namespace berth::storage

#endif  // BERTH_PLUGINS_STORAGE_PERSISTENT_VOLUME_KIND_H_
