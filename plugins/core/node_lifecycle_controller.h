// NodeLifecycleController: kube-controller-manager's node lifecycle and
// taint-eviction controllers for one Node key. A node whose kubelet (its
// Lease in kube-node-lease, or its Ready heartbeat) has been silent past the
// grace period gets its conditions set Unknown; the node's taints follow its
// conditions (unreachable / not-ready NoSchedule and NoExecute, ...); pods
// on a node that is not Ready are marked Ready=False; pods on a node with
// NoExecute taints they do not tolerate are deleted at once, and those
// tolerating them for tolerationSeconds are deleted when that runs out.
//
// Leases and pods are not watched: a healthy node is requeued for the end
// of its grace period, one that is not Ready or has NoExecute taints every
// monitor period, so a renewal is seen in time, a recovery within one period
// (sooner when the kubelet posts Ready status, which wakes the node's key),
// and a pod bound to a tainted node is evicted within one period.
//
// Thread safety: Reconcile may run concurrently for different nodes; it
// keeps no state between calls.
#ifndef BERTH_PLUGINS_CORE_NODE_LIFECYCLE_CONTROLLER_H_
#define BERTH_PLUGINS_CORE_NODE_LIFECYCLE_CONTROLLER_H_

#include <chrono>
#include <functional>
#include <string>

#include "berth/client.h"
#include "berth/controller.h"
#include "berth/host.h"
#include "node_health.h"
#include "node_lifecycle_settings.h"

namespace berth::core {

class NodeLifecycleController : public Controller {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  // `host` must outlive the controller. `clock` defaults to the system
  // clock.
  NodeLifecycleController(Host& host, NodeLifecycleSettings settings,
                          Clock clock = nullptr);

  std::string Name() const override { return "node-lifecycle"; }
  ResourceRef Primary() const override { return {"", "v1", "nodes"}; }
  // Client errors other than NotFound are returned for retry (a Conflict
  // with a kubelet's write is the usual one).
  StatusOr<ReconcileResult> Reconcile(const ReconcileRequest& req) override;

 private:
  // Marks pods on `node` not Ready and evicts those whose NoExecute taints
  // are not (or no longer) tolerated. Returns the time until the next
  // eviction is due, zero when none is pending.
  StatusOr<std::chrono::milliseconds> SyncPods(const Json& node, bool ready,
                                               TimePoint now);

  Host& host_;
  Client& client_;
  const NodeLifecycleSettings settings_;
  const Clock clock_;
};

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_NODE_LIFECYCLE_CONTROLLER_H_
