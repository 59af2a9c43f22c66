// PersistentVolumeClaimKind: the core/v1 PersistentVolumeClaim resource
// (namespaced, short name pvc) — defaulting (Filesystem, phase Pending),
// Kubernetes' validation (access modes, a positive requests.storage, a
// spec immutable except growth of resources.requests on a bound claim,
// volumeName set once and a storage class set once), the status
// subresource and kubectl's columns. The default StorageClass is filled in
// by the DefaultStorageClass admission, not here.
//
// Thread safety: immutable after construction; all methods may be called
// concurrently.
#ifndef BERTH_PLUGINS_STORAGE_PERSISTENT_VOLUME_CLAIM_KIND_H_
#define BERTH_PLUGINS_STORAGE_PERSISTENT_VOLUME_CLAIM_KIND_H_

#include <string>
#include <vector>

#include "berth/kind.h"

namespace berth::storage {

class PersistentVolumeClaimKind : public Kind {
 public:
  PersistentVolumeClaimKind();

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

}  // namespace berth::storage

#endif  // BERTH_PLUGINS_STORAGE_PERSISTENT_VOLUME_CLAIM_KIND_H_
