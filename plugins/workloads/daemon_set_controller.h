// DaemonSetController: keeps one pod of each DaemonSet on every eligible
// node (DaemonPlacement decides which), pinned there by node affinity for
// the scheduler to bind; deletes pods from nodes that stopped being
// eligible, failed pods (to replace them) and duplicates; replaces pods of
// an old template with RollingUpdate (at most maxUnavailable nodes without
// an available pod at once) or leaves them to the user with OnDelete; and
// writes the status counters. Nodes are watched by DaemonSetNodeWatcher,
// which calls SyncAll when a node is added, removed or changes placement.
//
// Thread safety: Reconcile and Sync may run concurrently; a per-DaemonSet
// lock serializes the syncs of one DaemonSet.
#ifndef BERTH_PLUGINS_WORKLOADS_DAEMON_SET_CONTROLLER_H_
#define BERTH_PLUGINS_WORKLOADS_DAEMON_SET_CONTROLLER_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "berth/client.h"
#include "berth/controller.h"
#include "berth/host.h"
#include "keyed_mutex.h"

namespace berth::workloads {

class DaemonSetController : public Controller {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  // `host` must outlive the controller; pods and events go through it.
  // `clock` defaults to the system clock (tests inject one).
  explicit DaemonSetController(Host& host, Clock clock = nullptr);

  std::string Name() const override { return "daemonset"; }
  ResourceRef Primary() const override;
  std::vector<ResourceRef> Owns() const override;
  // Client errors other than NotFound are returned for retry.
  StatusOr<ReconcileResult> Reconcile(const ReconcileRequest& req) override;

  // Syncs every DaemonSet in the cluster (after a node change). Returns
  // the first error after trying them all.
  Status SyncAll();

 private:
  StatusOr<ReconcileResult> Sync(const ReconcileRequest& req);

  // Records a Normal or Warning event about `obj`.
  void Event(const Json& obj, const char* type, const char* reason,
             const std::string& message);

  Host& host_;
  Client& client_;
  Clock clock_;
  KeyedMutex locks_;
};

}  // namespace berth::workloads

#endif  // BERTH_PLUGINS_WORKLOADS_DAEMON_SET_CONTROLLER_H_
