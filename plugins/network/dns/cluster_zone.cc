#include "cluster_zone.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdio>

namespace berth::dns {
namespace {

constexpr std::string_view kIpv4Reverse = "in-addr.arpa";
constexpr std::string_view kIpv6Reverse = "ip6.arpa";

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.substr(s.size() - suffix.size()) == suffix;
}

// Below `parent` (a strict subdomain of it, or it).
bool Within(std::string_view name, std::string_view parent) {
  if (name == parent) return true;
  return name.size() > parent.size() && EndsWith(name, parent) &&
         name[name.size() - parent.size() - 1] == '.';
}

std::string Lower(std::string_view s) { return LowerName(s); }

// The addresses of a Service's ClusterIPs (none for headless ones).
std::vector<std::string> ClusterIps(const Json& svc) {
  std::vector<std::string> out;
  if (const Json* ips = Find(svc, {"spec", "clusterIPs"});
      ips && ips->IsArray()) {
    for (const auto& ip : ips->GetArray()) {
      if (ip.IsString()) out.emplace_back(ip.GetString());
    }
  }
  if (out.empty()) {
    std::string ip = GetString(svc, {"spec", "clusterIP"});
    if (!ip.empty()) out.push_back(ip);
  }
  out.erase(std::remove_if(out.begin(), out.end(),
                           [](const std::string& ip) {
                             return ip == "None" || ip.empty();
                           }),
            out.end());
  return out;
}

bool IsHeadless(const Json& svc) {
  return GetString(svc, {"spec", "clusterIP"}) == "None";
}

// An endpoint's label for `<host>.<svc>...` when it has no hostname:
// its address with dashes, as CoreDNS names them.
std::string DashedIp(std::string ip) {
  std::replace(ip.begin(), ip.end(), '.', '-');
  std::replace(ip.begin(), ip.end(), ':', '-');
  return ip;
}

bool ConditionTrue(const Json& endpoint, const char* condition) {
  const Json* c = Find(endpoint, {"conditions", condition});
  return !c || !c->IsBool() || c->GetBool();  // unset counts as true
}

}  // namespace

std::string ReverseName(const std::string& ip) {
  in_addr v4{};
  if (inet_pton(AF_INET, ip.c_str(), &v4) == 1) {
    const auto* b = reinterpret_cast<const uint8_t*>(&v4.s_addr);
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%u.%u.%u.%u.in-addr.arpa", b[3], b[2],
                  b[1], b[0]);
    return buf;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, ip.c_str(), &v6) == 1) {
    static const char kHex[] = "0123456789abcdef";
    std::string out;
    for (int i = 15; i >= 0; --i) {
      out.push_back(kHex[v6.s6_addr[i] & 0xf]);
      out.push_back('.');
      out.push_back(kHex[v6.s6_addr[i] >> 4]);
      out.push_back('.');
    }
    return out + "ip6.arpa";
  }
  return "";
}

