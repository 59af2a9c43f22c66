// DeploymentSync: one reconcile pass of the deployment controller over one
// Deployment, following Kubernetes' syncDeployment: claim the ReplicaSets
// it controls (adopting matching orphans), keep the Progressing condition
// in step with `paused`, then either scale (paused, or the replica count
// changed) or roll out (RollingUpdate or Recreate), clean up old
// ReplicaSets beyond revisionHistoryLimit once complete, and write the
// status (counts, Available and Progressing with progressDeadlineSeconds).
// Rollout history lives in the revision annotations (revision.h), the
// arithmetic in rolling_update.h.
//
// Thread safety: one pass, one thread; an instance is used once.
#ifndef BERTH_PLUGINS_WORKLOADS_DEPLOYMENT_SYNC_H_
#define BERTH_PLUGINS_WORKLOADS_DEPLOYMENT_SYNC_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "berth/client.h"
#include "berth/controller.h"
#include "berth/json.h"
#include "rolling_update.h"

namespace berth::workloads {

// Called for each ReplicaSet scaled: the Deployment, the reason
// ("ScalingReplicaSet") and the message ("Scaled up replica set web-5d8f9
// from 0 to 3"); the controller records them as Normal events.
using EventSink =
    std::function<void(const Json& deployment, const std::string& reason,
                       const std::string& message)>;

class DeploymentSync {
 public:
  // `client` must outlive the pass; `deployment` is the object as read.
  DeploymentSync(Client& client, JsonDoc deployment,
                 std::chrono::system_clock::time_point now, EventSink events);

  // Runs the pass. A client error (a Conflict from a concurrent writer
  // included) is returned for the controller to retry; the result asks
  // for a later look while a progress deadline may pass.
  StatusOr<ReconcileResult> Run();

 private:
  using RsList = std::vector<JsonDoc*>;

  Status LoadReplicaSets();
  Status CheckPausedConditions();
  bool IsScalingEvent();
  Status SyncScaling();
  Status RolloutRolling();
  Status RolloutRecreate();
  Status SyncRevision(bool create, JsonDoc** new_rs, RsList* old);
  Status CreateNewReplicaSet(const RsList& old, int64_t new_revision,
                             JsonDoc** new_rs);
  StatusOr<bool> ScaleReplicaSet(JsonDoc& rs, int64_t size);
  Status ProportionalScale(JsonDoc* new_rs, const RsList& old);
  StatusOr<bool> ReconcileNewReplicaSet(const RsList& all, JsonDoc* new_rs);
  StatusOr<bool> ReconcileOldReplicaSets(const RsList& all, const RsList& old,
                                         JsonDoc* new_rs);
  Status Cleanup(const RsList& old);
  Status SyncRolloutStatus(const RsList& all, JsonDoc* new_rs);
  Status SyncStatusOnly(const RsList& all, JsonDoc* new_rs);
  JsonDoc CalculateStatus(const RsList& all, JsonDoc* new_rs);
  Status UpdateMetadata();
  Status UpdateStatus(const Json& status);

  int64_t Replicas() const;
  bool IsRolling() const;
  bool Paused() const;
  bool HasProgressDeadline() const;
  int64_t MaxSurge() const;
  int64_t MaxUnavailable() const;
  std::string Name() const;
  std::string Namespace() const;

  Client& client_;
  JsonDoc d_;
  const std::chrono::system_clock::time_point now_;
  const std::string now_text_;
  EventSink events_;
  std::vector<std::unique_ptr<JsonDoc>> owned_;
  std::chrono::milliseconds requeue_{0};
};

}  // namespace berth::workloads

#endif  // BERTH_PLUGINS_WORKLOADS_DEPLOYMENT_SYNC_H_
