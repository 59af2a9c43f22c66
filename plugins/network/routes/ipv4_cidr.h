// Ipv4Cidr: an IPv4 network in CIDR notation ("10.244.1.0/24") as numbers,
// for deciding which node addresses sit on a directly connected subnet and
// which address is a pod network's first one.
//
// Thread safety: a plain value; the functions are pure.
#ifndef BERTH_PLUGINS_NETWORK_ROUTES_IPV4_CIDR_H_
#define BERTH_PLUGINS_NETWORK_ROUTES_IPV4_CIDR_H_

#include <cstdint>
#include <optional>
#include <string>

namespace berth::routes {

struct Ipv4Cidr {
  uint32_t network = 0;  // host byte order, host bits cleared
  int prefix = 0;        // 0..32

  bool Contains(uint32_t address) const;
  // "a.b.c.d/p".
  std::string ToString() const;
  // The network's own address, "a.b.c.d" (flannel's VTEP address).
  std::string NetworkAddress() const;
};

// "a.b.c.d" in host byte order; nullopt when it is not a dotted quad.
std::optional<uint32_t> ParseIpv4(const std::string& text);
// "a.b.c.d/p" (host bits are cleared); nullopt for anything else, IPv6
// included.
std::optional<Ipv4Cidr> ParseIpv4Cidr(const std::string& text);
std::string FormatIpv4(uint32_t address);

}  // namespace berth::routes

#endif  // BERTH_PLUGINS_NETWORK_ROUTES_IPV4_CIDR_H_
