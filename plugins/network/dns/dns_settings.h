// DnsSettings: the `dns` plugin's settings (conf/berth.yaml) — the zone,
// where it listens, the kube-dns Service it keeps, and where other names
// go.
//
// Thread safety: a plain value; parsing is a pure function.
#ifndef BERTH_PLUGINS_NETWORK_DNS_DNS_SETTINGS_H_
#define BERTH_PLUGINS_NETWORK_DNS_DNS_SETTINGS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "berth/status.h"

namespace berth::dns {

struct DnsSettings {
  std::string zone = "cluster.local";
  uint32_t ttl = 30;
  // The UDP and TCP listeners.
  std::string bind_address = "0.0.0.0";
  int port = 53;
  // The kube-system/kube-dns Service's ClusterIP; "" leaves the Service
  // and its EndpointSlices alone.
  std::string service_ip = "10.96.0.10";
  // The address published in this node's kube-dns EndpointSlice; "" is
  // the InternalIP of the Node named node_name.
  std::string advertise_address;
  // The Node this process serves; "" is $BERTH_NODE_NAME, else the
  // hostname.
  std::string node_name;
  // Where names outside the cluster go ("ip" or "ip:port"); empty reads
  // the nameservers of resolv_conf.
  std::vector<std::string> upstreams;
  std::string resolv_conf = "/etc/resolv.conf";
  // How long one upstream gets before the next is tried.
  int upstream_timeout_ms = 2000;
  // Upstream replies are kept at most this long (CoreDNS's `cache 30` in
  // the kube-dns Corefile); 0 keeps none.
  uint32_t cache_seconds = 30;
};

// Invalid naming the setting for an unknown key or a bad value.
StatusOr<DnsSettings> ParseDnsSettings(const std::string& settings_json);

// The nameserver lines of a resolv.conf text, in order.
std::vector<std::string> ResolvConfNameservers(const std::string& text);

}  // namespace berth::dns

#endif  // BERTH_PLUGINS_NETWORK_DNS_DNS_SETTINGS_H_
