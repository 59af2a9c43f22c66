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
// OrphanPodGcController, keyed by Pod, finds the orphans no Node event
// names (their node was deleted while the server was down, or never
// existed): a pod bound to a missing node is deleted once the node has
// stayed missing for the quarantine (the pod GC's 40 s), so a node that is
// just registering keeps its pods.
//
// Thread safety: PodGcController's Reconcile may run concurrently for
// different nodes and keeps no state between calls; OrphanPodGcController
// keeps when it first saw each orphan under a mutex.
#ifndef BERTH_PLUGINS_CORE_POD_GC_CONTROLLER_H_
#define BERTH_PLUGINS_CORE_POD_GC_CONTROLLER_H_

#include <chrono>
#include <map>
#include <mutex>
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

class OrphanPodGcController : public Controller {
 public:
  // `host` must outlive the controller.
  explicit OrphanPodGcController(
      Host& host, std::chrono::seconds quarantine = std::chrono::seconds(40))
      : host_(host), quarantine_(quarantine) {}

  std::string Name() const override { return "pod-garbage-collector-orphans"; }
  ResourceRef Primary() const override { return {"", "v1", "pods"}; }
  // Client errors other than NotFound/Conflict are returned for retry.
  StatusOr<ReconcileResult> Reconcile(const ReconcileRequest& req) override;

 private:
  Host& host_;
  const std::chrono::seconds quarantine_;
  std::mutex mu_;
  // "<ns>/<name>" of pods seen bound to a missing node, and when.
  std::map<std::string, std::chrono::steady_clock::time_point> first_seen_;
};

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_POD_GC_CONTROLLER_H_
