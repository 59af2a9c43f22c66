// JobController: runs a Job's pods to completion as Kubernetes' job
// controller does — up to `parallelism` active pods until `completions`
// pods have succeeded (Indexed jobs: one per completion index), failed pods
// (and container restarts under restartPolicy OnFailure) counted against
// `backoffLimit`, `activeDeadlineSeconds` enforced from status.startTime,
// the Complete/SuccessCriteriaMet and Failed/FailureTarget conditions with
// Kubernetes' reasons, and the job deleted `ttlSecondsAfterFinished` after it
// finished. Pods are created with the generated selector's labels (set by
// JobKind's defaulting) and the job as controller owner.
//
// Thread safety: Reconcile may run concurrently for different jobs; it
// keeps no state between calls.
#ifndef BERTH_PLUGINS_WORKLOADS_JOB_CONTROLLER_H_
#define BERTH_PLUGINS_WORKLOADS_JOB_CONTROLLER_H_

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "berth/client.h"
#include "berth/controller.h"
#include "berth/host.h"

namespace berth::workloads {

class JobController : public Controller {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  // `host` must outlive the controller; pods and events go through it.
  // `clock` defaults to the system clock (tests inject one).
  explicit JobController(Host& host, Clock clock = nullptr);

  std::string Name() const override { return "job"; }
  ResourceRef Primary() const override;
  std::vector<ResourceRef> Owns() const override;
  // Client errors other than NotFound are returned for retry.
  StatusOr<ReconcileResult> Reconcile(const ReconcileRequest& req) override;

 private:
  // Records a Normal or Warning event about `obj`.
  void Event(const Json& obj, const char* type, const char* reason,
             const std::string& message);

  Host& host_;
  Client& client_;
  Clock clock_;
};

}  // namespace berth::workloads

#endif  // BERTH_PLUGINS_WORKLOADS_JOB_CONTROLLER_H_
