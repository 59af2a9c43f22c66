// PodNetwork: what a network plugin implements to give pods their network,
// modelled on CNI as the kubelet drives it. The node agent creates each
// pod's network namespace (through its runtime), then calls SetUp once per
// sandbox; TearDown when the sandbox goes away, always, even after a failed
// SetUp. The plugin owns everything it programs (interfaces, addresses,
// routes, host ports) and must be able to tear down from a fresh process
// (after an agent restart) using only what it stored itself.
//
// Thread safety: calls for different sandboxes may run concurrently; calls
// for one sandbox are serialized by the agent.
#ifndef BERTH_SDK_NETWORK_H_
#define BERTH_SDK_NETWORK_H_

#include <string>
#include <vector>

#include "berth/status.h"

namespace berth {

struct PortMapping {
  int container_port = 0;
  int host_port = 0;
  std::string protocol = "TCP";  // "TCP", "UDP", "SCTP"
  std::string host_ip;           // empty: every address
};

struct PodNetworkRequest {
  std::string pod_namespace;
  std::string pod_name;
  std::string pod_uid;
  std::string sandbox_id;  // CNI_CONTAINERID
  std::string netns_path;  // CNI_NETNS, a path the runtime keeps mounted
  std::string ifname = "eth0";
  std::vector<PortMapping> port_mappings;  // from containers' hostPort
};

struct PodNetworkStatus {
  std::vector<std::string> ips;  // "10.88.0.5", primary first (status.podIPs)
  std::string interface_name;
};

class PodNetwork {
 public:
  virtual ~PodNetwork() = default;
  // The name a node agent's settings pick it by ("cni").
  virtual std::string Name() const = 0;
  // Called before any pod, and again when it changes: the node's
  // spec.podCIDR (may be empty when the plugin allocates on its own).
  virtual Status SetNodePodCidr(const std::string& cidr) { return {}; }
  // Attaches the sandbox. On failure the plugin has already undone what it
  // did (CNI: DEL after a failed ADD) and the Status says why in one line.
  virtual StatusOr<PodNetworkStatus> SetUp(const PodNetworkRequest& req) = 0;
  // Verifies an attachment made earlier is still as SetUp left it.
  virtual Status Check(const PodNetworkRequest& req) = 0;
  // The status SetUp returned, from the plugin's own record. NotFound when
  // the sandbox is not attached.
  virtual StatusOr<PodNetworkStatus> Inspect(const PodNetworkRequest& req) = 0;
  // Detaches the sandbox. Idempotent: tearing down what is not there (or
  // whose netns is gone) succeeds.
  virtual Status TearDown(const PodNetworkRequest& req) = 0;
};

}  // namespace berth

#endif  // BERTH_SDK_NETWORK_H_
