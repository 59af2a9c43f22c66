// StatefulSetKind: apps/v1 StatefulSet — defaulting (replicas 1,
// podManagementPolicy OrderedReady, RollingUpdate with partition 0,
// persistentVolumeClaimRetentionPolicy Retain/Retain, revisionHistoryLimit
// 10), validation with Kubernetes' messages, the status and scale
// subresources, `kubectl get` columns as Kubernetes 1.32 prints them, and
// its OpenAPI schemas.
//
// Thread safety: immutable after construction.
#ifndef BERTH_PLUGINS_WORKLOADS_STATEFUL_SET_KIND_H_
#define BERTH_PLUGINS_WORKLOADS_STATEFUL_SET_KIND_H_

#include <string>
#include <vector>

#include "berth/kind.h"

namespace berth::workloads {

class StatefulSetKind : public Kind {
 public:
  StatefulSetKind();
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

#endif  // BERTH_PLUGINS_WORKLOADS_STATEFUL_SET_KIND_H_
