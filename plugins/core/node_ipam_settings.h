// NodeIpamSettings: the core plugin settings of node IPAM, as
// kube-controller-manager's flags: whether Nodes get pod CIDRs
// (`allocateNodeCIDRs`), the range they come from (`clusterCIDR`) and the
// size of each (`nodeCIDRMaskSize`).
//
// Thread safety: values.
#ifndef BERTH_PLUGINS_CORE_NODE_IPAM_SETTINGS_H_
#define BERTH_PLUGINS_CORE_NODE_IPAM_SETTINGS_H_

#include <cstdint>
#include <string>

#include "berth/status.h"

namespace berth::core {

struct NodeIpamSettings {
  bool allocate = true;
  std::string cluster_cidr = "10.244.0.0/16";  // as written, for messages
  uint32_t network = 0x0af40000;               // host order
  int prefix = 16;
  int node_mask_size = 24;

  // How many node CIDRs the cluster CIDR holds.
  uint32_t Count() const { return uint32_t(1) << (node_mask_size - prefix); }
};

// Reads `allocateNodeCIDRs` (bool), `clusterCIDR` (an IPv4 CIDR) and
// `nodeCIDRMaskSize` (an integer) from the plugin's settings JSON; absent
// keys keep the defaults. Invalid naming the setting when a value is
// malformed, the node mask is shorter than the cluster's, longer than /30,
// or more than 16 bits longer (kube-controller-manager's limit).
StatusOr<NodeIpamSettings> ParseNodeIpamSettings(
    const std::string& settings_json);

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_NODE_IPAM_SETTINGS_H_
