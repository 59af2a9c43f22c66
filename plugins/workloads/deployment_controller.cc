#include "deployment_controller.h"

#include <chrono>

#include "berth/events.h"
#include "deployment_sync.h"

namespace berth::workloads {

StatusOr<ReconcileResult> DeploymentController::Reconcile(
    const ReconcileRequest& req) {
  auto got = host_.client().Get(Primary(), req.ns, req.name);
  if (!got.ok()) {
    if (got.status().IsNotFound()) return ReconcileResult{};
    return got.status();
  }
  auto doc = ParseJson(*got);
  if (!doc.ok()) return doc.status();
  EventSink events = [this](const Json& d, const std::string& reason,
                            const std::string& message) {
    ObjectReference regarding = ReferenceTo(d);
    regarding.api_version = "apps/v1";
    regarding.kind = "Deployment";
    host_.RecordEvent("deployment-controller", regarding, "Normal", reason,
                      message);
  };
  DeploymentSync sync(host_.client(), std::move(*doc),
                      std::chrono::system_clock::now(), std::move(events));
  auto result = sync.Run();
  // The Deployment or one of its ReplicaSets went away mid-pass; its
  // deletion event brings the next pass.
  if (!result.ok() && result.status().IsNotFound()) return ReconcileResult{};
  return result;
}

}  // namespace berth::workloads
