// NodeCluster: a one-node Berth in a network namespace with a registry
// holding busybox — the setup the e2e tests of pods, services, network
// policy, cluster DNS and the connect proxy share. A NodeNetns stands in
// for the machine; inside it a docker-registry on 127.0.0.1:5000 serves
// library/busybox:1.35 (optionally a basic-auth one on 5001 serves
// private/busybox:1.35), and a `berth server` runs the oci runtime (runc),
// cni and the node agent as node1 with the plugins and settings the test
// adds. Start() returns once node1 is Ready; kubectl then runs inside the
// namespace with the admin kubeconfig.
//
// Thread safety: not thread-safe; one test owns one NodeCluster.
#ifndef BERTH_TESTS_SUPPORT_NODE_CLUSTER_H_
#define BERTH_TESTS_SUPPORT_NODE_CLUSTER_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/kubectl.h"
#include "tests/support/node_netns.h"
#include "tests/support/oci_registry.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace berth::testing {

struct NodeClusterOptions {
  // Prefix of the network namespace's name ("berth-pods").
  std::string netns_prefix;
  // The plugins before oci, one YAML list item a line.
  std::string plugins =
      "  - core\n  - auth\n  - storage\n  - workloads\n  - scheduler\n";
  // Appended inside the node plugin's settings flow map
  // (", clusterDNS: [10.96.0.10]").
  std::string node_settings;
  // Plugin list items after the node plugin (proxy, policy, dns).
  std::string more_plugins;
  // Also a basic-auth registry on 127.0.0.1:5001 holding
  // private/busybox:1.35.
  bool private_registry = false;
  // Arguments for `berth server` after --config.
  std::vector<std::string> server_args;
  // Runs once the namespace exists, before the registry and the server
  // start (a test's own links, servers or stale rules); it may fail with
  // gtest assertions.
  std::function<void(NodeNetns&)> prepare;
};

class NodeCluster {
 public:
  NodeCluster() = default;
  NodeCluster(const NodeCluster&) = delete;
  NodeCluster& operator=(const NodeCluster&) = delete;

  // Why this machine cannot run the cluster (not root, no kubectl, runc or
  // registry tools), for GTEST_SKIP(); "" when it can.
  static std::string MissingTools() {
    if (geteuid() != 0) return "needs root (namespaces, cgroups)";
    if (!HaveKubectl()) return kNoKubectl;
    if (RunCommand("command -v runc").exit_code != 0) {
      return "runc is not installed (scripts/install-deps.sh)";
    }
    return MissingRegistryTools();
  }

  // Sets everything up; fails the test (call it in ASSERT_NO_FATAL_FAILURE)
  // when a step does, with that step's log.
  void Start(const NodeClusterOptions& options) {
    node_ = std::make_unique<NodeNetns>(options.netns_prefix);
    ASSERT_TRUE(node_->ok()) << "cannot create a network namespace";
    if (options.prepare) {
      options.prepare(*node_);
      if (::testing::Test::HasFatalFailure()) return;
    }
    const std::string image_dir = dir_.path() + "/busybox";
    ASSERT_EQ(BuildOciImage(image_dir, {"--busybox", "--tag", "1.35"}), "");
    registry_ = std::make_unique<RegistryServer>(RegistryServer::Mode::kPlain,
                                                 node_->name());
    ASSERT_TRUE(registry_->Start()) << registry_->log();
    ASSERT_EQ(registry_->Push(image_dir, "library/busybox", "1.35"), "");
    if (options.private_registry) {
      private_registry_ = std::make_unique<RegistryServer>(
          RegistryServer::Mode::kBasicAuth, node_->name());
      ASSERT_TRUE(private_registry_->Start()) << private_registry_->log();
      ASSERT_EQ(private_registry_->Push(image_dir, "private/busybox", "1.35"),
                "");
    }

    const std::string d = dir_.path();
    std::filesystem::create_directories(d + "/home");
    config_ = d + "/berth.yaml";
    std::ofstream(config_)
        << "plugins:\n"
        << options.plugins << "  - name: oci\n"
        << "    settings:\n"
        << "      root: " << d << "/oci\n"
        << "      imageRoot: " << d << "/images\n"
        << "      registries:\n"
        << "        \"127.0.0.1:5000\": {insecure: true}\n"
        << (options.private_registry
                ? "        \"127.0.0.1:5001\": {insecure: true}\n"
                : "")
        << "  - name: cni\n"
        << "    settings: {cacheDir: " << d << "/cni}\n"
        << "  - name: node\n"
        << "    settings: {nodeName: node1, runtime: runc, network: cni, "
        << "rootDir: " << d << "/node, heartbeatSeconds: 2"
        << options.node_settings << "}\n"
        << options.more_plugins;
    server_ = std::make_unique<BerthServer>(d + "/data");
    server_->set_netns(node_->name());
    std::vector<std::string> args = {"--config", config_};
    args.insert(args.end(), options.server_args.begin(),
                options.server_args.end());
    ASSERT_TRUE(server_->Start(args)) << server_->log();
    ASSERT_TRUE(Eventually([&] {
      return Jsonpath("node node1",
                      ".status.conditions[?(@.type==\"Ready\")].status") ==
             "True";
    })) << Kubectl("get nodes -o yaml").out;
  }

