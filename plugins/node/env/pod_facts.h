// PodFacts: what the node agent knows about a pod that is not in its spec
// yet (or not at all): the node it runs on, the IPs it got, the node's
// allocatable resources. Env resolution and downwardAPI volumes read them
// for fieldRef and resourceFieldRef.
//
// Thread safety: a value.
#ifndef BERTH_PLUGINS_NODE_ENV_POD_FACTS_H_
#define BERTH_PLUGINS_NODE_ENV_POD_FACTS_H_

#include <map>
#include <string>
#include <vector>

namespace berth::node {

struct PodFacts {
  std::string node_name;  // spec.nodeName when the pod does not say
  std::string host_ip;    // status.hostIP
  // status.podIPs, the first one is status.podIP. Empty before the network
  // is set up (the fields then resolve to "").
  std::vector<std::string> pod_ips;
  // spec.serviceAccountName when the pod does not say.
  std::string service_account_name;
  // The node's status.allocatable as quantity text ({"cpu": "4", "memory":
  // "8Gi", "ephemeral-storage": "100Gi"}): what a resourceFieldRef on an
  // unset limit reports, as the kubelet does.
  std::map<std::string, std::string> allocatable;
};

}  // namespace berth::node

#endif  // BERTH_PLUGINS_NODE_ENV_POD_FACTS_H_
