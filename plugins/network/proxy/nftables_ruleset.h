// NftablesRuleset: the service proxy's rules for nftables, in the shape of
// kube-proxy's nftables mode: everything lives in the table
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
// NftRules is that rule set as data; two renderings feed `nft -f`:
// NftablesScript creates and deletes the table, then defines it whole (a
// first sync, or one after a failure or a crash: the old table goes in the
// same transaction), and NftablesUpdate changes only what differs between
// two rule sets (chains added, rewritten or deleted, map elements and
// affinity sets added or deleted), so one endpoint change costs a few
// commands instead of the whole table, as kube-proxy's partial syncs do.
// Both are one transaction: a resync never passes through missing rules,
// and established connections keep their conntrack NAT entries.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_NETWORK_PROXY_NFTABLES_RULESET_H_
#define BERTH_PLUGINS_NETWORK_PROXY_NFTABLES_RULESET_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "proxy_rules_config.h"
#include "service_port_model.h"

namespace berth::proxy {

inline constexpr const char* kNftTable = "berth-proxy";

struct NftRules {
  // Map name -> element key -> verdict ("goto svc-...").
  std::map<std::string, std::map<std::string, std::string>> maps;
  // Per-Service and per-endpoint chains: name -> rules, in order.
  std::map<std::string, std::vector<std::string>> chains;
  // ClientIP affinity sets: name -> timeout in seconds.
  std::map<std::string, int64_t> affinity_sets;
};

NftRules BuildNftRules(const std::vector<ServicePort>& ports,
                       const ProxyRulesConfig& config);

// The whole table, replacing whatever is there.
std::string NftablesScript(const NftRules& rules,
                           const ProxyRulesConfig& config);

// The commands that turn `old` (programmed by an earlier script) into
// `now`; "" when they are the same.
std::string NftablesUpdate(const NftRules& old, const NftRules& now);

// NftablesScript(BuildNftRules(ports, config), config).
std::string NftablesRuleset(const std::vector<ServicePort>& ports,
                            const ProxyRulesConfig& config);

// The script that removes everything the proxy wrote (the table), whether
// or not it exists.
std::string NftablesCleanup();

}  // namespace berth::proxy

#endif  // BERTH_PLUGINS_NETWORK_PROXY_NFTABLES_RULESET_H_
