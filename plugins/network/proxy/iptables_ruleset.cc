#include "iptables_ruleset.h"

#include <cstdio>
#include <sstream>
#include <utility>

#include "chain_names.h"

namespace berth::proxy {
namespace {

constexpr const char* kServices = "BERTH-SERVICES";
constexpr const char* kNodePorts = "BERTH-NODEPORTS";
constexpr const char* kPostrouting = "BERTH-POSTROUTING";
constexpr const char* kMarkMasq = "BERTH-MARK-MASQ";
constexpr const char* kFilterServices = "BERTH-SERVICES";

std::string Svc(const ServicePort& sp) {
  return ServiceChain("BERTH-SVC-", sp);
}
std::string Ext(const ServicePort& sp) {
  return ServiceChain("BERTH-EXT-", sp);
}
std::string Sep(const ServicePort& sp, const ProxyEndpoint& ep) {
  // 26 characters, within the 28 iptables allows.
  return EndpointChain("BERTH-SEP-", sp, ep);
}

std::string Comment(const ServicePort& sp) {
  return " -m comment --comment \"" + sp.ns + "/" + sp.name + ":" +
         sp.port_name + "\"";
}

std::string Match(const ServicePort& sp, int64_t port) {
  return " -p " + sp.protocol + " -m " + sp.protocol + " --dport " +
         std::to_string(port);
}

// Affinity checks, then the random pick kube-proxy writes: endpoint i of n
// is taken with probability 1/(n-i), the last always.
void WritePick(std::ostringstream& out, const std::string& chain,
               const ServicePort& sp, const std::vector<ProxyEndpoint>& eps) {
  if (sp.affinity_seconds > 0) {
    for (const auto& ep : eps) {
      out << "-A " << chain << Comment(sp) << " -m recent --name "
          << Sep(sp, ep)
          << " --mask 255.255.255.255 --rsource --rcheck --seconds "
          << sp.affinity_seconds << " --reap -j " << Sep(sp, ep) << "\n";
    }
  }
  for (size_t i = 0; i < eps.size(); ++i) {
    out << "-A " << chain << Comment(sp);
    if (i + 1 < eps.size()) {
      char p[32];
      std::snprintf(p, sizeof(p), "%0.10f",
                    1.0 / static_cast<double>(eps.size() - i));
      out << " -m statistic --mode random --probability " << p;
    }
    out << " -j " << Sep(sp, eps[i]) << "\n";
  }
}

}  // namespace

std::vector<std::string> IptablesJump::Args() const {
  return {"-m", "comment", "--comment", "berth service proxy", "-j", target};
}

std::vector<IptablesJump> IptablesJumps() {
  return {{"nat", "PREROUTING", kServices},
          {"nat", "OUTPUT", kServices},
          {"nat", "POSTROUTING", kPostrouting},
          {"filter", "INPUT", kFilterServices},
          {"filter", "FORWARD", kFilterServices},
          {"filter", "OUTPUT", kFilterServices}};
}

std::set<std::string> IptablesNatChains(
    const std::map<std::string, std::string>& service_chains) {
  std::set<std::string> chains = {kServices, kNodePorts, kPostrouting,
                                  kMarkMasq};
  for (const auto& chain : service_chains) chains.insert(chain.first);
  return chains;
}

std::map<std::string, std::string> IptablesServiceChainRules(
    const std::vector<ServicePort>& ports, const ProxyRulesConfig& config) {
  std::map<std::string, std::string> chains;
  for (const auto& sp : ports) {
    if (!sp.cluster_endpoints.empty()) {
      std::ostringstream out;
      if (!config.cluster_cidr.empty()) {
        out << "-A " << Svc(sp) << Comment(sp) << " ! -s "
            << config.cluster_cidr << " -d " << sp.cluster_ip << "/32"
            << Match(sp, sp.port) << " -j " << kMarkMasq << "\n";
      }
      WritePick(out, Svc(sp), sp, sp.cluster_endpoints);
      chains[Svc(sp)] = out.str();
    }
    if (sp.node_port && !sp.external_endpoints.empty()) {
      std::ostringstream out;
      if (!sp.external_local) {
        out << "-A " << Ext(sp) << Comment(sp) << " -j " << kMarkMasq << "\n";
      }
      WritePick(out, Ext(sp), sp, sp.external_endpoints);
      chains[Ext(sp)] = out.str();
    }
    for (const auto& ep : AllEndpoints(sp)) {
      const std::string sep = Sep(sp, ep);
      std::ostringstream out;
      out << "-A " << sep << Comment(sp) << " -s " << ep.ip << "/32 -j "
          << kMarkMasq << "\n";
      out << "-A " << sep << Comment(sp) << " -p " << sp.protocol;
      if (sp.affinity_seconds > 0) {
        out << " -m recent --name " << sep
            << " --mask 255.255.255.255 --rsource --set";
      }
      out << " -m " << sp.protocol << " -j DNAT --to-destination " << ep.ip
          << ":" << ep.port << "\n";
      chains[sep] = out.str();
    }
  }
  return chains;
}

std::string IptablesRuleset(
    const std::vector<ServicePort>& ports, const ProxyRulesConfig& config,
    const std::set<std::string>& existing_nat_chains,
    const std::map<std::string, std::string>& service_chains,
    const std::function<bool(const std::string&, const std::string&)>&
        write_chain) {
  const std::string& mark = config.masquerade_mark;
  std::ostringstream out;
  out << "*nat\n";
  // Declaring a chain flushes it: the top-level chains always, a Service's
  // own chains only when they are written.
  for (const char* c : {kServices, kNodePorts, kPostrouting, kMarkMasq}) {
    out << ":" << c << " - [0:0]\n";
  }
  std::vector<const std::pair<const std::string, std::string>*> written;
  for (const auto& chain : service_chains) {
    if (write_chain && !write_chain(chain.first, chain.second)) continue;
    written.push_back(&chain);
    out << ":" << chain.first << " - [0:0]\n";
  }
  const std::set<std::string> wanted = IptablesNatChains(service_chains);
  std::vector<std::string> stale;
  for (const auto& c : existing_nat_chains) {
    if (wanted.count(c)) continue;
    stale.push_back(c);
    out << ":" << c << " - [0:0]\n";
  }
  out << "-A " << kMarkMasq << " -j MARK --or-mark " << mark << "\n";
  out << "-A " << kPostrouting << " -m mark ! --mark " << mark << "/" << mark
      << " -j RETURN\n";
  out << "-A " << kPostrouting << " -j MARK --xor-mark " << mark << "\n";
  out << "-A " << kPostrouting << " -j MASQUERADE --random-fully\n";
  for (const auto& sp : ports) {
    if (sp.cluster_endpoints.empty()) continue;
    out << "-A " << kServices << Comment(sp) << " -d " << sp.cluster_ip << "/32"
        << Match(sp, sp.port) << " -j " << Svc(sp) << "\n";
  }
  out << "-A " << kServices
      << " -m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j " << kNodePorts
      << "\n";
  for (const auto& sp : ports) {
    if (!sp.node_port || sp.external_endpoints.empty()) continue;
    out << "-A " << kNodePorts << Comment(sp) << Match(sp, sp.node_port)
        << " -j " << Ext(sp) << "\n";
  }
  for (const auto* chain : written) out << chain->second;
  for (const auto& c : stale) out << "-X " << c << "\n";
  out << "COMMIT\n";

  // Services without endpoints are refused at once.
  out << "*filter\n:" << kFilterServices << " - [0:0]\n";
  for (const auto& sp : ports) {
    if (sp.cluster_endpoints.empty()) {
      out << "-A " << kFilterServices << Comment(sp)
          << " -m conntrack --ctstate NEW -d " << sp.cluster_ip << "/32"
          << Match(sp, sp.port) << " -j REJECT\n";
    }
    if (sp.node_port && sp.external_endpoints.empty()) {
      out << "-A " << kFilterServices << Comment(sp)
          << " -m conntrack --ctstate NEW -m addrtype --dst-type LOCAL"
          << Match(sp, sp.node_port) << " -j REJECT\n";
    }
  }
  out << "COMMIT\n";
  return out.str();
}

std::string IptablesRuleset(const std::vector<ServicePort>& ports,
                            const ProxyRulesConfig& config,
                            const std::set<std::string>& existing_nat_chains) {
  return IptablesRuleset(ports, config, existing_nat_chains,
                         IptablesServiceChainRules(ports, config), nullptr);
}

std::string IptablesCleanup(const std::set<std::string>& nat_chains,
                            const std::set<std::string>& filter_chains) {
  std::ostringstream out;
  auto table = [&](const char* name, const std::set<std::string>& chains) {
    if (chains.empty()) return;
    out << "*" << name << "\n";
    for (const auto& c : chains) out << ":" << c << " - [0:0]\n";
    for (const auto& c : chains) out << "-X " << c << "\n";
    out << "COMMIT\n";
  };
  table("nat", nat_chains);
  table("filter", filter_chains);
  return out.str();
}

std::set<std::string> ProxyChainsIn(const std::string& save_output,
                                    const std::string& table) {
  std::set<std::string> out;
  std::istringstream in(save_output);
  std::string line;
  bool inside = false;
  const std::string prefix = std::string(":") + kIptablesPrefix;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == '*') inside = line.substr(1) == table;
    if (inside && line.rfind(prefix, 0) == 0) {
      out.insert(line.substr(1, line.find(' ') - 1));
    }
  }
  return out;
}

}  // namespace berth::proxy
