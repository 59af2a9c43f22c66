#include "daemon_set_node_watcher.h"

#include "controller_io.h"

namespace berth::workloads {

StatusOr<ReconcileResult> DaemonSetNodeWatcher::Reconcile(
    const ReconcileRequest& req) {
  std::string inputs;  // "" when the node is gone
  auto node = GetObject(client_, kNodes, "", req.name);
  if (node.ok()) {
    const Json* labels = Find(*node, {"metadata", "labels"});
    const Json* taints = Find(*node, {"spec", "taints"});
    inputs = "labels=" + (labels ? ToJson(*labels) : std::string("{}")) +
             " taints=" + (taints ? ToJson(*taints) : std::string("[]"));
  } else if (!node.status().IsNotFound()) {
    return node.status();
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = seen_.find(req.name);
    const bool known = it != seen_.end();
    if (known && it->second == inputs) return ReconcileResult{};
    if (!known && inputs.empty()) return ReconcileResult{};
    if (inputs.empty()) {
      seen_.erase(it);
    } else {
      seen_[req.name] = inputs;
    }
  }
  if (Status s = daemon_sets_->SyncAll(); !s.ok()) {
    std::lock_guard<std::mutex> lock(mu_);
    seen_.erase(req.name);
    return s;
  }
  return ReconcileResult{};
}

}  // namespace berth::workloads
