// ServicePortModel: what the service proxy programs, as kube-proxy's
// ServicePort and Endpoint views — one entry per (Service, port) with a
// ClusterIP, its NodePort, session affinity and traffic policies, and the
// endpoints that traffic may reach, already chosen as kube-proxy's
// CategorizeEndpoints does (ready endpoints; when none is ready, the
// serving terminating ones; for a Local policy only this node's; for
// trafficDistribution PreferSameNode this node's when it has any). Built
// from Services and EndpointSlices; Endpoints objects are not read
// (kube-proxy reads slices only).
//
// Thread safety: pure functions over values.
#ifndef BERTH_PLUGINS_NETWORK_PROXY_SERVICE_PORT_MODEL_H_
#define BERTH_PLUGINS_NETWORK_PROXY_SERVICE_PORT_MODEL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "berth/json.h"

namespace berth::proxy {

struct ProxyEndpoint {
  std::string ip;
  int64_t port = 0;
  bool operator==(const ProxyEndpoint& o) const {
    return ip == o.ip && port == o.port;
  }
  bool operator<(const ProxyEndpoint& o) const {
    return ip < o.ip || (ip == o.ip && port < o.port);
  }
};

struct ServicePort {
  std::string ns;
  std::string name;
  std::string port_name;  // "" for an unnamed port
  std::string cluster_ip;
  std::string protocol;  // "tcp", "udp" or "sctp", as nft and iptables say
  int64_t port = 0;
  int64_t node_port = 0;  // 0: none
  // sessionAffinity ClientIP: a client keeps its endpoint this long.
  int64_t affinity_seconds = 0;  // 0: no affinity
  // Endpoints for traffic to the ClusterIP (internalTrafficPolicy) and from
  // outside through the NodePort (externalTrafficPolicy), sorted.
  std::vector<ProxyEndpoint> cluster_endpoints;
  std::vector<ProxyEndpoint> external_endpoints;
  // externalTrafficPolicy Local: NodePort traffic is not masqueraded (the
  // client's address is kept) and only reaches this node's endpoints.
  bool external_local = false;

  // "ns/name:port_name/protocol": unique per ServicePort; chain names
  // derive from it.
  std::string Id() const;
};

// The endpoints of either traffic policy of `sp`, each once:
// cluster_endpoints, then the external ones not among them. n log n, as a
// Service may have 100,000 endpoints.
std::vector<ProxyEndpoint> AllEndpoints(const ServicePort& sp);

// The ServicePorts of `services` (Service objects) given `slices`
// (EndpointSlice objects, any namespace; matched to their Service by the
// `kubernetes.io/service-name` label and to a port by name and protocol).
// Headless and ExternalName Services, and IPv6 or FQDN slices, are left
// out. `node_name` picks the endpoints of Local traffic policies. Sorted by
// Id.
std::vector<ServicePort> BuildServicePorts(
    const std::vector<const Json*>& services,
    const std::vector<const Json*>& slices, const std::string& node_name);

}  // namespace berth::proxy

#endif  // BERTH_PLUGINS_NETWORK_PROXY_SERVICE_PORT_MODEL_H_
