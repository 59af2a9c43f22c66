// ClusterZone: the cluster DNS records at one moment, built from Services
// and EndpointSlices as Kubernetes' DNS specification (kubernetes/dns
// docs/specification.md) lays them out, and the lookup that answers one
// question from them:
//   <svc>.<ns>.svc.<zone>           A/AAAA: the ClusterIPs; headless: one
//                                   record per ready endpoint address (all
//                                   of them with publishNotReadyAddresses);
//                                   ExternalName: a CNAME
//   <host>.<svc>.<ns>.svc.<zone>    A/AAAA of a headless Service's endpoint:
//                                   its hostname (StatefulSet pods,
//                                   hostname+subdomain) or its dashed IP
//   _<port>._<proto>.<svc>.<ns>.svc.<zone>  SRV for each named port
//   <reversed ip>.in-addr.arpa / ip6.arpa  PTR for ClusterIPs and headless
//                                   endpoint addresses
//   <a-b-c-d>.<ns>.pod.<zone>       A of that address (CoreDNS's "pods
//                                   insecure", kubeadm's default)
// Names in the zone that do not exist are NXDOMAIN; existing names without
// the asked type (including the empty non-terminals such as
// <ns>.svc.<zone>) are NODATA; both carry the zone's SOA.
//
// Thread safety: a built zone is immutable; share it freely.
#ifndef BERTH_PLUGINS_NETWORK_DNS_CLUSTER_ZONE_H_
#define BERTH_PLUGINS_NETWORK_DNS_CLUSTER_ZONE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "berth/json.h"
#include "dns_message.h"

namespace berth::dns {

struct ZoneConfig {
  std::string zone = "cluster.local";  // lowercase, no trailing dot
  uint32_t ttl = 30;
};

// What a lookup found.
struct ZoneAnswer {
  enum class Outcome {
    kNotOurs,   // outside the cluster zone and unknown reverse name: forward
    kAnswered,  // records, NODATA or NXDOMAIN, authoritative
  };
  Outcome outcome = Outcome::kNotOurs;
  uint8_t rcode = kRcodeNoError;
  std::vector<DnsRecord> answers;
  std::vector<DnsRecord> authority;   // the SOA when there is no answer
  std::vector<DnsRecord> additional;  // addresses of SRV targets
  // Set when the answer ends in a CNAME whose target is outside the zone:
  // the server resolves it upstream and appends what it finds.
  std::string cname_target;
};

class ClusterZone {
 public:
  // Builds the records of `services` (Service objects) and `slices`
  // (EndpointSlice objects, matched to their Service by the
  // kubernetes.io/service-name label). Objects missing fields are skipped
  // as far as they must be; building never fails.
  ClusterZone(const ZoneConfig& config,
              const std::vector<const Json*>& services,
              const std::vector<const Json*>& slices);

  // Answers `qname` (any case, trailing dot or not) for `qtype`. The
  // answers' owner names are spelled as `qname` was.
  ZoneAnswer Lookup(std::string_view qname, uint16_t qtype) const;

  // How many names carry records (for logs and tests).
  size_t names() const { return records_.size(); }

 private:
  void Add(const std::string& name, uint16_t type, std::string rdata);
  void AddAddress(const std::string& name, const std::string& ip);
  void AddPtr(const std::string& ip, const std::string& target);
  bool InZone(std::string_view lower) const;
  DnsRecord Soa() const;

  ZoneConfig config_;
  // Lowercase owner name -> its records.
  std::unordered_map<std::string, std::vector<DnsRecord>> records_;
  // Every ancestor of an owner name inside the zone (empty non-terminals).
  std::unordered_set<std::string> interior_;
};

// The reverse-lookup name of an IPv4 or IPv6 address ("5.0.244.10.in-addr
// .arpa"); "" when `ip` is not an address.
std::string ReverseName(const std::string& ip);

}  // namespace berth::dns

#endif  // BERTH_PLUGINS_NETWORK_DNS_CLUSTER_ZONE_H_
