// CronJobController: creates a CronJob's Jobs on its schedule, as
// Kubernetes' cronjob controller (v2) does. At each reconcile it finds the
// most recent unmet schedule time since status.lastScheduleTime (or the
// creation time), honouring startingDeadlineSeconds, and creates the Job
// `<cronjob>-<scheduled minutes since the epoch>` from spec.jobTemplate —
// unless suspended, or concurrencyPolicy Forbid finds a job still active
// (Replace deletes the active ones first). It records status.active,
// lastScheduleTime and lastSuccessfulTime, deletes finished jobs beyond the
// history limits, and asks to be reconciled again at the next schedule
// time (requeue_after).
//
// Thread safety: Reconcile may run concurrently for different cron jobs;
// it keeps no state between calls.
#ifndef BERTH_PLUGINS_WORKLOADS_CRON_JOB_CONTROLLER_H_
#define BERTH_PLUGINS_WORKLOADS_CRON_JOB_CONTROLLER_H_

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "berth/client.h"
#include "berth/controller.h"
#include "berth/host.h"

namespace berth::workloads {

class CronJobController : public Controller {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  // `host` must outlive the controller; pods and events go through it.
  // `clock` defaults to the system clock (tests inject one).
  explicit CronJobController(Host& host, Clock clock = nullptr);

  std::string Name() const override { return "cronjob"; }
  ResourceRef Primary() const override;
  std::vector<ResourceRef> Owns() const override;
  // Client errors other than NotFound and AlreadyExists (the job of that
  // time exists) are returned for retry. An unparsable schedule is not
  // retried.
  StatusOr<ReconcileResult> Reconcile(const ReconcileRequest& req) override;

 private:
  // Records a Normal or Warning event about `obj`.
  void Event(const Json& obj, const char* type, const char* reason,
             const std::string& message);

  Host& host_;
  Client& client_;
  Clock clock_;
};

// The name of the Job for the run scheduled at `t`:
// "<cronjob>-<minutes since the epoch>".
std::string ScheduledJobName(const std::string& cron_job,
                             std::chrono::system_clock::time_point t);

}  // namespace berth::workloads

#endif  // BERTH_PLUGINS_WORKLOADS_CRON_JOB_CONTROLLER_H_
