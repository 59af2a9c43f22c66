// NodeIpamController: kube-controller-manager's node IPAM with the range
// allocator. Every Node without spec.podCIDR gets a free node CIDR of the
// cluster CIDR as spec.podCIDR and spec.podCIDRs; no CIDR is ever given
// twice. Before the first allocation the controller learns every CIDR the
// existing Nodes hold (so a restart never hands one out again) and keeps
// the Service range out; a deleted Node's CIDR is released. When the range
// is full the Node gets a CIDRNotAvailable event and is looked at again
// later.
//
// Thread safety: Reconcile may be called concurrently; calls are
// serialized inside (node additions are rare and each is one write).
#ifndef BERTH_PLUGINS_CORE_NODE_IPAM_CONTROLLER_H_
#define BERTH_PLUGINS_CORE_NODE_IPAM_CONTROLLER_H_

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "berth/controller.h"
#include "berth/host.h"
#include "node_cidr_allocator.h"
#include "node_ipam_settings.h"
#include "service_network.h"

namespace berth::core {

class NodeIpamController : public Controller {
 public:
  // How long a Node waits for a CIDR to be freed when the range is full.
  static constexpr std::chrono::milliseconds kFullRetry{5000};

  // `host` must outlive the controller.
  NodeIpamController(Host& host, const NodeIpamSettings& settings,
                     const ServiceNetwork& services);

  std::string Name() const override { return "node-ipam"; }
  ResourceRef Primary() const override { return {"", "v1", "nodes"}; }
  // Client errors (a Conflict with another writer of the Node, the first
  // list of Nodes) are returned for retry; the CIDR taken for a write that
  // failed is released first.
  StatusOr<ReconcileResult> Reconcile(const ReconcileRequest& req) override;

 private:
  // Occupies the CIDRs of every existing Node, once.
  Status SyncLocked();

  Host& host_;
  Client& client_;
  const NodeIpamSettings settings_;
  std::mutex mu_;
  NodeCidrAllocator cidrs_;                   // guarded by mu_
  std::map<std::string, std::string> owned_;  // node -> CIDR; guarded by mu_
  bool synced_ = false;                       // guarded by mu_
};

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_NODE_IPAM_CONTROLLER_H_
