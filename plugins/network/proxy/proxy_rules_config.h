// ProxyRulesConfig: what both rule generators need besides the Services —
// the pod CIDR whose traffic to a ClusterIP is not masqueraded, and the
// packet mark that asks for masquerade (kube-proxy's 0x4000).
//
// Thread safety: a plain value.
#ifndef BERTH_PLUGINS_NETWORK_PROXY_PROXY_RULES_CONFIG_H_
#define BERTH_PLUGINS_NETWORK_PROXY_PROXY_RULES_CONFIG_H_

#include <string>

namespace berth::proxy {

struct ProxyRulesConfig {
  // Traffic to a ClusterIP from outside this CIDR is masqueraded (so
  // replies come back through this node); "" masquerades none of it but
  // hairpin traffic, "0.0.0.0/0"-like settings are the user's to choose.
  std::string cluster_cidr = "10.244.0.0/16";
  std::string masquerade_mark = "0x4000";
};

}  // namespace berth::proxy

#endif  // BERTH_PLUGINS_NETWORK_PROXY_PROXY_RULES_CONFIG_H_
