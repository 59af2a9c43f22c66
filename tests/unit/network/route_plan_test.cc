// The routes plugin's plan: which node is reached host-gw, which over
// VXLAN, and which must wait, from the Nodes and this machine's subnets.
#include "route_plan.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ipv4_cidr.h"

namespace berth::routes {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

NodeRouteInfo Node(const std::string& name, const std::string& ip,
                   const std::string& cidr, const std::string& mac = "") {
  return {name, ip, cidr, mac};
}

const std::vector<NodeRouteInfo> kThreeNodes = {
    Node("node-c", "192.168.77.3", "10.244.2.0/24", "aa:bb:cc:00:00:03"),
    Node("node-a", "192.168.77.1", "10.244.0.0/24", "aa:bb:cc:00:00:01"),
    Node("node-b", "192.168.77.2", "10.244.1.0/24", "aa:bb:cc:00:00:02"),
};

TEST(RoutePlan, NodesOnAConnectedSubnetGetHostGwRoutes) {
  const RoutePlan plan = PlanRoutes("node-b", RouteMode::kAuto, kThreeNodes,
                                    {"192.168.77.0/24", "10.244.1.0/24"});
  EXPECT_THAT(
      plan.host_gw,
      ElementsAre(HostGwRoute{"node-a", "10.244.0.0/24", "192.168.77.1"},
                  HostGwRoute{"node-c", "10.244.2.0/24", "192.168.77.3"}));
  EXPECT_THAT(plan.vxlan, IsEmpty());
  EXPECT_THAT(plan.pod_cidrs, ElementsAre("10.244.0.0/24", "10.244.2.0/24"));
  EXPECT_THAT(plan.waiting, IsEmpty());
}

// A node on another subnet reaches this one over VXLAN by its own
// decision, so in auto mode this node keeps a VTEP even when every node it
// sees is on its own subnet; host-gw mode has none.
TEST(RoutePlan, AutoKeepsAVtepForNodesThatDecideOnVxlan) {
  const std::vector<std::string> subnets = {"192.168.77.0/24"};
  EXPECT_TRUE(
      PlanRoutes("node-b", RouteMode::kAuto, kThreeNodes, subnets).needs_vxlan);
  EXPECT_FALSE(PlanRoutes("node-b", RouteMode::kHostGw, kThreeNodes, subnets)
                   .needs_vxlan);
}

TEST(RoutePlan, NodesElsewhereGoOverVxlanInAuto) {
  std::vector<NodeRouteInfo> nodes = kThreeNodes;
  nodes[0].internal_ip = "172.16.5.3";  // node-c on another subnet
  const RoutePlan plan =
      PlanRoutes("node-b", RouteMode::kAuto, nodes, {"192.168.77.0/24"});
  EXPECT_THAT(plan.host_gw, ElementsAre(HostGwRoute{"node-a", "10.244.0.0/24",
                                                    "192.168.77.1"}));
  EXPECT_THAT(plan.vxlan,
              ElementsAre(VxlanPeer{"node-c", "10.244.2.0/24", "10.244.2.0",
                                    "aa:bb:cc:00:00:03", "172.16.5.3"}));
  EXPECT_TRUE(plan.needs_vxlan);
  EXPECT_THAT(plan.pod_cidrs, ElementsAre("10.244.0.0/24", "10.244.2.0/24"));
}

TEST(RoutePlan, VxlanModeUsesTheOverlayForEveryNode) {
  const RoutePlan plan =
      PlanRoutes("node-a", RouteMode::kVxlan, kThreeNodes, {"192.168.77.0/24"});
  EXPECT_THAT(plan.host_gw, IsEmpty());
  EXPECT_THAT(plan.vxlan,
              ElementsAre(VxlanPeer{"node-b", "10.244.1.0/24", "10.244.1.0",
                                    "aa:bb:cc:00:00:02", "192.168.77.2"},
                          VxlanPeer{"node-c", "10.244.2.0/24", "10.244.2.0",
                                    "aa:bb:cc:00:00:03", "192.168.77.3"}));
  EXPECT_TRUE(plan.needs_vxlan);
}

// A lone node in vxlan mode still needs its device: others plan a peer
// for it only once its MAC is published.
TEST(RoutePlan, VxlanModeNeedsTheDeviceEvenAlone) {
  const RoutePlan plan =
      PlanRoutes("node-a", RouteMode::kVxlan, {kThreeNodes[1]}, {});
  EXPECT_TRUE(plan.needs_vxlan);
  EXPECT_THAT(plan.vxlan, IsEmpty());
}

TEST(RoutePlan, HostGwModeLeavesUnreachableNodesWaiting) {
  std::vector<NodeRouteInfo> nodes = kThreeNodes;
  nodes[0].internal_ip = "172.16.5.3";
  const RoutePlan plan =
      PlanRoutes("node-b", RouteMode::kHostGw, nodes, {"192.168.77.0/24"});
  EXPECT_THAT(plan.host_gw, ElementsAre(HostGwRoute{"node-a", "10.244.0.0/24",
                                                    "192.168.77.1"}));
  EXPECT_FALSE(plan.needs_vxlan);
  EXPECT_THAT(plan.waiting,
              ElementsAre("node-c: 172.16.5.3 is on no connected subnet "
                          "(mode host-gw)"));
}

TEST(RoutePlan, NodesWithoutCidrAddressOrMacWait) {
  const RoutePlan plan = PlanRoutes(
      "node-a", RouteMode::kVxlan,
      {Node("node-b", "192.168.77.2", ""), Node("node-c", "", "10.244.2.0/24"),
       Node("node-d", "192.168.77.4", "10.244.3.0/24"),
       Node("node-e", "192.168.77.5", "fd00::/64")},
      {"192.168.77.0/24"});
  EXPECT_THAT(plan.vxlan, IsEmpty());
  EXPECT_THAT(plan.pod_cidrs, IsEmpty());
  EXPECT_THAT(plan.waiting, ElementsAre("node-b: no IPv4 pod CIDR yet",
                                        "node-c: no IPv4 InternalIP",
                                        "node-d: no VTEP MAC published yet",
                                        "node-e: no IPv4 pod CIDR yet"));
}

TEST(RoutePlan, ReadsWhatItNeedsFromANodeObject) {
  auto doc = ParseJson(R"({"metadata": {"name": "node-c", "annotations":
      {"berth.dev/vxlan-vtep-mac": "aa:bb:cc:00:00:03"}},
    "spec": {"podCIDR": "10.244.2.0/24"},
    "status": {"addresses": [{"type": "Hostname", "address": "c"},
      {"type": "InternalIP", "address": "fd00::3"},
      {"type": "InternalIP", "address": "192.168.77.3"}]}})");
  ASSERT_TRUE(doc.ok());
  const NodeRouteInfo info = NodeRouteInfoFromJson(*doc);
  EXPECT_EQ(info.name, "node-c");
  EXPECT_EQ(info.pod_cidr, "10.244.2.0/24");
  EXPECT_EQ(info.internal_ip, "192.168.77.3");
  EXPECT_EQ(info.vtep_mac, "aa:bb:cc:00:00:03");
}

TEST(Ipv4Cidr, ParsesClearsHostBitsAndContains) {
  auto c = ParseIpv4Cidr("192.168.77.9/24");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->ToString(), "192.168.77.0/24");
  EXPECT_EQ(c->NetworkAddress(), "192.168.77.0");
  EXPECT_TRUE(c->Contains(*ParseIpv4("192.168.77.200")));
  EXPECT_FALSE(c->Contains(*ParseIpv4("192.168.78.1")));
  EXPECT_TRUE(ParseIpv4Cidr("0.0.0.0/0")->Contains(*ParseIpv4("8.8.8.8")));
  EXPECT_FALSE(ParseIpv4Cidr("10.0.0.0/33"));
  EXPECT_FALSE(ParseIpv4Cidr("10.0.0.0"));
  EXPECT_FALSE(ParseIpv4Cidr("fd00::/64"));
  EXPECT_FALSE(ParseIpv4Cidr("10.0.0.0/x"));
}

}  // namespace
}  // namespace berth::routes
