// The routes plugin's programmer against a real kernel, in a network
// namespace standing in for a node (a veth pair gives it a 192.168.90.0/24
// subnet): host-gw routes are added, replaced in place, and those of a
// node gone or of an earlier run removed, while routes it does not own
// stay; the masquerade exemptions sit first in nat POSTROUTING; the VXLAN
// device is made once, its neighbour and FDB entries follow the peers, and
// Cleanup leaves nothing of it. Needs root, ip, bridge and iptables; skips
// saying which is missing. The namespace is removed at the end, passed or
// not.
#include "route_programmer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "kernel/exec/process_runner.h"
#include "tests/support/node_netns.h"
#include "tests/support/process.h"

namespace berth::routes {
namespace {

using berth::testing::NodeNetns;
using berth::testing::RunCommand;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

const std::vector<NodeRouteInfo> kNodes = {
    {"node-a", "192.168.90.1", "10.244.1.0/24", ""},
    {"node-b", "192.168.90.2", "10.244.2.0/24", "aa:bb:cc:00:00:02"},
    {"node-c", "192.168.90.3", "10.244.3.0/24", "aa:bb:cc:00:00:03"},
};

class RouteProgrammerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root (network namespaces)";
    for (const char* tool : {"ip", "bridge", "iptables-restore"}) {
      if (RunCommand(std::string("command -v ") + tool).exit_code != 0) {
        GTEST_SKIP() << "no " << tool << " (iproute2, iptables)";
      }
    }
    node_ = std::make_unique<NodeNetns>("berth-rt");
    ASSERT_TRUE(node_->ok());
    ASSERT_EQ(node_
                  ->Exec("ip link add wire type veth peer name wire-peer && "
                         "ip addr add 192.168.90.1/24 dev wire && "
                         "ip link set wire up && ip link set wire-peer up")
                  .exit_code,
              0);
  }

  // Runs `f` with a programmer inside the node's namespace.
  void Inside(const std::function<void(RouteProgrammer&)>& f) {
    ASSERT_TRUE(node_->RunInside([&] {
      RouteProgrammer programmer(runner_, settings_);
      f(programmer);
    }));
  }
  RoutePlan Plan(RouteMode mode, std::vector<NodeRouteInfo> nodes = kNodes) {
    return PlanRoutes("node-a", mode, nodes, {"192.168.90.0/24"});
  }
  std::string Sh(const std::string& command) {
    return node_->Exec(command).out;
  }

  SpawnProcessRunner runner_;
  RoutesSettings settings_;
  std::unique_ptr<NodeNetns> node_;
};

TEST_F(RouteProgrammerTest, HostGwRoutesFollowTheNodesAndLeaveOthersAlone) {
  // An earlier run's route for a node since deleted, and a route of
  // someone else's.
  Sh("ip route add 10.244.9.0/24 via 192.168.90.9 proto 77; "
     "ip route add 10.99.0.0/24 via 192.168.90.9");
  // The CNI bridge plugin's per-pod masquerade, appended before us.
  Sh("iptables -t nat -A POSTROUTING -s 10.244.1.5 -j MASQUERADE");
  Inside([&](RouteProgrammer& p) {
    auto subnets = p.ConnectedSubnets();
    ASSERT_TRUE(subnets.ok()) << subnets.status().ToString();
    EXPECT_EQ(*subnets, std::vector<std::string>{"192.168.90.0/24"});
    Status s = p.Apply(Plan(RouteMode::kHostGw), "10.244.1.0/24");
    ASSERT_TRUE(s.ok()) << s.ToString();
  });
  EXPECT_EQ(Sh("ip -o route show proto 77"),
            "10.244.2.0/24 via 192.168.90.2 dev wire \n"
            "10.244.3.0/24 via 192.168.90.3 dev wire \n");
  EXPECT_THAT(Sh("ip -o route show 10.99.0.0/24"), HasSubstr("192.168.90.9"));
  EXPECT_EQ(Sh("cat /proc/sys/net/ipv4/ip_forward"), "1\n");
  const std::string nat = Sh("iptables -t nat -S");
  EXPECT_THAT(nat, HasSubstr("-A BERTH-ROUTES-POSTROUTING -s 10.244.1.0/24 "
                             "-d 10.244.2.0/24 -j ACCEPT"));
  // The jump comes before the bridge plugin's masquerade.
  EXPECT_LT(nat.find("-j BERTH-ROUTES-POSTROUTING"), nat.find("MASQUERADE"));
  EXPECT_NE(node_->Exec("ip link show berth.vxlan").exit_code, 0);

  // node-c goes (and node-b moves): one route replaced, one removed; a
  // second Apply adds no second jump.
  Inside([&](RouteProgrammer& p) {
    std::vector<NodeRouteInfo> nodes = {kNodes[0], kNodes[1]};
    nodes[1].internal_ip = "192.168.90.12";
    Status s = p.Apply(Plan(RouteMode::kHostGw, nodes), "10.244.1.0/24");
    ASSERT_TRUE(s.ok()) << s.ToString();
  });
  EXPECT_EQ(Sh("ip -o route show proto 77"),
            "10.244.2.0/24 via 192.168.90.12 dev wire \n");
  EXPECT_EQ(RunCommand("ip netns exec " + node_->name() +
                       " iptables -t nat -S POSTROUTING | grep -c BERTH")
                .out,
            "1\n");
  EXPECT_THAT(Sh("iptables -t nat -S BERTH-ROUTES-POSTROUTING"),
              Not(HasSubstr("10.244.3.0/24")));

  Inside([&](RouteProgrammer& p) {
    Status s = p.Cleanup();
    EXPECT_TRUE(s.ok()) << s.ToString();
  });
  EXPECT_EQ(Sh("ip -o route show proto 77"), "");
  EXPECT_THAT(Sh("ip -o route show 10.99.0.0/24"), HasSubstr("192.168.90.9"));
  EXPECT_THAT(Sh("iptables -t nat -S"),
              AllOf(Not(HasSubstr("BERTH")), HasSubstr("MASQUERADE")));
}

