#include "chain_names.h"

#include <cstdint>
#include <cstdio>

namespace berth::proxy {

std::string StableHash(const std::string& text) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016llx",
                static_cast<unsigned long long>(h));
  return buf;
}

std::string ServiceChain(const std::string& prefix, const ServicePort& sp) {
  return prefix + StableHash(sp.Id());
}

std::string EndpointChain(const std::string& prefix, const ServicePort& sp,
                          const ProxyEndpoint& ep) {
  return prefix +
         StableHash(sp.Id() + "|" + ep.ip + ":" + std::to_string(ep.port));
}

}  // namespace berth::proxy
