#include "nftables_policy.h"

#include <sstream>

namespace berth::policy {
namespace {

std::string ChainName(const char* prefix, const std::string& ip) {
  std::string out = std::string(prefix) + ip;
  for (auto& c : out) {
    if (c == '.') c = '-';
  }
  return out;
}

bool IsV6(const std::string& a) { return a.find(':') != std::string::npos; }

std::string Quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c != '"' && c != '\\') out += c;
  }
  return out + "\"";
}

// The address match of a rule, "" when it matches every address, nullopt
// when nothing IPv4 is left to match.
bool AddressMatch(const Allow& a, const char* field, std::string& out) {
  out.clear();
  if (a.any_peer) return true;
  std::vector<std::string> v4;
  for (const auto& p : a.peers) {
    if (!IsV6(p)) v4.push_back(p);
  }
  if (v4.empty()) return false;
  out = std::string("ip ") + field + " ";
  if (v4.size() == 1) {
    out += v4[0];
  } else {
    out += "{ ";
    for (size_t i = 0; i < v4.size(); ++i) out += (i ? ", " : "") + v4[i];
    out += " }";
  }
  // Each except on its own: overlapping excepts are legal in an ipBlock
  // but not in one nft interval set.
  for (const auto& e : a.except) {
    if (!IsV6(e)) out += std::string(" ip ") + field + " != " + e;
  }
  out += " ";
  return true;
}

std::string PortMatchText(const PortMatch& p) {
  std::string out = "meta l4proto " + p.protocol + " ";
  if (p.port == 0) return out;
  out += "th dport " + std::to_string(p.port);
  if (p.end_port > p.port) out += "-" + std::to_string(p.end_port);
  return out + " ";
}

void PodChain(std::ostringstream& o, const std::string& name,
              const std::string& pod, const std::vector<Allow>& allows,
              const char* field, const char* verdict) {
  o << "  chain " << name << " {\n";
  for (const auto& a : allows) {
    std::string addr;
    if (!AddressMatch(a, field, addr)) continue;
    const std::string comment = " comment " + Quoted(a.policy);
    if (a.ports.empty()) {
      o << "    " << addr << verdict << comment << "\n";
    }
    for (const auto& p : a.ports) {
      o << "    " << addr << PortMatchText(p) << verdict << comment << "\n";
    }
  }
  o << "    counter drop comment " << Quoted(pod) << "\n  }\n";
}

void Dispatch(std::ostringstream& o, const char* name, const char* field,
              const char* prefix, const std::vector<PodRules>& rules,
              bool egress) {
  o << "  chain " << name << " {\n";
  std::string map;
  for (const auto& r : rules) {
    if (!(egress ? r.egress_isolated : r.ingress_isolated)) continue;
    map +=
        (map.empty() ? "" : ", ") + r.ip + " : jump " + ChainName(prefix, r.ip);
  }
  if (!map.empty()) {
    o << "    ip " << field << " vmap { " << map << " }\n";
  }
  o << "  }\n";
}

}  // namespace

std::string NftablesPolicyCleanup() {
  return std::string("table inet ") + kNftTable + " {}\ndelete table inet " +
         kNftTable + "\n";
}

std::string NftablesPolicyScript(const std::vector<PodRules>& rules) {
  std::ostringstream o;
  o << NftablesPolicyCleanup();
  if (rules.empty()) return o.str();
  o << "table inet " << kNftTable << " {\n";
  o << "  chain forward {\n"
       "    type filter hook forward priority filter; policy accept;\n"
       "    ct state established,related accept\n"
       "    meta nfproto ipv4 jump pod-egress\n"
       "    meta nfproto ipv4 jump pod-ingress\n"
       "  }\n";
  o << "  chain input {\n"
       "    type filter hook input priority filter; policy accept;\n"
       "    ct state established,related accept\n"
       "    meta nfproto ipv4 jump pod-egress\n"
       "  }\n";
  Dispatch(o, "pod-egress", "saddr", "eg-", rules, true);
  Dispatch(o, "pod-ingress", "daddr", "in-", rules, false);
  for (const auto& r : rules) {
    if (r.ingress_isolated) {
      PodChain(o, ChainName("in-", r.ip), r.pod, r.ingress, "saddr", "accept");
    }
    if (r.egress_isolated) {
      PodChain(o, ChainName("eg-", r.ip), r.pod, r.egress, "daddr", "return");
    }
  }
  o << "}\n";
  return o.str();
}

}  // namespace berth::policy
