#include "cidr.h"

#include <arpa/inet.h>

#include <charconv>

namespace berth::policy {

std::optional<Cidr> ParseCidr(std::string_view text) {
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const std::string ip(text.substr(0, slash));
  const std::string_view len = text.substr(slash + 1);
  Cidr c;
  c.v6 = ip.find(':') != std::string::npos;
  if (inet_pton(c.v6 ? AF_INET6 : AF_INET, ip.c_str(), c.addr.data()) != 1) {
    return std::nullopt;
  }
  if (len.empty() || len.size() > 3) return std::nullopt;
  auto [end, ec] =
      std::from_chars(len.data(), len.data() + len.size(), c.prefix);
  if (ec != std::errc() || end != len.data() + len.size()) return std::nullopt;
  if (c.prefix < 0 || c.prefix > (c.v6 ? 128 : 32)) return std::nullopt;
  return c;
}

namespace {

// True when the first `bits` bits of a and b agree.
bool SamePrefix(const std::array<uint8_t, 16>& a,
                const std::array<uint8_t, 16>& b, int bits) {
  for (int i = 0; i < bits; ++i) {
    const int mask = 0x80 >> (i % 8);
    if ((a[i / 8] & mask) != (b[i / 8] & mask)) return false;
  }
  return true;
}

}  // namespace

bool IsStrictSubset(const Cidr& inner, const Cidr& outer) {
  if (inner.v6 != outer.v6) return false;
  return outer.prefix < inner.prefix &&
         SamePrefix(inner.addr, outer.addr, outer.prefix);
}

bool ContainsIpv4(const Cidr& block, std::string_view ip) {
  if (block.v6) return false;
  std::array<uint8_t, 16> a{};
  if (inet_pton(AF_INET, std::string(ip).c_str(), a.data()) != 1) {
    return false;
  }
  return SamePrefix(a, block.addr, block.prefix);
}

}  // namespace berth::policy
