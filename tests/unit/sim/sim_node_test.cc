// The sim's settings and the Node and Lease objects it registers.
#include "sim_node.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim_settings.h"

namespace berth::sim {
namespace {

JsonDoc Parse(const std::string& text) {
  auto d = ParseJson(text);
  EXPECT_TRUE(d.ok()) << text;
  return d.ok() ? std::move(d).value() : JsonDoc();
}

TEST(SimSettings, DefaultsAreThreeNodes) {
  auto s = ParseSimSettings("{}");
  ASSERT_TRUE(s.ok());
  std::vector<std::string> names;
  for (const auto& n : s->Nodes()) names.push_back(n.name);
  EXPECT_THAT(names, ::testing::ElementsAre("sim-0", "sim-1", "sim-2"));
  EXPECT_EQ(s->heartbeat, std::chrono::seconds(10));
  EXPECT_EQ(s->pod_run_seconds, 1);
}

TEST(SimSettings, GroupsCapacityLabelsTaints) {
  auto s = ParseSimSettings(R"({"nodes":[
    {"count":2,"namePrefix":"big-","capacity":{"cpu":64,"memory":"256Gi"},
     "labels":{"tier":"db"},
     "taints":[{"key":"dedicated","value":"db","effect":"NoSchedule"}]},
    {"count":1}],"heartbeatSeconds":2})");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  auto nodes = s->Nodes();
  ASSERT_EQ(nodes.size(), 3u);
  EXPECT_EQ(nodes[1].name, "big-1");
  EXPECT_EQ(nodes[2].name, "sim-0");
  EXPECT_EQ(FormatIpv4(nodes[2].pod_cidr), "10.128.2.0");
  EXPECT_EQ(s->heartbeat, std::chrono::seconds(2));

  JsonDoc node = Parse(BuildNodeJson(nodes[0]));
  EXPECT_EQ(GetString(node, {"metadata", "labels", "tier"}), "db");
  EXPECT_EQ(GetString(node, {"metadata", "labels", "kubernetes.io/hostname"}),
            "big-0");
  EXPECT_EQ(GetString(node, {"metadata", "labels", "kubernetes.io/os"}),
            "linux");
  EXPECT_EQ(GetString(node, {"metadata", "labels", "kubernetes.io/arch"}),
            "amd64");
  EXPECT_EQ(GetString(node, {"spec", "podCIDR"}), "10.128.0.0/24");
  EXPECT_EQ(ToJson(node["spec"]["taints"]),
            R"([{"key":"dedicated","value":"db","effect":"NoSchedule"}])");

  JsonDoc d(rapidjson::kObjectType);
  Json status = BuildNodeStatus(
      nodes[0], nullptr, *ParseTime("2026-01-01T00:00:00Z"), d.GetAllocator());
  EXPECT_EQ(ToJson(status["capacity"]),
            R"({"cpu":"64","ephemeral-storage":"100Gi","memory":"256Gi",)"
            R"("pods":"110"})");
  EXPECT_EQ(ToJson(status["allocatable"]), ToJson(status["capacity"]));
}

TEST(SimSettings, RefusesWhatCannotWork) {
  EXPECT_FALSE(ParseSimSettings(R"({"nodes":[{"count":-1}]})").ok());
  EXPECT_FALSE(ParseSimSettings(R"({"heartbeatSeconds":0})").ok());
  auto dup = ParseSimSettings(R"({"nodes":[{"count":2},{"count":1}]})");
  ASSERT_FALSE(dup.ok());
  EXPECT_THAT(dup.status().message(), ::testing::HasSubstr("\"sim-0\""));
  auto small = ParseSimSettings(
      R"({"clusterCIDR":"10.244.0.0/16","nodes":[{"count":257}]})");
  ASSERT_FALSE(small.ok());
  EXPECT_THAT(small.status().message(), ::testing::HasSubstr("256 node /24s"));
}

TEST(SimNode, StatusAsKubeletReportsIt) {
  auto s = ParseSimSettings("{}");
  ASSERT_TRUE(s.ok());
  auto nodes = s->Nodes();
  JsonDoc d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  Json status =
      BuildNodeStatus(nodes[1], nullptr, *ParseTime("2026-01-01T00:00:00Z"), a);
  std::vector<std::string> conds;
  for (const auto& c : status["conditions"].GetArray()) {
    conds.push_back(GetString(c, {"type"}) + "=" + GetString(c, {"status"}) +
                    " " + GetString(c, {"reason"}));
  }
  EXPECT_THAT(conds, ::testing::ElementsAre(
                         "MemoryPressure=False KubeletHasSufficientMemory",
                         "DiskPressure=False KubeletHasNoDiskPressure",
                         "PIDPressure=False KubeletHasSufficientPID",
                         "Ready=True KubeletReady"));
  EXPECT_EQ(ToJson(status["addresses"]),
            R"([{"type":"InternalIP","address":"172.16.0.3"},)"
            R"({"type":"Hostname","address":"sim-1"}])");
  EXPECT_EQ(GetString(status, {"nodeInfo", "operatingSystem"}), "linux");
  EXPECT_EQ(GetString(status, {"nodeInfo", "architecture"}), "amd64");

  // A later report keeps the transition time and moves the heartbeat.
  Json later =
      BuildNodeStatus(nodes[1], &status, *ParseTime("2026-01-01T00:05:00Z"), a);
  EXPECT_EQ(GetString(later["conditions"][3], {"lastTransitionTime"}),
            "2026-01-01T00:00:00Z");
  EXPECT_EQ(GetString(later["conditions"][3], {"lastHeartbeatTime"}),
            "2026-01-01T00:05:00Z");
}

TEST(SimNode, LeaseIsHeldAndOwnedByTheNode) {
  JsonDoc lease = Parse(
      BuildLeaseJson("sim-0", "uid-1", *ParseTime("2026-01-01T00:00:00Z")));
  EXPECT_EQ(GetString(lease, {"apiVersion"}), "coordination.k8s.io/v1");
  EXPECT_EQ(GetString(lease, {"metadata", "namespace"}), "kube-node-lease");
  EXPECT_EQ(GetString(lease, {"spec", "holderIdentity"}), "sim-0");
  EXPECT_EQ(GetInt(lease, {"spec", "leaseDurationSeconds"}), 40);
  EXPECT_EQ(GetString(lease, {"spec", "renewTime"}),
            "2026-01-01T00:00:00.000000Z");
  EXPECT_EQ(GetString(lease["metadata"]["ownerReferences"][0], {"uid"}),
            "uid-1");
}

}  // namespace
}  // namespace berth::sim