ClusterZone::ClusterZone(const ZoneConfig& config,
                         const std::vector<const Json*>& services,
                         const std::vector<const Json*>& slices)
    : config_(config) {
  config_.zone = Lower(config_.zone);
  interior_.insert("svc." + config_.zone);
  interior_.insert("pod." + config_.zone);

  // Slices by "<ns>/<service name>".
  std::unordered_map<std::string, std::vector<const Json*>> slices_of;
  for (const Json* slice : slices) {
    std::string svc =
        GetString(*slice, {"metadata", "labels", "kubernetes.io/service-name"});
    if (svc.empty()) continue;
    slices_of[GetString(*slice, {"metadata", "namespace"}) + "/" + svc]
        .push_back(slice);
  }

  for (const Json* svc : services) {
    const std::string ns = Lower(GetString(*svc, {"metadata", "namespace"}));
    const std::string name = Lower(GetString(*svc, {"metadata", "name"}));
    if (ns.empty() || name.empty()) continue;
    const std::string fqdn = name + "." + ns + ".svc." + config_.zone;

    if (GetString(*svc, {"spec", "type"}) == "ExternalName") {
      std::string target = GetString(*svc, {"spec", "externalName"});
      std::string rdata = NameRdata(target);
      if (!target.empty() && !rdata.empty()) {
        Add(fqdn, kTypeCname, std::move(rdata));
      }
      continue;
    }

    if (!IsHeadless(*svc)) {
      for (const auto& ip : ClusterIps(*svc)) {
        AddAddress(fqdn, ip);
        AddPtr(ip, fqdn);
      }
      if (const Json* ports = Find(*svc, {"spec", "ports"});
          ports && ports->IsArray()) {
        for (const auto& p : ports->GetArray()) {
          const std::string port_name = Lower(GetString(p, {"name"}));
          if (port_name.empty()) continue;
          const std::string proto = Lower(GetString(p, {"protocol"}, "TCP"));
          Add("_" + port_name + "._" + proto + "." + fqdn, kTypeSrv,
              SrvRdata(0, 100, static_cast<uint16_t>(GetInt(p, {"port"})),
                       fqdn));
        }
      }
      continue;
    }

    // Headless: the endpoints themselves.
    const Json* publish = Find(*svc, {"spec", "publishNotReadyAddresses"});
    const bool publish_not_ready =
        publish && publish->IsBool() && publish->GetBool();
    // A Service without endpoints still exists (NODATA, not NXDOMAIN).
    interior_.insert(fqdn);
    for (const Json* slice : slices_of[ns + "/" + name]) {
      const Json* endpoints = Find(*slice, {"endpoints"});
      if (!endpoints || !endpoints->IsArray()) continue;
      const Json* ports = Find(*slice, {"ports"});
      for (const auto& e : endpoints->GetArray()) {
        if (!publish_not_ready && !ConditionTrue(e, "ready")) continue;
        const Json* addresses = Find(e, {"addresses"});
        if (!addresses || !addresses->IsArray() || addresses->Empty() ||
            !(*addresses)[0].IsString()) {
          continue;
        }
        const std::string ip = (*addresses)[0].GetString();
        std::string host = Lower(GetString(e, {"hostname"}));
        if (host.empty()) host = DashedIp(ip);
        const std::string host_fqdn = host + "." + fqdn;
        AddAddress(fqdn, ip);
        AddAddress(host_fqdn, ip);
        AddPtr(ip, host_fqdn);
        if (!ports || !ports->IsArray()) continue;
        for (const auto& p : ports->GetArray()) {
          const std::string port_name = Lower(GetString(p, {"name"}));
          if (port_name.empty()) continue;
          const std::string proto = Lower(GetString(p, {"protocol"}, "TCP"));
          Add("_" + port_name + "._" + proto + "." + fqdn, kTypeSrv,
              SrvRdata(0, 100, static_cast<uint16_t>(GetInt(p, {"port"})),
                       host_fqdn));
        }
      }
    }
  }
}

void ClusterZone::Add(const std::string& name, uint16_t type,
                      std::string rdata) {
  auto& list = records_[name];
  for (const auto& r : list) {
    if (r.type == type && r.rdata == rdata) return;
  }
  DnsRecord r;
  r.name = name;
  r.type = type;
  r.ttl = config_.ttl;
  r.rdata = std::move(rdata);
  list.push_back(std::move(r));
  if (!Within(name, config_.zone)) return;
  for (std::string_view n = name; n != config_.zone;) {
    size_t dot = n.find('.');
    if (dot == std::string_view::npos) break;
    n.remove_prefix(dot + 1);
    if (!interior_.insert(std::string(n)).second) break;
  }
}

void ClusterZone::AddAddress(const std::string& name, const std::string& ip) {
  in_addr v4{};
  in6_addr v6{};
  if (inet_pton(AF_INET, ip.c_str(), &v4) == 1) {
    Add(name, kTypeA, ARdata(ntohl(v4.s_addr)));
  } else if (inet_pton(AF_INET6, ip.c_str(), &v6) == 1) {
    Add(name, kTypeAaaa, AaaaRdata(v6.s6_addr));
  }
}

