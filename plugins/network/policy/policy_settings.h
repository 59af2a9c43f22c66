// PolicySettings: the `policy` plugin's settings from conf — backend
// (auto: nftables where `nft` works, else iptables; or nftables, iptables),
// iptables (the variant: iptables, iptables-nft, iptables-legacy), nodeName
// (the node whose pods it enforces; default $BERTH_NODE_NAME, else the host
// name), minSyncPeriodMillis (how long a burst of changes may gather before
// one sync, default 100) and cleanupOnExit (remove the table when the
// plugin stops, default true).
//
// Thread safety: plain value; the parser is a pure function.
#ifndef BERTH_PLUGINS_NETWORK_POLICY_POLICY_SETTINGS_H_
#define BERTH_PLUGINS_NETWORK_POLICY_POLICY_SETTINGS_H_

#include <chrono>
#include <string>

#include "berth/status.h"

namespace berth::policy {

struct PolicySettings {
  std::string backend = "auto";
  std::string iptables = "iptables";
  std::string node_name;
  std::chrono::milliseconds min_sync_period{100};
  bool cleanup_on_exit = true;
};

// Invalid naming the setting for an unknown key or a value of the wrong
// type.
StatusOr<PolicySettings> ParsePolicySettings(const std::string& settings_json);

}  // namespace berth::policy

#endif  // BERTH_PLUGINS_NETWORK_POLICY_POLICY_SETTINGS_H_
