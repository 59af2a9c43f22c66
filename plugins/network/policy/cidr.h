// Cidr: an IP block as NetworkPolicy's ipBlock names it ("10.0.0.0/8",
// "2001:db8::/32"), parsed the way Go's net.ParseCIDR accepts it, and the
// "strict subset" test ValidateIPBlock applies to its `except` entries.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_NETWORK_POLICY_CIDR_H_
#define BERTH_PLUGINS_NETWORK_POLICY_CIDR_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::policy {

struct Cidr {
  bool v6 = false;
  std::array<uint8_t, 16> addr{};  // network order; IPv4 uses the first 4
  int prefix = 0;
};

// nullopt when `text` is not address/prefix with a valid address and a
// prefix within the family's length.
std::optional<Cidr> ParseCidr(std::string_view text);

// True when `inner` lies inside `outer` and is strictly smaller (the
// rule for ipBlock.except). Different families are never subsets.
bool IsStrictSubset(const Cidr& inner, const Cidr& outer);

// True when the IPv4 address `ip` ("10.0.0.5") lies inside `block`.
bool ContainsIpv4(const Cidr& block, std::string_view ip);

// The IPv4 block `block` less the `except` blocks, as the fewest CIDRs
// ("10.0.0.0/9", ...), in address order; excepts that are not IPv4 or do
// not overlap are ignored. Empty when nothing is left, and for an IPv6
// block.
std::vector<std::string> SubtractCidrs(const Cidr& block,
                                       const std::vector<Cidr>& except);

}  // namespace berth::policy

#endif  // BERTH_PLUGINS_NETWORK_POLICY_CIDR_H_
