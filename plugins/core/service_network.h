// ServiceNetwork: the plugin settings that shape Services — the ClusterIP
// range (`serviceClusterIPRange`, an IPv4 CIDR) and the NodePort range
// (`serviceNodePortRange`, "lo-hi") — parsed and checked.
//
// Thread safety: values.
#ifndef BERTH_PLUGINS_CORE_SERVICE_NETWORK_H_
#define BERTH_PLUGINS_CORE_SERVICE_NETWORK_H_

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "berth/status.h"

namespace berth::core {

struct ServiceNetwork {
  std::string cidr = "10.96.0.0/12";  // as written, for messages
  uint32_t network = 0x0a600000;      // host order
  int prefix = 12;
  std::string port_range = "30000-32767";
  uint32_t port_first = 30000;
  uint32_t port_last = 32767;

  // The usable addresses: network+1 .. broadcast-1.
  uint32_t FirstIp() const { return network + 1; }
  uint32_t LastIp() const {
    return network + static_cast<uint32_t>((uint64_t(1) << (32 - prefix)) - 2);
  }
  // How many addresses from FirstIp on are allocated only when the rest is
  // full, sized as Kubernetes sizes its static band: none below 16
  // addresses, else min(max(16, size/16), 256).
  uint32_t StaticBand() const {
    const uint64_t size = uint64_t(1) << (32 - prefix);
    if (size < 16) return 0;
    return static_cast<uint32_t>(
        std::min<uint64_t>(std::max<uint64_t>(16, size / 16), 256));
  }
};

// Parses the plugin's settings JSON ("{}" gives the defaults). Invalid
// values give Status::Invalid naming the setting and the value.
StatusOr<ServiceNetwork> ParseServiceNetwork(const std::string& settings_json);

// Dotted-quad IPv4 <-> host-order number; nullopt when not an IPv4 address.
std::optional<uint32_t> ParseIpv4(std::string_view text);
std::string FormatIpv4(uint32_t ip);

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_SERVICE_NETWORK_H_
