// Issue #4's "the node agent runs inside `berth server` for the local node
// by default": a `berth server` with the shipped conf/berth.yaml, unchanged,
// inside a network namespace standing in for a machine (so its CNI bridge
// and Service rules stay there). Its node is Ready and runs a busybox pod
// from an image `berth image import` put into the default store; the same
// config on a host that cannot run containers (the server as an unprivileged
// user) still serves the API and says why its node is NotReady.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "tests/support/kubectl.h"
#include "tests/support/node_netns.h"
#include "tests/support/oci_registry.h"
#include "tests/support/process.h"

namespace berth::testing {
namespace {

using ::testing::HasSubstr;

class DefaultNodeE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root (namespaces, cgroups)";
    if (!HaveKubectl()) GTEST_SKIP() << kNoKubectl;
    node_ = std::make_unique<NodeNetns>("berth-defnode");
    ASSERT_TRUE(node_->ok()) << "cannot create a network namespace";
    server_ = std::make_unique<BerthServer>(dir_.path() + "/data");
    server_->set_netns(node_->name());
  }

  void TearDown() override {
    if (server_ && server_->pid() > 0) {
      Kubectl("delete pods --all --timeout=60s");
      EXPECT_EQ(server_->Stop(), 0) << server_->log();
    }
  }

  CommandResult Kubectl(const std::string& args) {
    return node_->Exec("kubectl " + args,
                       KubectlEnv(*server_, dir_.path() + "/home"));
  }
  std::string Jsonpath(const std::string& object, const std::string& path) {
    return Kubectl("get " + object + " -o jsonpath='{" + path + "}'").out;
  }
  static bool Eventually(const std::function<bool()>& done, int seconds = 60) {
    for (int i = 0; i < seconds * 4; ++i) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    return false;
  }
  static size_t Count(const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos;
         at = text.find(what, at + 1)) {
      ++n;
    }
    return n;
  }
  static std::string ReadyOf(const std::string& what) {
    return ".status.conditions[?(@.type==\"Ready\")]." + what;
  }

  TempDir dir_;
  std::unique_ptr<NodeNetns> node_;
  std::unique_ptr<BerthServer> server_;
};

TEST_F(DefaultNodeE2eTest, ShippedConfigRunsAPodOnItsOneReadyNode) {
  if (RunCommand("command -v runc").exit_code != 0) {
    GTEST_SKIP() << "runc is not installed (scripts/install-deps.sh)";
  }
  if (std::string missing = MissingRegistryTools(); !missing.empty()) {
    GTEST_SKIP() << missing;
  }
  // The README's quick start: import busybox with `berth image import` (its
  // default store, <data dir>/images), then run it from the shipped config.
  const std::string archive = dir_.path() + "/busybox.tar";
  ASSERT_EQ(BuildOciImage(dir_.path() + "/busybox",
                          {"--busybox", "--tag", "1.35", "--archive", archive}),
            "");
  auto imported = RunCommand(BerthBinary() + " image import " + archive +
                             " --data-dir " + server_->data_dir());
  ASSERT_EQ(imported.exit_code, 0) << imported.err;

  ASSERT_TRUE(server_->Start({"--config", ShippedConfig()})) << server_->log();
  ASSERT_TRUE(Eventually([&] {
    return Kubectl("get nodes --no-headers").out.find(" Ready ") !=
           std::string::npos;
  })) << Kubectl("get nodes -o yaml").out
      << server_->log();
  auto nodes = Kubectl("get nodes --no-headers");
  EXPECT_EQ(std::count(nodes.out.begin(), nodes.out.end(), '\n'), 1)
      << nodes.out;

  EXPECT_OK(
      Kubectl("run bb --image=busybox:1.35 --restart=Never -- "
              "sh -c 'echo hello from berth; sleep 3600'"));
  EXPECT_TRUE(Eventually([&] {
    return Jsonpath("pod bb", ".status.phase") == "Running";
  })) << Kubectl("describe pod bb").out
      << server_->log();
  EXPECT_TRUE(Eventually([&] {
    return Kubectl("logs bb").out.find("hello from berth") != std::string::npos;
  })) << Kubectl("logs bb").err;
  // The node keeps its state under the data dir, not in /var/lib.
  EXPECT_TRUE(std::filesystem::exists(server_->data_dir() + "/node/pods"));
  EXPECT_TRUE(std::filesystem::exists(server_->data_dir() + "/runtime/oci"));
}

TEST_F(DefaultNodeE2eTest, HostThatCannotRunContainersStillServesTheApi) {
  // The server as `nobody`: no root, so no containers, bridges or rules.
  const std::string data = server_->data_dir();
  std::filesystem::create_directories(data);
  chmod(dir_.path().c_str(), 0777);
  chmod(data.c_str(), 0777);
  server_->set_wrapper({"setpriv", "--reuid=65534", "--regid=65534",
                        "--clear-groups", "env", "HOME=" + data});
  ASSERT_TRUE(server_->Start({"--config", ShippedConfig()})) << server_->log();

  EXPECT_OK(Kubectl("get namespaces"));
  std::string node;
  ASSERT_TRUE(Eventually([&] {
    node = Jsonpath("nodes", ".items[0].metadata.name");
    return !node.empty();
  })) << server_->log();
  EXPECT_EQ(Jsonpath("node " + node, ReadyOf("status")), "False");
  EXPECT_EQ(Jsonpath("node " + node, ReadyOf("reason")), "KubeletNotReady");
  EXPECT_THAT(Jsonpath("node " + node, ReadyOf("message")),
              HasSubstr("container runtime network not ready: running "
                        "containers needs root"));
  EXPECT_THAT(Kubectl("get nodes --no-headers").out, HasSubstr("NotReady"));
  // One line in the server's log says why; the Service proxy, which cannot
  // program rules either and retries every second, says so once too.
  ASSERT_TRUE(Eventually([&] {
    return server_->log().find("plugin=proxy") != std::string::npos;
  })) << server_->log();
  std::this_thread::sleep_for(std::chrono::seconds(3));
  const std::string log = server_->log();
  EXPECT_EQ(Count(log, "cannot run pods"), 1u) << log;
  EXPECT_THAT(log, HasSubstr("needs root"));
  EXPECT_EQ(Count(log, "plugin=proxy"), 1u) << log;
}

}  // namespace
}  // namespace berth::testing
