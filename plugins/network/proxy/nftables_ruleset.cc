#include "nftables_ruleset.h"

#include <set>
#include <sstream>

#include "chain_names.h"

namespace berth::proxy {
namespace {

constexpr const char* kServiceIps = "service-ips";
constexpr const char* kServiceNodePorts = "service-nodeports";
constexpr const char* kNoEndpointServices = "no-endpoint-services";
constexpr const char* kNoEndpointNodePorts = "no-endpoint-nodeports";

// The rule that dispatches to one of `eps`' chains: a plain goto for one,
// a random pick over a verdict map for more.
std::string Pick(const ServicePort& sp, const std::vector<ProxyEndpoint>& eps) {
  if (eps.size() == 1) return "goto " + EndpointChain("sep-", sp, eps[0]);
  std::string rule =
      "numgen random mod " + std::to_string(eps.size()) + " vmap { ";
  for (size_t i = 0; i < eps.size(); ++i) {
    rule += (i ? ", " : "") + std::to_string(i) + " : goto " +
            EndpointChain("sep-", sp, eps[i]);
  }
  return rule + " }";
}

void AddAffinityChecks(std::vector<std::string>& rules, const ServicePort& sp,
                       const std::vector<ProxyEndpoint>& eps) {
  if (sp.affinity_seconds <= 0) return;
  for (const auto& ep : eps) {
    rules.push_back("ip saddr @" + EndpointChain("aff-", sp, ep) + " goto " +
                    EndpointChain("sep-", sp, ep));
  }
}

std::string Prefix() { return std::string(" ip ") + kNftTable + " "; }

}  // namespace

NftRules BuildNftRules(const std::vector<ServicePort>& ports,
                       const ProxyRulesConfig& config) {
  NftRules out;
  for (const char* m : {kServiceIps, kServiceNodePorts, kNoEndpointServices,
                        kNoEndpointNodePorts}) {
    out.maps[m];
  }
  for (const auto& sp : ports) {
    const std::string key =
        sp.cluster_ip + " . " + sp.protocol + " . " + std::to_string(sp.port);
    if (sp.cluster_endpoints.empty()) {
      out.maps[kNoEndpointServices][key] = "goto reject-chain";
    } else {
      out.maps[kServiceIps][key] = "goto " + ServiceChain("svc-", sp);
      auto& rules = out.chains[ServiceChain("svc-", sp)];
      if (!config.cluster_cidr.empty()) {
        rules.push_back("ip daddr " + sp.cluster_ip + " ip saddr != " +
                        config.cluster_cidr + " jump mark-for-masquerade");
      }
      AddAffinityChecks(rules, sp, sp.cluster_endpoints);
      rules.push_back(Pick(sp, sp.cluster_endpoints));
    }
    if (sp.node_port) {
      const std::string nkey =
          sp.protocol + " . " + std::to_string(sp.node_port);
      if (sp.external_endpoints.empty()) {
        out.maps[kNoEndpointNodePorts][nkey] = "goto reject-chain";
      } else {
        out.maps[kServiceNodePorts][nkey] = "goto " + ServiceChain("ext-", sp);
        auto& rules = out.chains[ServiceChain("ext-", sp)];
        // The client's reply must come back here to be un-NATed; Local
        // keeps the client's address.
        if (!sp.external_local) rules.push_back("jump mark-for-masquerade");
        AddAffinityChecks(rules, sp, sp.external_endpoints);
        rules.push_back(Pick(sp, sp.external_endpoints));
      }
    }
    for (const auto& ep : AllEndpoints(sp)) {
      auto& rules = out.chains[EndpointChain("sep-", sp, ep)];
      // Hairpin: a pod reaching itself through the Service.
      rules.push_back("ip saddr " + ep.ip + " jump mark-for-masquerade");
      if (sp.affinity_seconds > 0) {
        const std::string set = EndpointChain("aff-", sp, ep);
        out.affinity_sets[set] = sp.affinity_seconds;
        rules.push_back("update @" + set + " { ip saddr }");
      }
      rules.push_back("meta l4proto " + sp.protocol + " dnat to " + ep.ip +
                      ":" + std::to_string(ep.port));
    }
  }
  return out;
}

std::string NftablesCleanup() {
  std::ostringstream out;
  out << "table ip " << kNftTable << "\n";
  out << "delete table ip " << kNftTable << "\n";
  return out.str();
}

std::string NftablesScript(const NftRules& rules,
                           const ProxyRulesConfig& config) {
  std::ostringstream out;
  const std::string& mark = config.masquerade_mark;
  out << NftablesCleanup();
  out << "table ip " << kNftTable << " {\n";
  auto map = [&](const char* name, const char* type) {
    out << "\tmap " << name << " {\n\t\ttype " << type << "\n";
    auto it = rules.maps.find(name);
    if (it != rules.maps.end() && !it->second.empty()) {
      out << "\t\telements = {\n";
      size_t i = 0;
      for (const auto& [key, verdict] : it->second) {
        out << "\t\t\t" << key << " : " << verdict
            << (++i < it->second.size() ? ",\n" : "\n");
      }
      out << "\t\t}\n";
    }
    out << "\t}\n";
  };
  map(kServiceIps, "ipv4_addr . inet_proto . inet_service : verdict");
  map(kServiceNodePorts, "inet_proto . inet_service : verdict");
  map(kNoEndpointServices, "ipv4_addr . inet_proto . inet_service : verdict");
  map(kNoEndpointNodePorts, "inet_proto . inet_service : verdict");

  // Base chains and the shared ones.
  out << "\tchain reject-chain {\n\t\treject\n\t}\n";
  out << "\tchain filter-input {\n"
         "\t\ttype filter hook input priority -110; policy accept;\n"
         "\t\tct state new ip daddr . meta l4proto . th dport vmap "
         "@no-endpoint-services\n"
         "\t\tct state new fib daddr type local meta l4proto . th dport vmap "
         "@no-endpoint-nodeports\n\t}\n";
  out << "\tchain filter-forward {\n"
         "\t\ttype filter hook forward priority -110; policy accept;\n"
         "\t\tct state new ip daddr . meta l4proto . th dport vmap "
         "@no-endpoint-services\n\t}\n";
  out << "\tchain filter-output {\n"
         "\t\ttype filter hook output priority -110; policy accept;\n"
         "\t\tct state new ip daddr . meta l4proto . th dport vmap "
         "@no-endpoint-services\n"
         "\t\tct state new fib daddr type local meta l4proto . th dport vmap "
         "@no-endpoint-nodeports\n\t}\n";
  out << "\tchain nat-prerouting {\n"
         "\t\ttype nat hook prerouting priority -100; policy accept;\n"
         "\t\tjump services\n\t}\n";
  out << "\tchain nat-output {\n"
         "\t\ttype nat hook output priority -100; policy accept;\n"
         "\t\tjump services\n\t}\n";
  out << "\tchain nat-postrouting {\n"
         "\t\ttype nat hook postrouting priority 100; policy accept;\n"
         "\t\tjump masquerading\n\t}\n";
  out << "\tchain masquerading {\n"
         "\t\tmeta mark & "
      << mark << " == 0 return\n\t\tmeta mark set meta mark ^ " << mark
      << "\n\t\tmasquerade fully-random\n\t}\n";
  out << "\tchain mark-for-masquerade {\n\t\tmeta mark set meta mark | " << mark
      << "\n\t}\n";
  out << "\tchain services {\n"
         "\t\tip daddr . meta l4proto . th dport vmap @service-ips\n"
         "\t\tip daddr != 127.0.0.0/8 fib daddr type local meta l4proto . th "
         "dport vmap @service-nodeports\n\t}\n";

  for (const auto& [name, timeout] : rules.affinity_sets) {
    out << "\tset " << name
        << " {\n\t\ttype ipv4_addr\n\t\tflags dynamic,timeout\n"
           "\t\ttimeout "
        << timeout << "s\n\t}\n";
  }
  for (const auto& [name, body] : rules.chains) {
    out << "\tchain " << name << " {\n";
    for (const auto& rule : body) out << "\t\t" << rule << "\n";
    out << "\t}\n";
  }
  out << "}\n";
  return out.str();
}

std::string NftablesUpdate(const NftRules& old, const NftRules& now) {
  std::ostringstream out;
  const std::string in = Prefix();
  // 1. Every new chain and set exists before any rule names it.
  for (const auto& [name, timeout] : now.affinity_sets) {
    if (!old.affinity_sets.count(name)) {
      out << "add set" << in << name
          << " { type ipv4_addr; flags dynamic,timeout; timeout " << timeout
          << "s; }\n";
    }
  }
  for (const auto& [name, body] : now.chains) {
    if (!old.chains.count(name)) out << "add chain" << in << name << "\n";
  }
  // 2. New and changed chains get their rules.
  for (const auto& [name, body] : now.chains) {
    auto was = old.chains.find(name);
    if (was != old.chains.end()) {
      if (was->second == body) continue;
      out << "flush chain" << in << name << "\n";
    }
    for (const auto& rule : body) {
      out << "add rule" << in << name << " " << rule << "\n";
    }
  }
  // 3. Map elements: the ones that went or changed out, then the new ones.
  for (const auto& [map, elements] : now.maps) {
    auto was = old.maps.find(map);
    std::vector<std::string> removed, added;
    if (was != old.maps.end()) {
      for (const auto& [key, verdict] : was->second) {
        auto it = elements.find(key);
        if (it == elements.end() || it->second != verdict) {
          removed.push_back(key);
        }
      }
    }
    for (const auto& [key, verdict] : elements) {
      const bool had = was != old.maps.end() && was->second.count(key) &&
                       was->second.at(key) == verdict;
      if (!had) added.push_back(key + " : " + verdict);
    }
    auto list = [&](const char* verb, const std::vector<std::string>& items) {
      if (items.empty()) return;
      out << verb << " element" << in << map << " { ";
      for (size_t i = 0; i < items.size(); ++i) {
        out << (i ? ", " : "") << items[i];
      }
      out << " }\n";
    };
    list("delete", removed);
    list("add", added);
  }
  // 4. Chains that went: emptied first (they may jump to each other), then
  // deleted; then the sets their rules used.
  std::vector<std::string> gone;
  for (const auto& [name, body] : old.chains) {
    if (!now.chains.count(name)) gone.push_back(name);
  }
  for (const auto& name : gone) out << "flush chain" << in << name << "\n";
  for (const auto& name : gone) out << "delete chain" << in << name << "\n";
  for (const auto& [name, timeout] : old.affinity_sets) {
    if (!now.affinity_sets.count(name)) {
      out << "delete set" << in << name << "\n";
    }
  }
  return out.str();
}

std::string NftablesRuleset(const std::vector<ServicePort>& ports,
                            const ProxyRulesConfig& config) {
  return NftablesScript(BuildNftRules(ports, config), config);
}

}  // namespace berth::proxy
