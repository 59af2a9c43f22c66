// End-to-end: node IPAM in a real `berth server` (core plugin) with the
// real kubectl. Nodes created through the API get distinct pod CIDRs from
// the cluster CIDR, still distinct after a server restart; a deleted
// Node's CIDR goes to a Node that was waiting for one. Waits poll with a
// generous deadline and measure nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <set>
#include <thread>

#include "tests/support/kubectl.h"
#include "tests/support/process.h"

namespace berth::testing {
namespace {

using ::testing::MatchesRegex;

class NodeIpamE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveKubectl()) GTEST_SKIP() << kNoKubectl;
    std::filesystem::create_directories(dir_.path() + "/home");
  }
  void TearDown() override {
    if (server_ && server_->pid() > 0) {
      EXPECT_EQ(server_->Stop(), 0) << server_->log();
    }
  }
  void Start(const std::string& core_settings) {
    config_ = dir_.path() + "/berth.yaml";
    std::ofstream(config_) << "plugins:\n  - name: core\n    settings: "
                           << core_settings << "\n";
    server_ = std::make_unique<BerthServer>(dir_.path() + "/data");
    ASSERT_TRUE(server_->Start({"--config", config_})) << server_->log();
  }

  CommandResult Kubectl(const std::string& args,
                        const std::string& input = "") {
    return RunCommand("kubectl " + args,
                      KubectlEnv(*server_, dir_.path() + "/home"), input);
  }
  void CreateNode(const std::string& name) {
    EXPECT_OK(Kubectl("apply -f -",
                      "apiVersion: v1\nkind: Node\nmetadata:\n"
                      "  name: " +
                          name + "\n"));
  }
  std::string PodCidr(const std::string& node) {
    return Kubectl("get node " + node + " -o jsonpath='{.spec.podCIDR}'").out;
  }
  // Polls every 200 ms for up to 60 s until the node has a pod CIDR.
  std::string AwaitPodCidr(const std::string& node) {
    for (int i = 0; i < 300; ++i) {
      std::string cidr = PodCidr(node);
      if (!cidr.empty()) return cidr;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return "";
  }

  TempDir dir_;
  std::string config_;
  std::unique_ptr<BerthServer> server_;
};

TEST_F(NodeIpamE2eTest, ThreeNodesGetDistinctPodCidrs) {
  Start("{}");
  std::set<std::string> seen;
  for (const char* n : {"node-a", "node-b", "node-c"}) CreateNode(n);
  for (const char* n : {"node-a", "node-b", "node-c"}) {
    const std::string cidr = AwaitPodCidr(n);
    EXPECT_THAT(cidr, MatchesRegex("10\\.244\\.[0-9]+\\.0/24")) << n;
    EXPECT_EQ(Kubectl(std::string("get node ") + n +
                      " -o jsonpath='{.spec.podCIDRs}'")
                  .out,
              "[\"" + cidr + "\"]");
    seen.insert(cidr);
  }
  EXPECT_EQ(seen.size(), 3u);

  // A restarted server learns what the Nodes hold before handing out more.
  ASSERT_EQ(server_->Stop(), 0) << server_->log();
  ASSERT_TRUE(server_->Start({"--config", config_})) << server_->log();
  CreateNode("node-d");
  const std::string d = AwaitPodCidr("node-d");
  EXPECT_THAT(d, MatchesRegex("10\\.244\\.[0-9]+\\.0/24"));
  EXPECT_EQ(seen.count(d), 0u) << d;
}

TEST_F(NodeIpamE2eTest, DeletedNodesCidrGoesToAWaitingNode) {
  // Room for two node CIDRs only.
  Start("{clusterCIDR: 10.250.0.0/23, nodeCIDRMaskSize: 24}");
  CreateNode("node-a");
  CreateNode("node-b");
  const std::string a = AwaitPodCidr("node-a");
  const std::string b = AwaitPodCidr("node-b");
  EXPECT_THAT(a, MatchesRegex("10\\.250\\.[01]\\.0/24"));
  EXPECT_THAT(b, MatchesRegex("10\\.250\\.[01]\\.0/24"));
  EXPECT_NE(a, b);

  CreateNode("node-c");
  auto events = Kubectl("get events -A");
  for (int i = 0;
       i < 300 && events.out.find("CIDRNotAvailable") == std::string::npos;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    events = Kubectl("get events -A");
  }
  EXPECT_THAT(events.out, ::testing::HasSubstr("CIDRNotAvailable"));
  EXPECT_EQ(PodCidr("node-c"), "");

  EXPECT_OK(Kubectl("delete node node-a"));
  EXPECT_EQ(AwaitPodCidr("node-c"), a);
}

}  // namespace
}  // namespace berth::testing
