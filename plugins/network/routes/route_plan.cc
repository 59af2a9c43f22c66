#include "route_plan.h"

#include <algorithm>
#include <optional>

#include "ipv4_cidr.h"

namespace berth::routes {

NodeRouteInfo NodeRouteInfoFromJson(const Json& node) {
  NodeRouteInfo info;
  info.name = GetString(node, {"metadata", "name"});
  info.pod_cidr = GetString(node, {"spec", "podCIDR"});
  info.vtep_mac =
      GetString(node, {"metadata", "annotations", kVtepMacAnnotation});
  const Json* status = Member(node, "status");
  const Json* addresses = status ? Member(*status, "addresses") : nullptr;
  if (addresses && addresses->IsArray()) {
    for (const auto& a : addresses->GetArray()) {
      if (GetString(a, {"type"}) == "InternalIP" &&
          ParseIpv4(GetString(a, {"address"}))) {
        info.internal_ip = GetString(a, {"address"});
        break;
      }
    }
  }
  return info;
}

RoutePlan PlanRoutes(const std::string& self, RouteMode mode,
                     const std::vector<NodeRouteInfo>& nodes,
                     const std::vector<std::string>& connected_subnets) {
  std::vector<Ipv4Cidr> connected;
  for (const auto& s : connected_subnets) {
    if (auto c = ParseIpv4Cidr(s)) connected.push_back(*c);
  }
  auto on_connected_subnet = [&](uint32_t ip) {
    return std::any_of(connected.begin(), connected.end(),
                       [&](const Ipv4Cidr& c) { return c.Contains(ip); });
  };
  std::vector<const NodeRouteInfo*> sorted;
  for (const auto& n : nodes) sorted.push_back(&n);
  std::sort(sorted.begin(), sorted.end(),
            [](auto* a, auto* b) { return a->name < b->name; });

  RoutePlan plan;
  // In auto mode every node keeps a VTEP (flannel's vxlan backend with
  // DirectRouting): a node on another subnet decides for itself to reach
  // this one over VXLAN, and that works only if this one has a device and
  // a published MAC, whatever this one's own view of the others.
  plan.needs_vxlan = mode != RouteMode::kHostGw;
  for (const NodeRouteInfo* n : sorted) {
    if (n->name == self) continue;
    const std::optional<Ipv4Cidr> cidr = ParseIpv4Cidr(n->pod_cidr);
    const std::optional<uint32_t> ip = ParseIpv4(n->internal_ip);
    if (!cidr) {
      plan.waiting.push_back(n->name + ": no IPv4 pod CIDR yet");
      continue;
    }
    if (!ip) {
      plan.waiting.push_back(n->name + ": no IPv4 InternalIP");
      continue;
    }
    const bool direct = on_connected_subnet(*ip);
    if (mode == RouteMode::kHostGw || (mode == RouteMode::kAuto && direct)) {
      if (!direct) {
        plan.waiting.push_back(n->name + ": " + n->internal_ip +
                               " is on no connected subnet (mode host-gw)");
        continue;
      }
      plan.host_gw.push_back({n->name, cidr->ToString(), n->internal_ip});
      plan.pod_cidrs.push_back(cidr->ToString());
      continue;
    }
    if (n->vtep_mac.empty()) {
      plan.waiting.push_back(n->name + ": no VTEP MAC published yet");
      continue;
    }
    plan.vxlan.push_back({n->name, cidr->ToString(), cidr->NetworkAddress(),
                          n->vtep_mac, n->internal_ip});
    plan.pod_cidrs.push_back(cidr->ToString());
  }
  return plan;
}

}  // namespace berth::routes
