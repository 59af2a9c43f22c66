// NftablesPolicy: the nftables program that enforces PodRules — one table
// (inet berth-policy) replaced whole in one `nft -f` transaction, so a
// change never opens a gap and a restart after a crash replaces what the
// first run left. Replies to allowed connections pass (conntrack
// established/related first). Pod-to-pod traffic across the CNI bridge
// reaches the forward hook through br_netfilter (bridge-nf-call-iptables).
// Each isolated pod has a chain per direction, reached through a verdict
// map keyed by its IP: an ingress chain accepts what its rules allow, an
// egress chain returns it (so the destination's ingress chain still
// decides); both end in drop. Egress is checked on forward and input
// (traffic to the node itself); traffic the node sends is not filtered.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_NETWORK_POLICY_NFTABLES_POLICY_H_
#define BERTH_PLUGINS_NETWORK_POLICY_NFTABLES_POLICY_H_

#include <string>
#include <vector>

#include "policy_model.h"

namespace berth::policy {

inline constexpr char kNftTable[] = "berth-policy";

// The script that makes the table hold exactly `rules` (none: no table).
std::string NftablesPolicyScript(const std::vector<PodRules>& rules);

// The script that removes the table; succeeds when there is none.
std::string NftablesPolicyCleanup();

}  // namespace berth::policy

#endif  // BERTH_PLUGINS_NETWORK_POLICY_NFTABLES_POLICY_H_