TEST_F(RouteProgrammerTest, VxlanPeersFollowTheNodes) {
  std::string mac;
  Inside([&](RouteProgrammer& p) {
    auto made = p.EnsureVxlanDevice("192.168.90.1", "10.244.1.0/24");
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    mac = *made;
    // Made once: a second call keeps the device and its MAC.
    auto again = p.EnsureVxlanDevice("192.168.90.1", "10.244.1.0/24");
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, mac);
    Status s = p.Apply(Plan(RouteMode::kVxlan), "10.244.1.0/24");
    ASSERT_TRUE(s.ok()) << s.ToString();
  });
  const std::string link = Sh("ip -d -o link show berth.vxlan");
  EXPECT_THAT(link, AllOf(HasSubstr(mac), HasSubstr("mtu 1450"),
                          HasSubstr("vxlan id 1 local 192.168.90.1"),
                          HasSubstr("dstport 8472"), HasSubstr("nolearning")));
  EXPECT_THAT(Sh("ip -o addr show dev berth.vxlan"),
              HasSubstr("inet 10.244.1.0/32"));
  EXPECT_EQ(Sh("ip -o route show proto 77"),
            "10.244.2.0/24 via 10.244.2.0 dev berth.vxlan onlink \n"
            "10.244.3.0/24 via 10.244.3.0 dev berth.vxlan onlink \n");
  EXPECT_THAT(
      Sh("ip neigh show dev berth.vxlan"),
      AllOf(HasSubstr("10.244.2.0 lladdr aa:bb:cc:00:00:02 PERMANENT"),
            HasSubstr("10.244.3.0 lladdr aa:bb:cc:00:00:03 PERMANENT")));
  EXPECT_THAT(Sh("bridge fdb show dev berth.vxlan"),
              AllOf(HasSubstr("aa:bb:cc:00:00:02 dst 192.168.90.2"),
                    HasSubstr("aa:bb:cc:00:00:03 dst 192.168.90.3")));

  // node-c goes: its route, neighbour and FDB entries go with it.
  Inside([&](RouteProgrammer& p) {
    Status s = p.Apply(Plan(RouteMode::kVxlan, {kNodes[0], kNodes[1]}),
                       "10.244.1.0/24");
    ASSERT_TRUE(s.ok()) << s.ToString();
  });
  EXPECT_EQ(Sh("ip -o route show proto 77"),
            "10.244.2.0/24 via 10.244.2.0 dev berth.vxlan onlink \n");
  EXPECT_THAT(Sh("ip neigh show dev berth.vxlan"),
              Not(HasSubstr("10.244.3.0")));
  EXPECT_THAT(Sh("bridge fdb show dev berth.vxlan"),
              AllOf(HasSubstr("aa:bb:cc:00:00:02"),
                    Not(HasSubstr("aa:bb:cc:00:00:03"))));

  // Switched to host-gw, the overlay goes.
  Inside([&](RouteProgrammer& p) {
    Status s = p.Apply(Plan(RouteMode::kHostGw), "10.244.1.0/24");
    ASSERT_TRUE(s.ok()) << s.ToString();
  });
  EXPECT_NE(node_->Exec("ip link show berth.vxlan").exit_code, 0);
  EXPECT_THAT(Sh("ip -o route show proto 77"),
              StartsWith("10.244.2.0/24 via 192.168.90.2 dev wire"));
}

}  // namespace
}  // namespace berth::routes
