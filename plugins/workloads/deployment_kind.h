// DeploymentKind: the apps/v1 Deployment resource (also served as
// apps/v1beta2, which has the same fields) — defaults (replicas 1,
// RollingUpdate 25%/25%, revisionHistoryLimit 10, progressDeadlineSeconds
// 600, the pod template's), validation with Kubernetes' messages (selector
// and template, strategy, fenceposts, deadlines, immutable selector),
// status and scale subresources, kubectl's columns (READY UP-TO-DATE
// AVAILABLE AGE; wide CONTAINERS IMAGES SELECTOR), merge keys and the
// OpenAPI schemas.
//
// Thread safety: immutable after construction; all methods may be called
// concurrently.
#ifndef BERTH_PLUGINS_WORKLOADS_DEPLOYMENT_KIND_H_
#define BERTH_PLUGINS_WORKLOADS_DEPLOYMENT_KIND_H_

#include <string>

#include "berth/kind.h"

namespace berth::workloads {

class DeploymentKind : public Kind {
 public:
  DeploymentKind();

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

#endif  // BERTH_PLUGINS_WORKLOADS_DEPLOYMENT_KIND_H_
