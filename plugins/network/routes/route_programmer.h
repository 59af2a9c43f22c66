// RouteProgrammer: makes this machine's routing match a RoutePlan with
// iproute2 (`ip -batch`, `bridge -batch`) and iptables, run through the
// host's exec service in the calling process's network namespace. Routes
// it adds carry protocol kRouteProtocol, so what an earlier run left (a
// crash, a node deleted while Berth was down) is found and removed on the
// next Apply; routes are replaced in place, never flushed, so live
// connections keep flowing while the plan changes. The VXLAN device (MTU
// 1450: 1500 less the 50 bytes VXLAN adds, as flannel on a 1500-byte
// network), its neighbour and FDB entries, and the nat chain kMasqueradeChain
// (exempting pod-to-pod traffic across nodes from the CNI bridge plugin's
// ipMasq, which masquerades everything leaving the node's own pod CIDR) are its
// too.
//
// Thread safety: not thread-safe; the routes controller's one sync thread
// calls it.
#ifndef BERTH_PLUGINS_NETWORK_ROUTES_ROUTE_PROGRAMMER_H_
#define BERTH_PLUGINS_NETWORK_ROUTES_ROUTE_PROGRAMMER_H_

#include <string>
#include <vector>

#include "berth/process.h"
#include "berth/status.h"
#include "route_plan.h"
#include "routes_settings.h"

namespace berth::routes {

// The rtnetlink protocol number marking Berth's routes (free in
// /etc/iproute2/rt_protos).
inline constexpr int kRouteProtocol = 77;
inline constexpr char kMasqueradeChain[] = "BERTH-ROUTES-POSTROUTING";

// The `ip -batch` input that replaces every route (and VXLAN neighbour
// entry) of `plan`; `device` is the VXLAN device.
std::string IpBatchFor(const RoutePlan& plan, const std::string& device);
// The `bridge -batch` input that replaces the plan's FDB entries.
std::string BridgeBatchFor(const RoutePlan& plan, const std::string& device);
// The `iptables-restore --noflush` input that makes kMasqueradeChain accept
// (so no later POSTROUTING rule masquerades) traffic from `own_pod_cidr`
// to the plan's remote pod CIDRs.
std::string MasqueradeRulesFor(const RoutePlan& plan,
                               const std::string& own_pod_cidr);
// The IPv4 subnets of `ip -o -4 addr show` output, except on loopback and
// on `skip_device`.
std::vector<std::string> ParseConnectedSubnets(const std::string& ip_output,
                                               const std::string& skip_device);

class RouteProgrammer {
 public:
  // `runner` must outlive the programmer.
  RouteProgrammer(ProcessRunner& runner, const RoutesSettings& settings);

  // This machine's directly connected IPv4 subnets; Internal when `ip`
  // fails.
  StatusOr<std::vector<std::string>> ConnectedSubnets();

  // Creates the VXLAN device (or re-creates it when its VNI, port or local
  // address differ), brings it up with the first address of
  // `own_pod_cidr`, and returns its MAC. Internal with the tool's message
  // on failure.
  StatusOr<std::string> EnsureVxlanDevice(const std::string& local_ip,
                                          const std::string& own_pod_cidr);

  // Programs `plan`: replaces its routes, neighbour and FDB entries and
  // masquerade exemptions, then removes what is no longer in it (and the
  // VXLAN device when the plan needs none). Turns on IP forwarding.
  // Internal with the failing tool's message; a later Apply retries.
  Status Apply(const RoutePlan& plan, const std::string& own_pod_cidr);

  // Removes every route, the device and the chain it owns. OK when there
  // was nothing.
  Status Cleanup();

 private:
  StatusOr<std::string> Run(const std::vector<std::string>& argv,
                            const std::string& input = "");
  Status RemoveStaleRoutes(const RoutePlan& plan);
  Status RemoveStaleVxlanEntries(const RoutePlan& plan);
  Status SyncMasquerade(const RoutePlan& plan, const std::string& own);
  bool DeviceExists();

  ProcessRunner& runner_;
  const RoutesSettings settings_;
};

}  // namespace berth::routes

#endif  // BERTH_PLUGINS_NETWORK_ROUTES_ROUTE_PROGRAMMER_H_
