#include "ipv4_cidr.h"

#include <arpa/inet.h>

namespace berth::routes {
namespace {

uint32_t Mask(int prefix) {
  return prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix);
}

}  // namespace

bool Ipv4Cidr::Contains(uint32_t address) const {
  return (address & Mask(prefix)) == network;
}

std::string Ipv4Cidr::ToString() const {
  return FormatIpv4(network) + "/" + std::to_string(prefix);
}

std::string Ipv4Cidr::NetworkAddress() const { return FormatIpv4(network); }

std::optional<uint32_t> ParseIpv4(const std::string& text) {
  in_addr a{};
  if (inet_pton(AF_INET, text.c_str(), &a) != 1) return std::nullopt;
  return ntohl(a.s_addr);
}

std::optional<Ipv4Cidr> ParseIpv4Cidr(const std::string& text) {
  const size_t slash = text.find('/');
  if (slash == std::string::npos) return std::nullopt;
  auto address = ParseIpv4(text.substr(0, slash));
  const std::string bits = text.substr(slash + 1);
  if (!address || bits.empty() || bits.size() > 2 ||
      bits.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  const int prefix = std::stoi(bits);
  if (prefix > 32) return std::nullopt;
  return Ipv4Cidr{*address & Mask(prefix), prefix};
}

std::string FormatIpv4(uint32_t address) {
  in_addr a{};
  a.s_addr = htonl(address);
  char buf[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &a, buf, sizeof(buf));
  return buf;
}

}  // namespace berth::routes
