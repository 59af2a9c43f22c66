// StorageClassKind: the storage.k8s.io/v1 StorageClass resource (cluster
// scoped, short name sc; also served as v1beta1) — defaulting (reclaimPolicy
// Delete, volumeBindingMode Immediate), Kubernetes' validation (a provisioner
// that is a qualified name, supported policies and modes, provisioner,
// parameters, reclaimPolicy and volumeBindingMode immutable) and kubectl's
// columns, the default class shown as "name (default)".
//
// Thread safety: immutable after construction; all methods may be called
// concurrently.
#ifndef BERTH_PLUGINS_STORAGE_STORAGE_CLASS_KIND_H_
#define BERTH_PLUGINS_STORAGE_STORAGE_CLASS_KIND_H_

#include <string>
#include <vector>

#include "berth/kind.h"

namespace berth::storage {

class StorageClassKind : public Kind {
 public:
  StorageClassKind();

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

#endif  // BERTH_PLUGINS_STORAGE_STORAGE_CLASS_KIND_H_
