// ProxySettings: the `proxy` plugin's settings (conf/berth.yaml) — which
// backend programs the host, the pod CIDR, the node whose endpoints Local
// traffic policies keep, and whether the rules go when Berth stops.
//
// Thread safety: a plain value; parsing is a pure function.
#ifndef BERTH_PLUGINS_NETWORK_PROXY_PROXY_SETTINGS_H_
#define BERTH_PLUGINS_NETWORK_PROXY_PROXY_SETTINGS_H_

#include <chrono>
#include <string>

#include "berth/status.h"
#include "proxy_rules_config.h"

namespace berth::proxy {

struct ProxySettings {
  // "auto" (nftables where `nft` works, else iptables), "nftables" or
  // "iptables".
  std::string backend = "auto";
  // "iptables" or "iptables-legacy": the iptables variant of that backend.
  std::string iptables = "iptables";
  ProxyRulesConfig rules;
  // Endpoints on this node serve Local traffic policies; "" is the Node
  // name the node agent registers: $BERTH_NODE_NAME (`berth agent
  // --node-name`), else this machine's host name in lower case.
  std::string node_name;
  // Changes arriving within this long of each other are programmed in one
  // sync (kube-proxy's minSyncPeriod).
  std::chrono::milliseconds min_sync_period{50};
  // Every this long the rules are programmed whole again, whatever changed
  // on the host meanwhile (kube-proxy's syncPeriod).
  std::chrono::seconds sync_period{30};
  // Remove the rules when Berth stops.
  bool cleanup_on_exit = true;
};

// Invalid naming the setting for an unknown key or a bad value.
StatusOr<ProxySettings> ParseProxySettings(const std::string& settings_json);

}  // namespace berth::proxy

#endif  // BERTH_PLUGINS_NETWORK_PROXY_PROXY_SETTINGS_H_
