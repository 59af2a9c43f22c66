#include "iptables_policy.h"

#include <sstream>

#include "cidr.h"

namespace berth::policy {
namespace {

const std::string kEgress = std::string(kIptablesChain) + "-EGRESS";
const std::string kIngress = std::string(kIptablesChain) + "-INGRESS";

std::string PodChain(const char* dir, const std::string& ip) {
  std::string out = std::string(kIptablesChain) + "-" + dir + "-" + ip;
  for (auto& c : out) {
    if (c == '.') c = '-';
  }
  return out;
}

std::string Comment(const std::string& s) {
  std::string out = "-m comment --comment \"";
  for (char c : s) {
    if (c != '"' && c != '\\') out += c;
  }
  return out + "\"";
}

// The address matches of one Allow ("" = any address); empty when none is
// left (IPv6 only, or excepts covering the block).
std::vector<std::string> Addresses(const Allow& a, const char* flag) {
  if (a.any_peer) return {""};
  std::vector<std::string> out;
  for (const auto& p : a.peers) {
    std::vector<std::string> cidrs;
    if (p.find('/') == std::string::npos) {
      if (p.find(':') == std::string::npos) cidrs.push_back(p + "/32");
    } else if (auto block = ParseCidr(p)) {
      std::vector<Cidr> except;
      for (const auto& e : a.except) {
        if (auto c = ParseCidr(e)) except.push_back(*c);
      }
      cidrs = SubtractCidrs(*block, except);
    }
    for (const auto& c : cidrs)
      out.push_back(std::string(flag) + " " + c + " ");
  }
  return out;
}

std::string Ports(const PortMatch& p) {
  std::string out = "-p " + p.protocol + " ";
  if (p.port == 0) return out;
  out += "-m " + p.protocol + " --dport " + std::to_string(p.port);
  if (p.end_port > p.port) out += ":" + std::to_string(p.end_port);
  return out + " ";
}

void Chain(std::ostringstream& o, const std::string& chain,
           const std::string& pod, const std::vector<Allow>& allows,
           const char* flag) {
  for (const auto& a : allows) {
    for (const auto& addr : Addresses(a, flag)) {
      if (a.ports.empty()) {
        o << "-A " << chain << " " << addr << Comment(a.policy)
          << " -j RETURN\n";
      }
      for (const auto& p : a.ports) {
        o << "-A " << chain << " " << addr << Ports(p) << Comment(a.policy)
          << " -j RETURN\n";
      }
    }
  }
  o << "-A " << chain << " " << Comment(pod) << " -j DROP\n";
}

}  // namespace

std::string IptablesPolicyRestore(const std::vector<PodRules>& rules,
                                  const std::set<std::string>& existing) {
  std::set<std::string> chains = {kIptablesChain, kEgress, kIngress};
  for (const auto& r : rules) {
    if (r.ingress_isolated) chains.insert(PodChain("IN", r.ip));
    if (r.egress_isolated) chains.insert(PodChain("EG", r.ip));
  }
  std::ostringstream o;
  o << "*filter\n";
  for (const auto& c : chains) o << ":" << c << " - [0:0]\n";
  for (const auto& c : existing) {
    if (!chains.count(c)) o << ":" << c << " - [0:0]\n";
  }
  o << "-A " << kIptablesChain
    << " -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN\n";
  o << "-A " << kIptablesChain << " -j " << kEgress << "\n";
  o << "-A " << kIptablesChain << " -j " << kIngress << "\n";
  for (const auto& r : rules) {
    if (r.egress_isolated) {
      o << "-A " << kEgress << " -s " << r.ip << "/32 -j "
        << PodChain("EG", r.ip) << "\n";
    }
    if (r.ingress_isolated) {
      o << "-A " << kIngress << " -d " << r.ip << "/32 -j "
        << PodChain("IN", r.ip) << "\n";
    }
  }
  for (const auto& r : rules) {
    if (r.ingress_isolated) {
      Chain(o, PodChain("IN", r.ip), r.pod, r.ingress, "-s");
    }
    if (r.egress_isolated) {
      Chain(o, PodChain("EG", r.ip), r.pod, r.egress, "-d");
    }
  }
  for (const auto& c : existing) {
    if (!chains.count(c)) o << "-X " << c << "\n";
  }
  o << "COMMIT\n";
  return o.str();
}

std::string IptablesPolicyCleanup(const std::set<std::string>& existing) {
  if (existing.empty()) return "";
  std::ostringstream o;
  o << "*filter\n";
  for (const auto& c : existing) o << ":" << c << " - [0:0]\n";
  for (const auto& c : existing) o << "-X " << c << "\n";
  o << "COMMIT\n";
  return o.str();
}

std::set<std::string> IptablesPolicyChains(const std::string& save_output) {
  std::set<std::string> out;
  std::istringstream in(save_output);
  std::string line;
  bool inside = false;
  const std::string prefix = std::string(":") + kIptablesChain;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == '*') inside = line.substr(1) == "filter";
    if (inside && line.rfind(prefix, 0) == 0) {
      const std::string name = line.substr(1, line.find(' ') - 1);
      if (name == kIptablesChain ||
          name.rfind(prefix.substr(1) + "-", 0) == 0) {
        out.insert(name);
      }
    }
  }
  return out;
}

}  // namespace berth::policy
