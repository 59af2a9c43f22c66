// End-to-end: the node plugin inside a real `berth server`, with an
// in-memory runtime and pod network (tests/unit/node's fakes in a test
// plugin), driven by the real kubectl — the Node registered Ready with the
// runtime's version and a renewed Lease, a bound pod Running with its
// address and the kubelet's events, and a deleted pod gone.
// Waits poll with a generous deadline and measure nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <thread>

#include "tests/support/kubectl.h"
#include "tests/support/process.h"

namespace berth::testing {
namespace {

using ::testing::HasSubstr;

class NodeE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveKubectl()) GTEST_SKIP() << kNoKubectl;
    std::filesystem::create_directories(dir_.path() + "/home");
    config_ = dir_.path() + "/berth.yaml";
    std::ofstream(config_)
        << "pluginDirs: [" << BERTH_MEMORY_RUNTIME_PLUGIN_DIR << "]\n"
        << "plugins:\n"
        << "  - core\n"
        << "  - memory-runtime\n"
        << "  - name: node\n"
        << "    settings: {nodeName: e2e-node, runtime: fake, network: "
           "fakenet, heartbeatSeconds: 1, rootDir: "
        << dir_.path() << "/node}\n";
    server_ = std::make_unique<BerthServer>(dir_.path() + "/data");
    ASSERT_TRUE(server_->Start({"--config", config_})) << server_->log();
  }
  void TearDown() override {
    if (server_ && server_->pid() > 0) {
      EXPECT_EQ(server_->Stop(), 0) << server_->log();
    }
  }

  CommandResult Kubectl(const std::string& args,
                        const std::string& input = "") {
    return RunCommand("kubectl " + args,
                      KubectlEnv(*server_, dir_.path() + "/home"), input);
  }
  std::string Jsonpath(const std::string& object, const std::string& path) {
    return Kubectl("get " + object + " -o jsonpath='{" + path + "}'").out;
  }
  // Polls `done` every 200 ms for up to 60 s.
  static bool Eventually(const std::function<bool()>& done) {
    for (int i = 0; i < 300; ++i) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return false;
  }

  TempDir dir_;
  std::string config_;
  std::unique_ptr<BerthServer> server_;
};

TEST_F(NodeE2eTest, NodeRegistersReadyWithARenewedLease) {
  ASSERT_TRUE(Eventually([&] {
    return Jsonpath("node e2e-node",
                    ".status.conditions[?(@.type==\"Ready\")].status") ==
           "True";
  })) << server_->log();
  EXPECT_EQ(
      Jsonpath("node e2e-node", ".status.nodeInfo.containerRuntimeVersion"),
      "fake://1.0");
  EXPECT_EQ(Jsonpath("node e2e-node", ".status.allocatable.pods"), "110");
  EXPECT_FALSE(Jsonpath("node e2e-node", ".status.capacity.cpu").empty());
  EXPECT_EQ(
      Jsonpath("node e2e-node", ".metadata.labels.kubernetes\\.io/hostname"),
      "e2e-node");
  const std::string first =
      Jsonpath("lease e2e-node -n kube-node-lease", ".spec.renewTime");
  EXPECT_FALSE(first.empty());
  EXPECT_TRUE(Eventually([&] {
    return Jsonpath("lease e2e-node -n kube-node-lease", ".spec.renewTime") !=
           first;
  }));
}

