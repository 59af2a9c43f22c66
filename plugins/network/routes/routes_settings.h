// RoutesSettings: the `routes` plugin's settings (conf/berth.yaml) — how
// this node reaches other nodes' pods (auto, host-gw or vxlan), the VXLAN
// device's name, VNI and port, which Node is this machine's, and whether
// the routes go when Berth stops.
//
// Thread safety: a plain value; parsing is a pure function.
#ifndef BERTH_PLUGINS_NETWORK_ROUTES_ROUTES_SETTINGS_H_
#define BERTH_PLUGINS_NETWORK_ROUTES_ROUTES_SETTINGS_H_

#include <chrono>
#include <string>

#include "berth/status.h"
#include "route_plan.h"

namespace berth::routes {

struct RoutesSettings {
  RouteMode mode = RouteMode::kAuto;
  // This machine's Node: the setting, else BERTH_NODE_NAME (berth agent's
  // --node-name), else the hostname; lower case, as the node agent has it.
  std::string node_name;
  // flannel's defaults, under Berth's own device name.
  std::string vxlan_device = "berth.vxlan";
  int vni = 1;
  int vxlan_port = 8472;
  // "iptables", "iptables-nft" or "iptables-legacy": the variant the CNI
  // bridge plugin's ipMasq rules live in (`iptables` is what it runs).
  std::string iptables = "iptables";
  // Everything is programmed again this often even when nothing changed,
  // so a route someone deleted comes back.
  std::chrono::seconds resync_period{30};
  // Remove the routes, the device and the rules when Berth stops.
  bool cleanup_on_exit = true;
};

// Invalid naming the setting for an unknown key or a bad value.
StatusOr<RoutesSettings> ParseRoutesSettings(const std::string& settings_json);

}  // namespace berth::routes

#endif  // BERTH_PLUGINS_NETWORK_ROUTES_ROUTES_SETTINGS_H_
