// RoutePlan: what this node must program so its pods reach every other
// node's pods — a pure function from the Nodes (name, InternalIP,
// spec.podCIDR, published VTEP MAC) and the subnets this machine is
// directly connected to. A node on a connected subnet is reached host-gw
// style (a route to its pod CIDR via its InternalIP, as flannel's host-gw
// backend); any other over the VXLAN overlay (a route via the remote VTEP
// address, a permanent neighbour entry for its MAC and an FDB entry sending
// that MAC to its InternalIP, as flannel's vxlan backend).
//
// Thread safety: plain values; the functions are pure.
#ifndef BERTH_PLUGINS_NETWORK_ROUTES_ROUTE_PLAN_H_
#define BERTH_PLUGINS_NETWORK_ROUTES_ROUTE_PLAN_H_

#include <string>
#include <vector>

#include "berth/json.h"

namespace berth::routes {

// The annotation in which a node publishes its VTEP's MAC address.
inline constexpr char kVtepMacAnnotation[] = "berth.dev/vxlan-vtep-mac";

enum class RouteMode {
  kAuto,    // host-gw to nodes on a connected subnet, VXLAN to the others
            // (flannel's vxlan backend with DirectRouting)
  kHostGw,  // host-gw only; nodes on other subnets are not reachable
  kVxlan,   // VXLAN to every node
};

// What the plan needs from one Node object.
struct NodeRouteInfo {
  std::string name;
  std::string internal_ip;  // status.addresses[type=InternalIP]
  std::string pod_cidr;     // spec.podCIDR
  std::string vtep_mac;     // the kVtepMacAnnotation, "" when unpublished
};

// A route to `dst` (a remote pod CIDR) through `via` (its node's address).
struct HostGwRoute {
  std::string node;
  std::string dst;
  std::string via;
  bool operator==(const HostGwRoute&) const = default;
};

// One remote node over VXLAN: `dst` via `vtep_ip` (the first address of
// its pod CIDR, which its VTEP carries) on the VXLAN device; `vtep_ip`
// resolves to `vtep_mac`, and frames to that MAC go to `remote_ip`.
struct VxlanPeer {
  std::string node;
  std::string dst;
  std::string vtep_ip;
  std::string vtep_mac;
  std::string remote_ip;
  bool operator==(const VxlanPeer&) const = default;
};

struct RoutePlan {
  std::vector<HostGwRoute> host_gw;  // ordered by node name
  std::vector<VxlanPeer> vxlan;      // ordered by node name
  // Whether this node needs its VXLAN device (modes auto and vxlan): the
  // device must exist and its MAC be published before other nodes can plan
  // a peer for it.
  bool needs_vxlan = false;
  // Remote pod CIDRs traffic from local pods reaches unmasqueraded.
  std::vector<std::string> pod_cidrs;
  // One line per remote node that gets nothing yet, saying why.
  std::vector<std::string> waiting;
};

// Reads a Node object; missing fields are left empty.
NodeRouteInfo NodeRouteInfoFromJson(const Json& node);

// The plan for node `self` (whose own entry in `nodes` is skipped) given
// the CIDRs of this machine's directly connected IPv4 subnets. Nodes with
// no pod CIDR or InternalIP yet, and VXLAN peers with no published MAC,
// are left out and listed in `waiting`.
RoutePlan PlanRoutes(const std::string& self, RouteMode mode,
                     const std::vector<NodeRouteInfo>& nodes,
                     const std::vector<std::string>& connected_subnets);

}  // namespace berth::routes

#endif  // BERTH_PLUGINS_NETWORK_ROUTES_ROUTE_PLAN_H_
