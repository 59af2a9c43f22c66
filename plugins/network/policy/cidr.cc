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

namespace {

uint32_t V4(const Cidr& c) {
  return (uint32_t{c.addr[0]} << 24) | (uint32_t{c.addr[1]} << 16) |
         (uint32_t{c.addr[2]} << 8) | uint32_t{c.addr[3]};
}

std::string V4Text(uint32_t a, int prefix) {
  return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 255) + "." +
         std::to_string((a >> 8) & 255) + "." + std::to_string(a & 255) + "/" +
         std::to_string(prefix);
}

uint32_t Mask(int prefix) {
  return prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix);
}

// Splits (base, prefix) around the excepts, recursively by halves.
void Split(uint32_t base, int prefix, const std::vector<Cidr>& except,
           std::vector<std::string>& out) {
  bool partial = false;
  for (const auto& e : except) {
    if (e.v6) continue;
    const uint32_t eb = V4(e) & Mask(e.prefix);
    if (e.prefix <= prefix) {
      // The except covers this whole block: nothing of it is left.
      if ((base & Mask(e.prefix)) == eb) return;
    } else if ((eb & Mask(prefix)) == base) {
      partial = true;
    }
  }
  if (!partial) {
    out.push_back(V4Text(base, prefix));
    return;
  }
  Split(base, prefix + 1, except, out);
  Split(base | (uint32_t{1} << (31 - prefix)), prefix + 1, except, out);
}

}  // namespace

std::vector<std::string> SubtractCidrs(const Cidr& block,
                                       const std::vector<Cidr>& except) {
  std::vector<std::string> out;
  if (block.v6) return out;
  Split(V4(block) & Mask(block.prefix), block.prefix, except, out);
  return out;
}

}  // namespace berth::policy
