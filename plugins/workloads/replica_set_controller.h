// ReplicaSetController: keeps `spec.replicas` active pods for each
// ReplicaSet, as Kubernetes' replicaset controller does. It claims the pods
// its selector matches (its own, and orphans it adopts; its own that no
// longer match are released), creates missing
// ones from the template (generateName "<rs>-", a controller
// ownerReference), deletes surplus ones cheapest first (pod_state.h's
// order), and writes status: replicas, fullyLabeledReplicas,
// readyReplicas, availableReplicas (Ready for minReadySeconds; it
// reconciles again when the next pod becomes available) and
// observedGeneration. Deleted pods are replaced on the next reconcile,
// which their DELETED event triggers through Owns().
//
// Thread safety: Reconcile may run concurrently for different
// ReplicaSets; it keeps no state between calls.
#ifndef BERTH_PLUGINS_WORKLOADS_REPLICA_SET_CONTROLLER_H_
#define BERTH_PLUGINS_WORKLOADS_REPLICA_SET_CONTROLLER_H_

#include <string>
#include <vector>

#include "berth/client.h"
#include "berth/controller.h"
#include "berth/host.h"

namespace berth::workloads {

class ReplicaSetController : public Controller {
 public:
  // Most pods created or deleted in one reconcile (Kubernetes'
  // burstReplicas); the rest follow on the next.
  static constexpr int kBurstReplicas = 500;

  // `host` must outlive the controller.
  explicit ReplicaSetController(Host& host) : host_(host) {}

  std::string Name() const override { return "replicaset"; }
  ResourceRef Primary() const override { return {"apps", "v1", "replicasets"}; }
  std::vector<ResourceRef> Owns() const override {
    return {{"", "v1", "pods"}};
  }
  // Client errors other than NotFound are returned for retry.
  StatusOr<ReconcileResult> Reconcile(const ReconcileRequest& req) override;

 private:
  Host& host_;
};

}  // namespace berth::workloads

#endif  // BERTH_PLUGINS_WORKLOADS_REPLICA_SET_CONTROLLER_H_