  // Whether the server was started (and not yet stopped by the test).
  bool running() const { return server_ && server_->pid() > 0; }

  // A TearDown's part: deletes all Deployments and pods (so the agent
  // tears their containers down), expecting the pods gone within 60 s,
  // then stops the server expecting exit code 0. `scope` is added to the
  // kubectl commands ("-A": every namespace). Nothing when the server is
  // not running.
  void DeletePodsAndStop(const std::string& scope = "") {
    if (!running()) return;
    const std::string s = scope.empty() ? "" : " " + scope;
    Kubectl("delete deployments --all" + s + " --timeout=60s");
    EXPECT_OK(Kubectl("delete pods --all" + s + " --timeout=60s"))
        << Kubectl("get pods" + s + " -o wide").out << server_->log();
    EXPECT_EQ(server_->Stop(), 0) << server_->log();
  }

  // The environment for kubectl with the admin kubeconfig (KubectlEnv).
  std::map<std::string, std::string> kubectl_env() const {
    return KubectlEnv(*server_, dir_.path() + "/home");
  }
  // kubectl inside the node's namespace, where the server listens.
  CommandResult Kubectl(const std::string& args,
                        const std::string& input = "") {
    return node_->Exec("kubectl " + args, kubectl_env(), input);
  }
  std::string Jsonpath(const std::string& object, const std::string& path) {
    return Kubectl("get " + object + " -o jsonpath='{" + path + "}'").out;
  }
  // Polls `done` every 100 ms for up to `seconds`.
  static bool Eventually(const std::function<bool()>& done, int seconds = 90) {
    for (int i = 0; i < seconds * 10; ++i) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  NodeNetns& node() { return *node_; }
  BerthServer& server() { return *server_; }
  // The plain registry on 127.0.0.1:5000.
  RegistryServer& registry() { return *registry_; }
  const std::string& dir() const { return dir_.path(); }
  const std::string& config() const { return config_; }

 private:
  TempDir dir_;
  std::unique_ptr<NodeNetns> node_;
  std::unique_ptr<RegistryServer> registry_;
  std::unique_ptr<RegistryServer> private_registry_;
  std::string config_;
  std::unique_ptr<BerthServer> server_;
};

// A gtest fixture holding a NodeCluster with its kubectl helpers under
// their short names. `Base` is ::testing::Test or a TestWithParam.
template <typename Base = ::testing::Test>
class NodeClusterTest : public Base {
 protected:
  CommandResult Kubectl(const std::string& args,
                        const std::string& input = "") {
    return cluster_.Kubectl(args, input);
  }
  std::string Jsonpath(const std::string& object, const std::string& path) {
    return cluster_.Jsonpath(object, path);
  }
  static bool Eventually(const std::function<bool()>& done, int seconds = 90) {
    return NodeCluster::Eventually(done, seconds);
  }

  NodeCluster cluster_;
};

}  // namespace berth::testing

#endif  // BERTH_TESTS_SUPPORT_NODE_CLUSTER_H_
