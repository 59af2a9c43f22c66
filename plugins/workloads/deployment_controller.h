// DeploymentController: reconciles Deployments into ReplicaSets, as
// Kubernetes' deployment controller does; each pass is a DeploymentSync
// (deployment_sync.h describes what it does). ReplicaSet changes map back
// to their Deployment through Owns(), so rollouts advance as the
// ReplicaSets' pods become available.
//
// Thread safety: Reconcile may run concurrently for different
// Deployments; it keeps no state between calls.
#ifndef BERTH_PLUGINS_WORKLOADS_DEPLOYMENT_CONTROLLER_H_
#define BERTH_PLUGINS_WORKLOADS_DEPLOYMENT_CONTROLLER_H_

#include <string>
#include <vector>

#include "berth/controller.h"
#include "berth/host.h"

namespace berth::workloads {

class DeploymentController : public Controller {
 public:
  // `host` must outlive the controller.
  explicit DeploymentController(Host& host) : host_(host) {}

  std::string Name() const override { return "deployment"; }
  ResourceRef Primary() const override { return {"apps", "v1", "deployments"}; }
  std::vector<ResourceRef> Owns() const override {
    return {{"apps", "v1", "replicasets"}};
  }
  // Client errors other than NotFound are returned for retry (a NotFound
  // means something vanished mid-pass; its event triggers the next one).
  StatusOr<ReconcileResult> Reconcile(const ReconcileRequest& req) override;

 private:
  Host& host_;
};

}  // namespace berth::workloads

#endif  // BERTH_PLUGINS_WORKLOADS_DEPLOYMENT_CONTROLLER_H_
