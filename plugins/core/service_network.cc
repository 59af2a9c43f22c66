#include "service_network.h"

#include "berth/json.h"

namespace berth::core {
namespace {

// Kubernetes refuses IPv4 service ranges wider than /12; /30 is the
// narrowest that still leaves two usable addresses.
constexpr int kMinPrefix = 12;
constexpr int kMaxPrefix = 30;

std::optional<uint32_t> ParseUint(std::string_view s, uint32_t max) {
  if (s.empty() || s.size() > 10) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + uint64_t(c - '0');
  }
  if (v > max) return std::nullopt;
  return static_cast<uint32_t>(v);
}

Status ParseCidr(const std::string& text, ServiceNetwork& net) {
  auto bad = [&](const std::string& why) {
    return Status::Invalid("serviceClusterIPRange: invalid value \"" + text +
                           "\": " + why);
  };
  size_t slash = text.find('/');
  if (slash == std::string::npos) return bad("must be an IPv4 CIDR");
  auto ip = ParseIpv4(std::string_view(text).substr(0, slash));
  auto prefix = ParseUint(std::string_view(text).substr(slash + 1), 32);
  if (!ip || !prefix) return bad("must be an IPv4 CIDR");
  if (*prefix < kMinPrefix || *prefix > kMaxPrefix) {
    return bad("the prefix length must be between /12 and /30");
  }
  const uint32_t mask = ~uint32_t(0) << (32 - *prefix);
  net.cidr = text;
  net.network = *ip & mask;
  net.prefix = static_cast<int>(*prefix);
  return Status::Ok();
}

Status ParsePortRange(const std::string& text, ServiceNetwork& net) {
  auto bad = [&]() {
    return Status::Invalid("serviceNodePortRange: invalid value \"" + text +
                           "\": must be \"<first>-<last>\" within 1-65535");
  };
  size_t dash = text.find('-');
  if (dash == std::string::npos) return bad();
  auto lo = ParseUint(std::string_view(text).substr(0, dash), 65535);
  auto hi = ParseUint(std::string_view(text).substr(dash + 1), 65535);
  if (!lo || !hi || *lo == 0 || *lo > *hi) return bad();
  net.port_range = text;
  net.port_first = *lo;
  net.port_last = *hi;
  return Status::Ok();
}

}  // namespace

std::optional<uint32_t> ParseIpv4(std::string_view s) {
  uint32_t ip = 0;
  for (int i = 0; i < 4; ++i) {
    size_t dot = s.find('.');
    if ((i < 3) == (dot == std::string_view::npos)) return std::nullopt;
    std::string_view part = s.substr(0, dot);
    if (part.size() > 1 && part[0] == '0') return std::nullopt;
    auto v = ParseUint(part, 255);
    if (!v) return std::nullopt;
    ip = (ip << 8) | *v;
    s = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
  }
  return ip;
}

std::string FormatIpv4(uint32_t ip) {
  return std::to_string(ip >> 24) + "." + std::to_string((ip >> 16) & 255) +
         "." + std::to_string((ip >> 8) & 255) + "." + std::to_string(ip & 255);
}

StatusOr<ServiceNetwork> ParseServiceNetwork(const std::string& settings_json) {
  ServiceNetwork net;
  auto doc = ParseJson(settings_json.empty() ? "{}" : settings_json);
  if (!doc.ok()) return Status::Invalid("settings: " + doc.status().message());
  if (!doc->IsObject()) return Status::Invalid("settings: must be an object");
  if (const Json* v = Member(*doc, "serviceClusterIPRange")) {
    if (!v->IsString()) {
      return Status::Invalid("serviceClusterIPRange: must be a string");
    }
    if (Status s = ParseCidr(v->GetString(), net); !s.ok()) return s;
  }
  if (const Json* v = Member(*doc, "serviceNodePortRange")) {
    if (!v->IsString()) {
      return Status::Invalid("serviceNodePortRange: must be a string");
    }
    if (Status s = ParsePortRange(v->GetString(), net); !s.ok()) return s;
  }
  return net;
}

}  // namespace berth::core
