#include "nftables_ruleset.h"

#include <sstream>

#include "chain_names.h"

namespace berth::proxy {
namespace {

// The statements that dispatch to one of `eps`' chains: a plain goto for
// one, a random pick over a verdict map for more.
void WritePick(std::ostringstream& out, const ServicePort& sp,
               const std::vector<ProxyEndpoint>& eps) {
  if (eps.size() == 1) {
    out << "\t\tgoto " << EndpointChain("sep-", sp, eps[0]) << "\n";
    return;
  }
  out << "\t\tnumgen random mod " << eps.size() << " vmap { ";
  for (size_t i = 0; i < eps.size(); ++i) {
    out << (i ? ", " : "") << i << " : goto "
        << EndpointChain("sep-", sp, eps[i]);
  }
  out << " }\n";
}

void WriteAffinityChecks(std::ostringstream& out, const ServicePort& sp,
                         const std::vector<ProxyEndpoint>& eps) {
  if (sp.affinity_seconds <= 0) return;
  for (const auto& ep : eps) {
    const std::string chain = EndpointChain("sep-", sp, ep);
    out << "\t\tip saddr @" << EndpointChain("aff-", sp, ep) << " goto "
        << chain << "\n";
  }
}

}  // namespace

std::string NftablesCleanup() {
  std::ostringstream out;
  out << "table ip " << kNftTable << "\n";
  out << "delete table ip " << kNftTable << "\n";
  return out.str();
}

std::string NftablesRuleset(const std::vector<ServicePort>& ports,
                            const ProxyRulesConfig& config) {
  std::ostringstream out;
  const std::string& mark = config.masquerade_mark;
  out << NftablesCleanup();
  out << "table ip " << kNftTable << " {\n";

  // The dispatch maps.
  std::vector<std::string> service_ips, nodeports, no_ep_ips, no_ep_nodeports;
  for (const auto& sp : ports) {
    const std::string key =
        sp.cluster_ip + " . " + sp.protocol + " . " + std::to_string(sp.port);
    if (sp.cluster_endpoints.empty()) {
      no_ep_ips.push_back(key + " : goto reject-chain");
    } else {
      service_ips.push_back(key + " : goto " + ServiceChain("svc-", sp));
    }
    if (sp.node_port) {
      const std::string nkey =
          sp.protocol + " . " + std::to_string(sp.node_port);
      if (sp.external_endpoints.empty()) {
        no_ep_nodeports.push_back(nkey + " : goto reject-chain");
      } else {
        nodeports.push_back(nkey + " : goto " + ServiceChain("ext-", sp));
      }
    }
  }
  auto map = [&](const char* name, const char* type,
                 const std::vector<std::string>& elements) {
    out << "\tmap " << name << " {\n\t\ttype " << type << "\n";
    if (!elements.empty()) {
      out << "\t\telements = {\n";
      for (size_t i = 0; i < elements.size(); ++i) {
        out << "\t\t\t" << elements[i]
            << (i + 1 < elements.size() ? ",\n" : "\n");
      }
      out << "\t\t}\n";
    }
    out << "\t}\n";
  };
  map("service-ips", "ipv4_addr . inet_proto . inet_service : verdict",
      service_ips);
  map("service-nodeports", "inet_proto . inet_service : verdict", nodeports);
  map("no-endpoint-services", "ipv4_addr . inet_proto . inet_service : verdict",
      no_ep_ips);
  map("no-endpoint-nodeports", "inet_proto . inet_service : verdict",
      no_ep_nodeports);

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

  // Per ServicePort and per endpoint.
  for (const auto& sp : ports) {
    if (!sp.cluster_endpoints.empty()) {
      out << "\tchain " << ServiceChain("svc-", sp) << " {\n";
      if (!config.cluster_cidr.empty()) {
        out << "\t\tip daddr " << sp.cluster_ip
            << " ip saddr != " << config.cluster_cidr
            << " jump mark-for-masquerade\n";
      }
      WriteAffinityChecks(out, sp, sp.cluster_endpoints);
      WritePick(out, sp, sp.cluster_endpoints);
      out << "\t}\n";
    }
    if (sp.node_port && !sp.external_endpoints.empty()) {
      out << "\tchain " << ServiceChain("ext-", sp) << " {\n";
      if (!sp.external_local) {
        // The client's reply must come back here to be un-NATed.
        out << "\t\tjump mark-for-masquerade\n";
      }
      WriteAffinityChecks(out, sp, sp.external_endpoints);
      WritePick(out, sp, sp.external_endpoints);
      out << "\t}\n";
    }
    std::vector<ProxyEndpoint> all = sp.cluster_endpoints;
    for (const auto& ep : sp.external_endpoints) {
      bool seen = false;
      for (const auto& e : all) seen = seen || e == ep;
      if (!seen) all.push_back(ep);
    }
    for (const auto& ep : all) {
      if (sp.affinity_seconds > 0) {
        out << "\tset " << EndpointChain("aff-", sp, ep)
            << " {\n\t\ttype ipv4_addr\n\t\tflags dynamic,timeout\n"
               "\t\ttimeout "
            << sp.affinity_seconds << "s\n\t}\n";
      }
      out << "\tchain " << EndpointChain("sep-", sp, ep) << " {\n";
      // Hairpin: a pod reaching itself through the Service.
      out << "\t\tip saddr " << ep.ip << " jump mark-for-masquerade\n";
      if (sp.affinity_seconds > 0) {
        out << "\t\tupdate @" << EndpointChain("aff-", sp, ep)
            << " { ip saddr }\n";
      }
      out << "\t\tmeta l4proto " << sp.protocol << " dnat to " << ep.ip << ":"
          << ep.port << "\n\t}\n";
    }
  }
  out << "}\n";
  return out.str();
}

}  // namespace berth::proxy
