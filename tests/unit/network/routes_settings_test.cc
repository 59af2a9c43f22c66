// The routes plugin's settings: modes, names, and refusals naming the key.
#include "routes_settings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

namespace berth::routes {
namespace {

using ::testing::HasSubstr;

TEST(RoutesSettings, DefaultsToAutoAndTheAgentsNodeName) {
  setenv("BERTH_NODE_NAME", "Node-B", 1);
  auto s = ParseRoutesSettings("");
  unsetenv("BERTH_NODE_NAME");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->mode, RouteMode::kAuto);
  EXPECT_EQ(s->node_name, "node-b");
  EXPECT_EQ(s->vxlan_device, "berth.vxlan");
  EXPECT_EQ(s->vni, 1);
  EXPECT_EQ(s->vxlan_port, 8472);
}

TEST(RoutesSettings, ReadsEachSetting) {
  auto s = ParseRoutesSettings(
      R"({"mode": "vxlan", "nodeName": "Node-A", "vxlanDevice": "vx0",
          "vni": 42, "vxlanPort": 4789, "iptables": "iptables-legacy",
          "resyncSeconds": 5, "cleanupOnExit": false})");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->mode, RouteMode::kVxlan);
  EXPECT_EQ(s->node_name, "node-a");
  EXPECT_EQ(s->vxlan_device, "vx0");
  EXPECT_EQ(s->vni, 42);
  EXPECT_EQ(s->vxlan_port, 4789);
  EXPECT_EQ(s->iptables, "iptables-legacy");
  EXPECT_EQ(s->resync_period, std::chrono::seconds(5));
  EXPECT_FALSE(s->cleanup_on_exit);
  EXPECT_EQ(ParseRoutesSettings(R"({"mode": "host-gw"})")->mode,
            RouteMode::kHostGw);
}

TEST(RoutesSettings, RefusesBadValuesNamingTheSetting) {
  EXPECT_THAT(ParseRoutesSettings(R"({"mode": "bgp"})").status().message(),
              HasSubstr("mode must be auto, host-gw or vxlan"));
  EXPECT_THAT(ParseRoutesSettings(R"({"vni": 0})").status().message(),
              HasSubstr("setting vni must be a number"));
  EXPECT_THAT(ParseRoutesSettings(R"({"vxlanDevice": "a-very-long-name0"})")
                  .status()
                  .message(),
              HasSubstr("at most 15 bytes"));
  EXPECT_THAT(ParseRoutesSettings(R"({"backend": "x"})").status().message(),
              HasSubstr("unknown setting backend"));
}

}  // namespace
}  // namespace berth::routes
