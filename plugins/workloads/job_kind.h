// JobKind: batch/v1 Job — defaulting (completions and parallelism 1,
// backoffLimit 6, completionMode NonIndexed, a generated selector on the
// batch.kubernetes.io/controller-uid label unless manualSelector), validation
// with Kubernetes' messages (the template's restartPolicy must be Never or
// OnFailure), the status subresource, `kubectl get` columns as Kubernetes
// 1.32 prints them, and its OpenAPI schemas.
//
// Thread safety: immutable after construction.
#ifndef BERTH_PLUGINS_WORKLOADS_JOB_KIND_H_
#define BERTH_PLUGINS_WORKLOADS_JOB_KIND_H_

#include <string>
#include <vector>

#include "berth/kind.h"

namespace berth::workloads {

class JobKind : public Kind {
 public:
  JobKind();
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

#endif  // BERTH_PLUGINS_WORKLOADS_JOB_KIND_H_
