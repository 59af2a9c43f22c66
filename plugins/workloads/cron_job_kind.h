// CronJobKind: batch/v1 CronJob — defaulting (concurrencyPolicy Allow,
// suspend false, history limits 3 successful and 1 failed), validation of
// the schedule and time zone with Kubernetes' messages, the status
// subresource, `kubectl get` columns as Kubernetes 1.32 prints them, and its
// OpenAPI schemas.
//
// Thread safety: immutable after construction.
#ifndef BERTH_PLUGINS_WORKLOADS_CRON_JOB_KIND_H_
#define BERTH_PLUGINS_WORKLOADS_CRON_JOB_KIND_H_

#include <string>
#include <vector>

#include "berth/kind.h"

namespace berth::workloads {

class CronJobKind : public Kind {
 public:
  CronJobKind();
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

#endif  // BERTH_PLUGINS_WORKLOADS_CRON_JOB_KIND_H_
