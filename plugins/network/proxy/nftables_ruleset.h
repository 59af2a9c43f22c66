// NftablesRuleset: the service proxy's rules as one `nft -f` script, in the
// shape of kube-proxy's nftables mode: everything lives in the table
// `ip berth-proxy`; ClusterIP and NodePort dispatch is one lookup in the
// verdict maps `service-ips` (address . protocol . port) and
// `service-nodeports` (protocol . port), so its cost does not grow with the
// number of Services; each ServicePort chain picks an endpoint with
// `numgen random` over a verdict map (after its ClientIP affinity sets);
// each endpoint chain marks hairpin traffic for masquerade and DNATs.
// Services without endpoints are rejected (ICMP unreachable / TCP reset)
// through `no-endpoint-services` and `no-endpoint-nodeports` in filter
// hooks, instead of timing out.
//
// The script first creates and deletes the table, then defines it whole,
// so `nft -f` swaps the rules in one transaction: a resync never passes
// through an empty table, and established connections keep their
// conntrack NAT entries (nothing is flushed). A crash leaves the table,
// which the next run's first script replaces the same way.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_NETWORK_PROXY_NFTABLES_RULESET_H_
#define BERTH_PLUGINS_NETWORK_PROXY_NFTABLES_RULESET_H_

#include <string>
#include <vector>

#include "proxy_rules_config.h"
#include "service_port_model.h"

namespace berth::proxy {

inline constexpr const char* kNftTable = "berth-proxy";

// The full script for `ports`.
std::string NftablesRuleset(const std::vector<ServicePort>& ports,
                            const ProxyRulesConfig& config);

// The script that removes everything the proxy wrote (the table), whether
// or not it exists.
std::string NftablesCleanup();

}  // namespace berth::proxy

#endif  // BERTH_PLUGINS_NETWORK_PROXY_NFTABLES_RULESET_H_
