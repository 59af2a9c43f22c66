// PolicyModel: Kubernetes' NetworkPolicy semantics as a pure function from
// the cluster's policies, pods and namespaces to what each pod on this node
// may receive and send. A pod selected by any policy for a direction is
// isolated for it; what it may then do is the union of the matching
// policies' rules. Peers are podSelector (the policy's namespace),
// namespaceSelector (all pods there), both together (those pods in those
// namespaces) or an ipBlock less its excepts; an empty peer list allows
// everyone, an absent or empty rule list nothing. Ports match a protocol
// and a port, a range to endPort, or a named port: an ingress rule resolves
// it against the isolated pod's containerPorts, an egress rule against
// each destination pod's. policyTypes absent: Ingress, plus Egress when
// egress rules exist. Only IPv4 pod addresses are enforced.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_NETWORK_POLICY_POLICY_MODEL_H_
#define BERTH_PLUGINS_NETWORK_POLICY_POLICY_MODEL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "berth/json.h"

namespace berth::policy {

// One port clause: protocol "tcp"/"udp"/"sctp"; port 0 means every port.
struct PortMatch {
  std::string protocol;
  int port = 0;
  int end_port = 0;  // 0 or >= port: the inclusive range port..end_port
  bool operator==(const PortMatch&) const = default;
};

// Traffic one rule allows, to or from the pod: peers (addresses or CIDRs)
// less `except`, on any of `ports` (empty: every port and protocol).
// any_peer: every address.
struct Allow {
  bool any_peer = false;
  std::vector<std::string> peers;
  std::vector<std::string> except;
  std::vector<PortMatch> ports;
  std::string policy;  // "namespace/name", for comments
  bool operator==(const Allow&) const = default;
};

// What one local pod may receive (ingress) and send (egress). A direction
// not isolated allows everything and its list is empty.
struct PodRules {
  std::string pod;  // "namespace/name"
  std::string ip;
  bool ingress_isolated = false;
  bool egress_isolated = false;
  std::vector<Allow> ingress;
  std::vector<Allow> egress;
  bool operator==(const PodRules&) const = default;
};

// The rules for every pod on `node_name` (spec.nodeName) with an IPv4
// podIP, not hostNetwork and not finished, that some policy isolates;
// sorted by IP. Objects are API JSON; unparsable parts are skipped.
std::vector<PodRules> ComputePodRules(
    const std::vector<const Json*>& policies,
    const std::vector<const Json*>& pods,
    const std::vector<const Json*>& namespaces, const std::string& node_name);

// A NetworkPolicy label selector: absent or empty selects everything.
bool PolicySelectorMatches(const Json* selector, const Json* labels);

}  // namespace berth::policy

#endif  // BERTH_PLUGINS_NETWORK_POLICY_POLICY_MODEL_H_
