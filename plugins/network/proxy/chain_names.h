// ChainNames: the names of the per-Service and per-endpoint chains both
// proxy backends write — a stable hash of the ServicePort's Id (and the
// endpoint), so a Service keeps its chains across syncs and restarts and
// names never collide, as kube-proxy's servicePortChainName does.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_NETWORK_PROXY_CHAIN_NAMES_H_
#define BERTH_PLUGINS_NETWORK_PROXY_CHAIN_NAMES_H_

#include <string>

#include "service_port_model.h"

namespace berth::proxy {

// 16 lowercase hex digits of a 64-bit FNV-1a hash of `text`.
std::string StableHash(const std::string& text);

// `prefix` + the hash of the ServicePort ("svc-", "ext-"...).
std::string ServiceChain(const std::string& prefix, const ServicePort& sp);

// `prefix` + the hash of the ServicePort and the endpoint.
std::string EndpointChain(const std::string& prefix, const ServicePort& sp,
                          const ProxyEndpoint& ep);

}  // namespace berth::proxy

#endif  // BERTH_PLUGINS_NETWORK_PROXY_CHAIN_NAMES_H_
