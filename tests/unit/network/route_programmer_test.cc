// What the routes plugin hands iproute2 and iptables for a plan, and how it
// reads this machine's subnets.
#include "route_programmer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace berth::routes {
namespace {

using ::testing::ElementsAre;

RoutePlan MixedPlan() {
  RoutePlan plan;
  plan.host_gw = {{"node-a", "10.244.0.0/24", "192.168.77.1"}};
  plan.vxlan = {{"node-c", "10.244.2.0/24", "10.244.2.0", "aa:bb:cc:00:00:03",
                 "172.16.5.3"}};
  plan.needs_vxlan = true;
  plan.pod_cidrs = {"10.244.0.0/24", "10.244.2.0/24"};
  return plan;
}

TEST(RouteProgrammer, ReplacesRoutesTaggedWithItsProtocol) {
  EXPECT_EQ(IpBatchFor(MixedPlan(), "berth.vxlan"),
            "route replace 10.244.0.0/24 via 192.168.77.1 proto 77\n"
            "neigh replace 10.244.2.0 lladdr aa:bb:cc:00:00:03 dev berth.vxlan "
            "nud permanent\n"
            "route replace 10.244.2.0/24 via 10.244.2.0 dev berth.vxlan onlink "
            "proto 77\n");
  EXPECT_EQ(BridgeBatchFor(MixedPlan(), "berth.vxlan"),
            "fdb replace aa:bb:cc:00:00:03 dev berth.vxlan dst 172.16.5.3 self "
            "permanent\n");
  EXPECT_EQ(IpBatchFor(RoutePlan{}, "berth.vxlan"), "");
}

// The CNI bridge plugin's ipMasq masquerades all that leaves the node's
// pod CIDR; the exemption accepts pod-to-pod traffic ahead of it.
TEST(RouteProgrammer, ExemptsPodToPodTrafficFromMasquerade) {
  EXPECT_EQ(MasqueradeRulesFor(MixedPlan(), "10.244.1.0/24"),
            "*nat\n:BERTH-ROUTES-POSTROUTING - [0:0]\n"
            "-A BERTH-ROUTES-POSTROUTING -s 10.244.1.0/24 -d 10.244.0.0/24 "
            "-j ACCEPT\n"
            "-A BERTH-ROUTES-POSTROUTING -s 10.244.1.0/24 -d 10.244.2.0/24 "
            "-j ACCEPT\n"
            "COMMIT\n");
  EXPECT_EQ(MasqueradeRulesFor(MixedPlan(), ""),
            "*nat\n:BERTH-ROUTES-POSTROUTING - [0:0]\nCOMMIT\n");
}

TEST(RouteProgrammer, ConnectedSubnetsSkipLoopbackPeersAndTheOverlay) {
  const std::string out =
      "1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever\n"
      "2: eth0    inet 192.168.77.2/24 brd 192.168.77.255 scope global "
      "eth0\\       valid_lft forever\n"
      "3: cni0    inet 10.244.1.1/24 brd 10.244.1.255 scope global cni0\n"
      "4: berth.vxlan    inet 10.244.1.0/32 scope global berth.vxlan\n"
      "5: tun0    inet 10.9.0.1 peer 10.9.0.2/32 scope global tun0\n";
  EXPECT_THAT(ParseConnectedSubnets(out, "berth.vxlan"),
              ElementsAre("192.168.77.0/24", "10.244.1.0/24"));
}

}  // namespace
}  // namespace berth::routes
