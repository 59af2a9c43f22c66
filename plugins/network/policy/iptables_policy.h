// IptablesPolicy: the iptables-restore program that enforces PodRules, for
// hosts without nft. Own chains in the filter table, all named BERTHPOL*
// (not BERTH-, which the service proxy's iptables cleanup owns): BERTHPOL
// (jumped to from FORWARD and INPUT) returns established/related replies,
// then dispatches by source IP to each egress-isolated pod's chain and by
// destination IP to each ingress-isolated pod's chain. An allowed packet
// RETURNs (so the other direction's chain still decides and the rest of
// FORWARD runs), anything else hits the chain's final DROP. ipBlock
// excepts become the CIDRs left of the block. Applied with
// `iptables-restore --noflush`: declaring a chain flushes it, so each sync
// rewrites every chain in one commit and deletes the stale ones.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_NETWORK_POLICY_IPTABLES_POLICY_H_
#define BERTH_PLUGINS_NETWORK_POLICY_IPTABLES_POLICY_H_

#include <set>
#include <string>
#include <vector>

#include "policy_model.h"

namespace berth::policy {

inline constexpr char kIptablesChain[] = "BERTHPOL";

// The restore input that makes the BERTHPOL chains hold exactly `rules`,
// deleting the chains of `existing` (from IptablesPolicyChains) that are no
// longer used.
std::string IptablesPolicyRestore(const std::vector<PodRules>& rules,
                                  const std::set<std::string>& existing);

// The restore input that deletes `existing`; "" when it is empty. The
// jumps from FORWARD and INPUT must be gone first.
std::string IptablesPolicyCleanup(const std::set<std::string>& existing);

// The BERTHPOL chains of the filter table in iptables-save output.
std::set<std::string> IptablesPolicyChains(const std::string& save_output);

}  // namespace berth::policy

#endif  // BERTH_PLUGINS_NETWORK_POLICY_IPTABLES_POLICY_H_
