// PodGcController: the part of kube-controller-manager's pod garbage
// collector that graceful deletion needs. A pod bound to a node is deleted
// gracefully: it stays terminating until that node's agent stops it and
// deletes it with period 0. When the agent cannot do that, this controller
// deletes the pods at once (period 0), as the pod GC does:
//   - every pod bound to a Node that no longer exists (the node was
//     removed, so no agent will ever finish them);
//   - terminating pods on a node that is not Ready and carries the
//     node.kubernetes.io/out-of-service taint (an admin's statement that
//     the machine is gone).
// It is keyed by Node, so a Node's deletion or taint change triggers it.
// Unlike the real pod GC there is no periodic scan: pods bound to a node
// that was deleted while the server was down are only collected when a
// Node of that name comes and goes again.
//
// Thread safety: Reconcile may run concurrently for different nodes; it
// keeps no state between calls.
#ifndef BERTH_PLUGINS_CORE_POD_GC_CONTROLLER_H_
#define BERTH_PLUGINS_CORE_POD_GC_CONTROLLER_H_

#include <string>

#include "berth/client.h"
#include "berth/controller.h"
#include "berth/host.h"

namespace berth::core {

class PodGcController : public Controller {
 public:
  // `host` must outlive the controller.
  explicit PodGcController(Host& host);

  std::string Name() const override { return "pod-garbage-collector"; }
  ResourceRef Primary() const override { return {"", "v1", "nodes"}; }
  // Client errors other than NotFound/Conflict are returned for retry.
  StatusOr<ReconcileResult> Reconcile(const ReconcileRequest& req) override;

 private:
  Host& host_;
  Client& client_;
};

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_POD_GC_CONTROLLER_H_