TEST_F(NodeE2eTest, BoundPodRunsAndGoesWhenDeleted) {
  EXPECT_OK(Kubectl("apply -f -",
                    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n"
                    "spec:\n  nodeName: e2e-node\n  containers:\n"
                    "  - {name: app, image: 'busybox:1.36'}\n"));
  ASSERT_TRUE(Eventually([&] {
    return Jsonpath("pod web", ".status.phase") == "Running";
  })) << Kubectl("get pod web -o yaml").out;
  EXPECT_THAT(Jsonpath("pod web", ".status.podIP"), HasSubstr("10.88.0."));
  EXPECT_EQ(
      Jsonpath("pod web", ".status.conditions[?(@.type==\"Ready\")].status"),
      "True");
  EXPECT_THAT(Jsonpath("pod web", ".status.containerStatuses[0].containerID"),
              HasSubstr("fake://"));
  EXPECT_TRUE(Eventually([&] {
    return Kubectl("get events").out.find("Started container app") !=
           std::string::npos;
  }));
  auto pods = Kubectl("get pods");
  EXPECT_THAT(pods.out, ::testing::MatchesRegex(
                            "(.|\n)*web +1/1 +Running +0 +[0-9]+s\n"));

  EXPECT_OK(Kubectl("delete pod web --wait=true --timeout=60s"));
  auto gone = Kubectl("get pod web");
  EXPECT_NE(gone.exit_code, 0);
}

TEST_F(NodeE2eTest, RuntimeClassPicksTheRuntimeByHandler) {
  EXPECT_OK(Kubectl("apply -f -",
                    "apiVersion: node.k8s.io/v1\nkind: RuntimeClass\n"
                    "metadata: {name: memory}\nhandler: fake\n---\n"
                    "apiVersion: node.k8s.io/v1\nkind: RuntimeClass\n"
                    "metadata: {name: absent}\nhandler: nosuch\n"));
  EXPECT_THAT(Kubectl("get runtimeclasses").out,
              ::testing::MatchesRegex("NAME +HANDLER +AGE\n"
                                      "absent +nosuch +[0-9]+s\n"
                                      "memory +fake +[0-9]+s\n"));
  EXPECT_OK(Kubectl("apply -f -",
                    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: good\n"
                    "spec:\n  nodeName: e2e-node\n  runtimeClassName: memory\n"
                    "  containers:\n  - {name: app, image: busybox}\n---\n"
                    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\n"
                    "spec:\n  nodeName: e2e-node\n  runtimeClassName: absent\n"
                    "  containers:\n  - {name: app, image: busybox}\n"));
  EXPECT_TRUE(Eventually([&] {
    return Jsonpath("pod good", ".status.phase") == "Running";
  })) << Kubectl("get pod good -o yaml").out;
  EXPECT_TRUE(Eventually([&] {
    return Kubectl("get events")
               .out.find("no container runtime \"nosuch\" on this node") !=
           std::string::npos;
  })) << Kubectl("get events").out;
}

// Node IPAM gives the Node its pod CIDR just after the agent registered
// it; the agent must hand it to the pod network before the next heartbeat
// (here an hour away), or pods wait a heartbeat for their network.
TEST_F(NodeE2eTest, PodNetworkGetsThePodCidrBeforeTheNextHeartbeat) {
  ASSERT_EQ(server_->Stop(), 0) << server_->log();
  std::ofstream(config_)
      << "pluginDirs: [" << BERTH_MEMORY_RUNTIME_PLUGIN_DIR << "]\n"
      << "plugins:\n"
      << "  - core\n"
      << "  - name: memory-runtime\n"
      << "    settings: {requirePodCidr: true}\n"
      << "  - name: node\n"
      << "    settings: {nodeName: cidr-node, runtime: fake, network: "
         "fakenet, heartbeatSeconds: 3600, rootDir: "
      << dir_.path() << "/node2}\n";
  server_ = std::make_unique<BerthServer>(dir_.path() + "/data2");
  ASSERT_TRUE(server_->Start({"--config", config_})) << server_->log();
  EXPECT_OK(Kubectl("apply -f -",
                    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: early\n"
                    "spec:\n  nodeName: cidr-node\n  containers:\n"
                    "  - {name: app, image: 'busybox:1.36'}\n"));
  EXPECT_TRUE(Eventually([&] {
    return Jsonpath("pod early", ".status.phase") == "Running";
  })) << Kubectl("get pod early -o yaml").out
      << Kubectl("get events").out;
  EXPECT_FALSE(Jsonpath("node cidr-node", ".spec.podCIDR").empty());
}

}  // namespace
}  // namespace berth::testing