void ClusterZone::AddPtr(const std::string& ip, const std::string& target) {
  std::string reverse = ReverseName(ip);
  if (!reverse.empty()) Add(reverse, kTypePtr, NameRdata(target));
}

bool ClusterZone::InZone(std::string_view lower) const {
  return Within(lower, config_.zone);
}

DnsRecord ClusterZone::Soa() const {
  DnsRecord r;
  r.name = config_.zone;
  r.type = kTypeSoa;
  // The negative-caching TTL is the SOA's own TTL and minimum (RFC 2308).
  r.ttl = config_.ttl;
  r.rdata = SoaRdata("ns.dns." + config_.zone, "hostmaster." + config_.zone, 1,
                     7200, 1800, 86400, config_.ttl);
  return r;
}

ZoneAnswer ClusterZone::Lookup(std::string_view qname, uint16_t qtype) const {
  ZoneAnswer a;
  std::string owner(qname);
  if (!owner.empty() && owner.back() == '.') owner.pop_back();
  const std::string lower = Lower(owner);
  const bool in_zone = InZone(lower);
  auto it = records_.find(lower);
  if (!in_zone && it == records_.end()) return a;  // forward it
  a.outcome = ZoneAnswer::Outcome::kAnswered;

  auto take = [&](const std::vector<DnsRecord>& records,
                  const std::string& as_name) {
    for (const auto& r : records) {
      if (qtype == kTypeAny || r.type == qtype) {
        DnsRecord copy = r;
        copy.name = as_name;
        a.answers.push_back(std::move(copy));
      }
    }
  };

  if (it != records_.end()) {
    const auto& records = it->second;
    if (records.front().type == kTypeCname && qtype != kTypeCname &&
        qtype != kTypeAny) {
      DnsRecord cname = records.front();
      cname.name = owner;
      size_t at = 0;
      auto target = ReadName(cname.rdata, &at);
      a.answers.push_back(std::move(cname));
      if (target.ok()) {
        const std::string t = Lower(*target);
        if (auto tt = records_.find(t); tt != records_.end()) {
          take(tt->second, t);
        } else if (!InZone(t)) {
          a.cname_target = *target;
        }
      }
      return a;
    }
    take(records, owner);
    if (qtype == kTypeSrv) {
      for (const auto& srv : a.answers) {
        size_t at = 6;  // priority, weight, port
        auto target = ReadName(srv.rdata, &at);
        if (!target.ok()) continue;
        if (auto tt = records_.find(*target); tt != records_.end()) {
          for (const auto& r : tt->second) {
            if (r.type == kTypeA || r.type == kTypeAaaa) {
              a.additional.push_back(r);
            }
          }
        }
      }
    }
    if (a.answers.empty()) a.authority.push_back(Soa());  // NODATA
    return a;
  }

  // Pods by address: <a-b-c-d>.<ns>.pod.<zone>.
  const std::string pod_suffix = ".pod." + config_.zone;
  if (EndsWith(lower, pod_suffix)) {
    std::string_view rest(lower);
    rest.remove_suffix(pod_suffix.size());
    const size_t dot = rest.find('.');
    if (dot != std::string_view::npos &&
        rest.find('.', dot + 1) == std::string_view::npos) {
      std::string ip(rest.substr(0, dot));
      std::replace(ip.begin(), ip.end(), '-', '.');
      in_addr v4{};
      if (inet_pton(AF_INET, ip.c_str(), &v4) == 1) {
        if (qtype == kTypeA || qtype == kTypeAny) {
          DnsRecord r;
          r.name = owner;
          r.type = kTypeA;
          r.ttl = config_.ttl;
          r.rdata = ARdata(ntohl(v4.s_addr));
          a.answers.push_back(std::move(r));
        } else {
          a.authority.push_back(Soa());
        }
        return a;
      }
    }
  }

  if (lower == config_.zone && (qtype == kTypeSoa || qtype == kTypeAny)) {
    a.answers.push_back(Soa());
    return a;
  }
  if (lower != config_.zone && !interior_.count(lower)) {
    a.rcode = kRcodeNxDomain;
  }
  a.authority.push_back(Soa());
  return a;
}

}  // namespace berth::dns
