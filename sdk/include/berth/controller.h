// Controller: a level-based reconciler, as in controller-runtime. The kernel
// watches the primary resource (and the owned ones, mapping each owned object
// to its controller owner), queues `{namespace, name}` keys, never runs one
// key twice at once, and retries errors with per-key exponential backoff.
// Reconcile reads current state through the Client and never trusts the
// event that woke it.
//
// Thread safety: Reconcile may be called concurrently for different keys.
#ifndef BERTH_SDK_CONTROLLER_H_
#define BERTH_SDK_CONTROLLER_H_

#include <chrono>
#include <string>
#include <vector>

#include "berth/client.h"
#include "berth/status.h"

namespace berth {

struct ReconcileRequest {
  std::string ns;  // "" for cluster-scoped
  std::string name;
};

struct ReconcileResult {
  // Zero: done until the next event. Otherwise reconcile again after this.
  std::chrono::milliseconds requeue_after{0};
};

class Controller {
 public:
  virtual ~Controller() = default;
  // Unique name for logs and metrics: "namespace", "deployment".
  virtual std::string Name() const = 0;
  // The resource whose keys are reconciled.
  virtual ResourceRef Primary() const = 0;
  // Resources whose objects map to their controller owner's key (by
  // ownerReferences with controller=true and the primary's kind).
  virtual std::vector<ResourceRef> Owns() const { return {}; }
  // Brings the world in line with the object named by `req`. A non-OK
  // Status is logged and retried with backoff.
  virtual StatusOr<ReconcileResult> Reconcile(const ReconcileRequest& req) = 0;
};

}  // namespace berth

#endif  // BERTH_SDK_CONTROLLER_H_
