// ReplicaSetKind: the apps/v1 ReplicaSet resource (also served as
// apps/v1beta2, which has the same fields) — defaults (replicas 1,
// the pod template's), validation (selector, template, immutable
// selector), status and scale subresources, kubectl's columns (DESIRED
// CURRENT READY AGE; wide CONTAINERS IMAGES SELECTOR), merge keys and the
// OpenAPI schemas.
//
// Thread safety: immutable after construction; all methods may be called
// concurrently.
#ifndef BERTH_PLUGINS_WORKLOADS_REPLICA_SET_KIND_H_
#define BERTH_PLUGINS_WORKLOADS_REPLICA_SET_KIND_H_

#include <string>

#include "berth/kind.h"

namespace berth::workloads {

class ReplicaSetKind : public Kind {
 public:
  ReplicaSetKind();

  const KindInfo& Info() const override { return info_; }
  void Default(Json& obj, JsonAlloc& alloc) const override;
  std::vector<FieldCause> Validate(const Json& obj,
                                   const Json* old) const override;
  std::vector<PrinterColumn> Columns() const override;
  void Cells(const Json& obj, std::chrono::system_clock::time_point now,
             Json& cells, JsonAlloc& alloc) const override;
  std::optional<std::string> MergeKey(const std::string& path) const override;
  std::string OpenApiSchemas() const override { return schemas_; }

 private:
  KindInfo info_;
  std::string schemas_;
};

}  // namespace berth::workloads

#endif  // BERTH_PLUGINS_WORKLOADS_REPLICA_SET_KIND_H_
