// DaemonSetNodeWatcher: a controller over Nodes that resyncs every
// DaemonSet when a node appears, disappears, or changes what placement
// reads (labels, taints, name). Heartbeats and other status updates, which
// are most node writes, change none of that and cost one Get.
//
// Thread safety: Reconcile may run concurrently for different nodes; the
// remembered placement inputs are guarded by a mutex.
#ifndef BERTH_PLUGINS_WORKLOADS_DAEMON_SET_NODE_WATCHER_H_
#define BERTH_PLUGINS_WORKLOADS_DAEMON_SET_NODE_WATCHER_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "berth/client.h"
#include "berth/controller.h"
#include "daemon_set_controller.h"

namespace berth::workloads {

class DaemonSetNodeWatcher : public Controller {
 public:
  // `client` must outlive the watcher.
  DaemonSetNodeWatcher(Client& client,
                       std::shared_ptr<DaemonSetController> daemon_sets)
      : client_(client), daemon_sets_(std::move(daemon_sets)) {}

  std::string Name() const override { return "daemonset-nodes"; }
  ResourceRef Primary() const override { return {"", "v1", "nodes"}; }
  // Errors of the client or of a DaemonSet sync are returned for retry
  // (and the node's inputs forgotten, so the retry syncs again).
  StatusOr<ReconcileResult> Reconcile(const ReconcileRequest& req) override;

 private:
  Client& client_;
  std::shared_ptr<DaemonSetController> daemon_sets_;
  std::mutex mu_;
  // Node name -> its labels and taints as last synced.
  std::map<std::string, std::string> seen_;
};

}  // namespace berth::workloads

#endif  // BERTH_PLUGINS_WORKLOADS_DAEMON_SET_NODE_WATCHER_H_
