// IptablesRuleset: the service proxy's rules for hosts without nftables,
// as kube-proxy's iptables mode writes them: one `iptables-restore
// --noflush` batch that rewrites only the proxy's own chains (BERTH-*) in
// the nat and filter tables, and of those only the Services' chains that
// changed when the caller knows what it wrote last. BERTH-SERVICES matches
// each ClusterIP and port and jumps to the ServicePort's BERTH-SVC-* chain,
// which picks an endpoint with `statistic --mode random` (after `recent`
// ClientIP affinity checks); each BERTH-SEP-* chain marks hairpin traffic and
// DNATs; BERTH-NODEPORTS handles local-address NodePorts; BERTH-POSTROUTING
// masquerades marked packets; the filter table's BERTH-SERVICES rejects
// Services without endpoints. Chains of Services that went are flushed and
// deleted in the same batch. The built-in chains only get one jump each
// (IptablesJumps), added once.
//
// iptables-restore applies a table's batch atomically, and nothing in the
// conntrack table is touched, so live connections keep their NAT.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_NETWORK_PROXY_IPTABLES_RULESET_H_
#define BERTH_PLUGINS_NETWORK_PROXY_IPTABLES_RULESET_H_

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "proxy_rules_config.h"
#include "service_port_model.h"

namespace berth::proxy {

// Every chain the proxy owns starts with this.
inline constexpr const char* kIptablesPrefix = "BERTH-";

// The rules of each Service's own chains (BERTH-SVC-*, BERTH-EXT-*,
// BERTH-SEP-*) for `ports`, by chain name, each as `-A` lines.
std::map<std::string, std::string> IptablesServiceChainRules(
    const std::vector<ServicePort>& ports, const ProxyRulesConfig& config);

// The `iptables-restore --noflush` input for `ports`: the top-level chains
// (BERTH-SERVICES, BERTH-NODEPORTS, BERTH-POSTROUTING, BERTH-MARK-MASQ) and
// the filter table's BERTH-SERVICES whole, and of `service_chains` (what
// IptablesServiceChainRules gives) those `write_chain(name, rules)` says to
// write, all when it is empty — as kube-proxy's partial syncs write only the
// chains of Services that changed. `existing_nat_chains` names chains of the
// proxy that exist now (from `iptables-save`, or the last batch); those the
// new rules do not use are deleted.
std::string IptablesRuleset(
    const std::vector<ServicePort>& ports, const ProxyRulesConfig& config,
    const std::set<std::string>& existing_nat_chains,
    const std::map<std::string, std::string>& service_chains,
    const std::function<bool(const std::string&, const std::string&)>&
        write_chain);
// The same with every chain written.
std::string IptablesRuleset(const std::vector<ServicePort>& ports,
                            const ProxyRulesConfig& config,
                            const std::set<std::string>& existing_nat_chains);

// The nat chains a batch with `service_chains` (IptablesServiceChainRules)
// leaves: the top-level ones and the Services' own.
std::set<std::string> IptablesNatChains(
    const std::map<std::string, std::string>& service_chains);

// A jump from a built-in chain into the proxy's chains.
struct IptablesJump {
  std::string table;
  std::string chain;   // built-in: PREROUTING, OUTPUT...
  std::string target;  // BERTH-SERVICES...
  // The arguments after `-t table -X chain`, for -C, -I and -D alike.
  std::vector<std::string> Args() const;
};
std::vector<IptablesJump> IptablesJumps();

// The `iptables-restore --noflush` input that empties and deletes every
// proxy chain in `nat_chains` and `filter_chains` (the jumps must be gone
// first).
std::string IptablesCleanup(const std::set<std::string>& nat_chains,
                            const std::set<std::string>& filter_chains);

// The BERTH-* chain names declared in `iptables-save` output for `table`.
std::set<std::string> ProxyChainsIn(const std::string& save_output,
                                    const std::string& table);

}  // namespace berth::proxy

#endif  // BERTH_PLUGINS_NETWORK_PROXY_IPTABLES_RULESET_H_
