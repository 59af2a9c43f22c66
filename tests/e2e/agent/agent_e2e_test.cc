// `berth agent` end to end. A `berth server` with its own node agent runs in
// network namespace A (as in tests/e2e/pods); other machines are network
// namespaces B (and C) plugged into a switch in A, where `berth agent` runs
// the node, oci and cni plugins against the server's address on the
// switch. A pod bound to node B runs there with real runc and CNI, from an
// image pulled off a registry in B. With the routes and proxy plugins on
// every node, pods on B reach pods on C by pod IP and through a Service
// (host-gw, and VXLAN forced). The command-line tests need no root.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/kubectl.h"
#include "tests/support/node_netns.h"
#include "tests/support/oci_registry.h"
#include "tests/support/process.h"

namespace berth::testing {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kImage[] = "127.0.0.1:5000/library/busybox:1.35";

// Polls `done` every 250 ms for up to `seconds`.
bool Eventually(const std::function<bool()>& done, int seconds = 60) {
  for (int i = 0; i < seconds * 4; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  return false;
}

size_t CountLines(const std::string& text, const std::string& needle) {
  size_t n = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.find(needle) != std::string::npos) ++n;
  }
  return n;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// ---------------------------------------------------------------------------
// Without root: what an admin sees when something is wrong, and agents
// with the in-memory runtime.

class AgentCommandTest : public ::testing::Test {
 protected:
  std::string WriteConfig(const std::string& yaml) {
    const std::string path = dir_.path() + "/agent.yaml";
    std::ofstream(path) << yaml;
    return path;
  }
  TempDir dir_;
};

TEST_F(AgentCommandTest, ABadKubeconfigIsOneLineAndExitOne) {
  const std::string kubeconfig = dir_.path() + "/bad.kubeconfig";
  std::ofstream(kubeconfig) << "apiVersion: v1\nclusters: [\n";
  auto r = RunCommand(BerthBinary() + " agent --data-dir " + dir_.path() +
                      "/a --kubeconfig " + kubeconfig + " --config " +
                      WriteConfig("plugins: []\n"));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(r.err, StartsWith("berth agent: kubeconfig " + kubeconfig));
  EXPECT_EQ(CountLines(r.err, ""), 1u) << r.err;

  auto missing =
      RunCommand(BerthBinary() + " agent --kubeconfig " + dir_.path() +
                 "/nope --data-dir " + dir_.path() + "/a");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("no such file"));

  auto none =
      RunCommand(BerthBinary() + " agent --data-dir " + dir_.path() + "/a");
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_THAT(none.err, HasSubstr("--kubeconfig FILE is required"));

  // Joining with a token (tests/e2e/bootstrap) needs the server too.
  auto token = RunCommand(BerthBinary() + " agent --data-dir " + dir_.path() +
                          "/a --token abcdef.0123456789abcdef");
  EXPECT_EQ(token.exit_code, 1);
  EXPECT_THAT(token.err, HasSubstr("needs both --server URL and --token"));
}

// A plugin that serves kinds belongs in the server: the agent says which
// and exits, instead of loading kinds nobody can serve.
TEST_F(AgentCommandTest, RefusesAPluginThatRegistersKinds) {
  BerthServer server(dir_.path() + "/data");
  ASSERT_TRUE(server.Start()) << server.log();
  auto r = RunCommand(BerthBinary() + " agent --data-dir " + dir_.path() +
                      "/a --kubeconfig " + server.kubeconfig() + " --config " +
                      WriteConfig("plugins:\n  - core\n"));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("plugin core registers kind "));
  EXPECT_THAT(r.err, HasSubstr("only berth server can serve"));
  EXPECT_EQ(CountLines(r.err, ""), 1u) << r.err;
  EXPECT_EQ(server.Stop(), 0);
}

// A machine may boot before its control plane: the agent says once that the
// server does not answer, keeps trying, and starts when it does.
TEST_F(AgentCommandTest, RetriesWhileTheServerIsDown) {
  BerthServer server(dir_.path() + "/data");
  ASSERT_TRUE(server.Start()) << server.log();
  const std::string port = server.url().substr(server.url().rfind(':') + 1);
  ASSERT_EQ(server.Stop(), 0);

  BerthAgent agent(dir_.path() + "/agent");
  ASSERT_TRUE(agent.Start({"--kubeconfig", server.kubeconfig(), "--config",
                           WriteConfig("plugins: []\n")},
                          0, /*wait_ready=*/false));
  ASSERT_TRUE(agent.WaitForOutput("retrying until it answers", 20))
      << agent.log();
  EXPECT_THAT(agent.log(), HasSubstr("cannot reach the server at"));
  EXPECT_TRUE(agent.Running()) << agent.log();

  ASSERT_TRUE(server.Start({"--port", port})) << server.log();
  ASSERT_TRUE(agent.WaitForOutput("berth agent ready", 30)) << agent.log();
  EXPECT_EQ(CountLines(agent.log(), "retrying"), 1u) << agent.log();
  EXPECT_EQ(agent.Stop(), 0) << agent.log();
  EXPECT_EQ(server.Stop(), 0);
}

// SIGTERM while the agent still waits for its join (here on a server that
// takes the connection and never answers; as well an approval that does
// not come) stops it at once, and the join with it, instead of after the
// join's own timeout.
TEST_F(AgentCommandTest, StoppingAJoiningAgentStopsTheJoin) {
  const int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&addr), len), 0);
  ASSERT_EQ(listen(listener, 8), 0);
  ASSERT_EQ(getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const std::string server =
      "https://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));

  BerthAgent agent(dir_.path() + "/agent");
  ASSERT_TRUE(agent.Start(
      {"--server", server, "--token", "abcdef.0123456789abcdef",
       "--discovery-token-unsafe-skip-ca-verification", "--node-name",
       "stuck-1", "--config", WriteConfig("plugins: []\n")},
      0, /*wait_ready=*/false));
  const std::string join =
      "pgrep -f 'berth-toke[n] join --server " + server + " '";
  ASSERT_TRUE(Eventually([&] { return RunCommand(join).exit_code == 0; }, 20))
      << agent.log();
  kill(agent.pid(), SIGTERM);
  EXPECT_EQ(agent.Wait(5), 0) << agent.log();
  EXPECT_TRUE(Eventually([&] { return RunCommand(join).exit_code != 0; }, 5))
      << "the join outlived its agent";
  close(listener);
}

// Two agents on one machine, told apart by --node-name and --data-dir only
// (the in-memory runtime of tests/e2e/node stands in for containers, so no
// root is needed): both Nodes register, each keeps its pods under its own
// data dir, and a pod bound to each runs there.
TEST_F(AgentCommandTest, TwoAgentsOnOneMachine) {
  if (!HaveKubectl()) GTEST_SKIP() << kNoKubectl;
  const std::string d = dir_.path();
  std::filesystem::create_directories(d + "/home");
  BerthServer server(d + "/data");
  ASSERT_TRUE(server.Start()) << server.log();
  const std::string config = WriteConfig(
      std::string("pluginDirs: [") + BERTH_MEMORY_RUNTIME_PLUGIN_DIR +
      "]\nplugins:\n  - memory-runtime\n  - name: node\n"
      "    settings: {runtime: fake, network: fakenet, "
      "heartbeatSeconds: 1}\n");
  auto kubectl = [&](const std::string& args, const std::string& input = "") {
    return RunCommand("kubectl " + args, KubectlEnv(server, d + "/home"),
                      input);
  };
  auto jsonpath = [&](const std::string& object, const std::string& path) {
    return kubectl("get " + object + " -o jsonpath='{" + path + "}'").out;
  };
  std::vector<std::unique_ptr<BerthAgent>> agents;
  for (const std::string name : {"Agent-One", "agent-two"}) {
    agents.push_back(std::make_unique<BerthAgent>(d + "/" + name));
    ASSERT_TRUE(agents.back()->Start({"--kubeconfig", server.kubeconfig(),
                                      "--config", config, "--node-name", name}))
        << agents.back()->log();
  }
  for (const std::string node : {"agent-one", "agent-two"}) {
    EXPECT_TRUE(Eventually([&] {
      return jsonpath("node " + node,
                      ".status.conditions[?(@.type==\"Ready\")].status") ==
             "True";
    })) << kubectl("get nodes").out;
    EXPECT_OK(kubectl("apply -f -",
                      "apiVersion: v1\nkind: Pod\nmetadata: {name: on-" + node +
                          "}\nspec:\n  nodeName: " + node +
                          "\n  containers:\n  - {name: main, image: "
                          "busybox:1.36}\n"));
  }
  for (const std::string node : {"agent-one", "agent-two"}) {
    EXPECT_TRUE(Eventually([&] {
      return jsonpath("pod on-" + node, ".status.phase") == "Running";
    })) << kubectl("get pods -o wide").out;
  }
  // Each agent's node plugin keeps its pods under its own data dir.
  const std::string uid_one = jsonpath("pod on-agent-one", ".metadata.uid");
  const std::string uid_two = jsonpath("pod on-agent-two", ".metadata.uid");
  auto has_pod_dir = [&](const std::string& agent, const std::string& uid) {
    for (const auto& e :
         std::filesystem::directory_iterator(d + "/" + agent + "/node/pods")) {
      if (e.path().filename().string().find(uid) != std::string::npos) {
        return true;
      }
    }
    return false;
  };
  EXPECT_TRUE(has_pod_dir("Agent-One", uid_one));
  EXPECT_FALSE(has_pod_dir("Agent-One", uid_two));
  EXPECT_TRUE(has_pod_dir("agent-two", uid_two));

  EXPECT_OK(kubectl("delete pods --all --timeout=60s"));
  for (auto& agent : agents) EXPECT_EQ(agent->Stop(), 0) << agent->log();
  EXPECT_EQ(server.Stop(), 0) << server.log();
}

// ---------------------------------------------------------------------------
// Two machines: the server with node A in netns A, `berth agent` with node
// B in netns B.

constexpr char kServerIp[] = "192.168.77.1";
constexpr char kAgentIp[] = "192.168.77.2";

class AgentE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root (namespaces, cgroups)";
    if (!HaveKubectl()) GTEST_SKIP() << kNoKubectl;
    if (RunCommand("command -v runc").exit_code != 0) {
      GTEST_SKIP() << "runc is not installed (scripts/install-deps.sh)";
    }
    if (std::string missing = MissingRegistryTools(); !missing.empty()) {
      GTEST_SKIP() << missing;
    }
    node_a_ = std::make_unique<NodeNetns>("berth-aga");
    node_b_ = std::make_unique<NodeNetns>("berth-agb");
    ASSERT_TRUE(node_a_->ok() && node_b_->ok())
        << "cannot create network namespaces";
    // The wire between the machines: a switch (a bridge in A, where the
    // server's address is) with a cable to each other machine.
    hub_ = "bh" + std::to_string(getpid());
    ASSERT_EQ(
        node_a_
            ->Exec("ip link add " + hub_ + " type bridge && ip addr add " +
                   std::string(kServerIp) + "/24 dev " + hub_ +
                   " && ip link set " + hub_ + " up")
            .exit_code,
        0);
    ASSERT_NO_FATAL_FAILURE(Cable(*node_b_, kAgentIp));
    // Each machine pulls from a registry of its own on its loopback.
    const std::string d = dir_.path();
    const std::string image_dir = d + "/busybox";
    ASSERT_EQ(BuildOciImage(image_dir, {"--busybox", "--tag", "1.35"}), "");
    registry_a_ = std::make_unique<RegistryServer>(RegistryServer::Mode::kPlain,
                                                   node_a_->name());
    registry_b_ = std::make_unique<RegistryServer>(RegistryServer::Mode::kPlain,
                                                   node_b_->name());
    ASSERT_TRUE(registry_a_->Start()) << registry_a_->log();
    ASSERT_TRUE(registry_b_->Start()) << registry_b_->log();
    ASSERT_EQ(registry_a_->Push(image_dir, "library/busybox", "1.35"), "");
    ASSERT_EQ(registry_b_->Push(image_dir, "library/busybox", "1.35"), "");

    std::filesystem::create_directories(d + "/home");
    const std::string server_config = d + "/berth.yaml";
    std::ofstream(server_config)
        << "plugins:\n"
        << "  - core\n  - auth\n  - storage\n  - workloads\n  - scheduler\n"
        << NodePlugins(d + "/a", "nodeName: node-a, ")
        << ExtraPlugins("node-a");
    server_ = std::make_unique<BerthServer>(d + "/data");
    server_->set_netns(node_a_->name());
    server_args_ = {"--config", server_config, "--bind-address",
                    "0.0.0.0",  "--tls-san",   kServerIp};
    ASSERT_TRUE(server_->Start(server_args_)) << server_->log();
    ASSERT_TRUE(NodeReady("node-a")) << Kubectl("get nodes -o yaml").out;

    // The agent's kubeconfig: the server's address on the wire.
    std::string kubeconfig = ReadFile(server_->kubeconfig());
    const std::string local = "https://127.0.0.1:";
    const size_t at = kubeconfig.find(local);
    ASSERT_NE(at, std::string::npos) << kubeconfig;
    kubeconfig.replace(at, local.size(),
                       "https://" + std::string(kServerIp) + ":");
    agent_kubeconfig_ = d + "/agent-b.kubeconfig";
    std::ofstream(agent_kubeconfig_) << kubeconfig;
    agent_config_ = d + "/agent-b.yaml";
    std::ofstream(agent_config_)
        << "plugins:\n"
        << NodePlugins(d + "/b", "") << ExtraPlugins("node-b");
    agent_ = std::make_unique<BerthAgent>(d + "/agent-b");
    agent_->set_netns(node_b_->name());
    // Upper case on purpose: node names are lowercased, as the kubelet's.
    ASSERT_TRUE(StartAgent()) << agent_->log();
    ASSERT_TRUE(NodeReady("node-b"))
        << Kubectl("get nodes -o yaml").out << agent_->log();
  }

  void TearDown() override {
    if (server_ && server_->pid() > 0) {
      // Pods first, so the agents tear their containers down.
      EXPECT_OK(Kubectl("delete pods --all --timeout=60s"))
          << Kubectl("get pods -o wide").out << (agent_ ? agent_->log() : "");
    }
    if (agent_) {
      EXPECT_EQ(agent_->Stop(), 0) << agent_->log();
    }
    if (server_ && server_->pid() > 0) {
      EXPECT_EQ(server_->Stop(), 0) << server_->log();
    }
  }

  // Plugs machine `m` into switch `hub` in A (the first one by default)
  // with address `ip`/24.
  void Cable(NodeNetns& m, const std::string& ip, std::string hub = "") {
    if (hub.empty()) hub = hub_;
    const std::string end = "c" + std::to_string(++cables_) + hub_;
    auto link =
        RunCommand("ip link add " + end + "a netns " + node_a_->name() +
                   " type veth peer name " + end + " netns " + m.name());
    ASSERT_EQ(link.exit_code, 0) << link.err;
    ASSERT_EQ(node_a_
                  ->Exec("ip link set " + end + "a master " + hub +
                         " && ip link set " + end + "a up")
                  .exit_code,
              0);
    ASSERT_EQ(m.Exec("ip addr add " + ip + "/24 dev " + end +
                     " && ip link set " + end + " up")
                  .exit_code,
              0);
  }

  // Plugins a fixture adds to node `node`'s configuration (none here).
  virtual std::string ExtraPlugins(const std::string& /*node*/) { return ""; }

  bool StartAgent() {
    return agent_->Start({"--kubeconfig", agent_kubeconfig_, "--config",
                          agent_config_, "--node-name", "Node-B"});
  }

  // The oci, cni and node plugins with state under `dir`.
  static std::string NodePlugins(const std::string& dir,
                                 const std::string& node_extra) {
    return "  - name: oci\n"
           "    settings:\n"
           "      root: " +
           dir + "/oci\n      imageRoot: " + dir +
           "/images\n"
           "      registries:\n"
           "        \"127.0.0.1:5000\": {insecure: true}\n"
           "  - name: cni\n"
           "    settings: {cacheDir: " +
           dir + "/cni}\n  - name: node\n    settings: {" + node_extra +
           "runtime: runc, network: cni, rootDir: " + dir +
           "/node, heartbeatSeconds: 2}\n";
  }

  // kubectl inside namespace A, where the server's loopback is.
  CommandResult Kubectl(const std::string& args,
                        const std::string& input = "") {
    return node_a_->Exec("kubectl " + args,
                         KubectlEnv(*server_, dir_.path() + "/home"), input);
  }
  std::string Jsonpath(const std::string& object, const std::string& path) {
    return Kubectl("get " + object + " -o jsonpath='{" + path + "}'").out;
  }
  bool NodeReady(const std::string& node) {
    return Eventually([&] {
      return Jsonpath("node " + node,
                      ".status.conditions[?(@.type==\"Ready\")].status") ==
             "True";
    });
  }
  bool PodReady(const std::string& pod) {
    return Jsonpath("pod " + pod,
                    ".status.conditions[?(@.type==\"Ready\")].status") ==
           "True";
  }
  // What pod `uid` leaves on the machine: mounts, cgroups, shims of this
  // test, network namespaces.
  std::string Leftovers(const std::string& uid) {
    return RunCommand("{ grep -c " + uid +
                      " /proc/mounts; find /sys/fs/cgroup -maxdepth 3 -name "
                      "'*" +
                      uid +
                      "*' | wc -l; ps -eo args | grep -c '[b]erth-shim.*" +
                      dir_.path() + "'; ls /var/run/netns | grep -c " +
                      uid.substr(0, 8) + "; } | awk '{s+=$1} END {print s}'")
        .out;
  }

  TempDir dir_;
  std::string hub_;  // the switch in A
  int cables_ = 0;
  std::unique_ptr<NodeNetns> node_a_;
  std::unique_ptr<NodeNetns> node_b_;
  std::unique_ptr<RegistryServer> registry_a_;
  std::unique_ptr<RegistryServer> registry_b_;
  std::unique_ptr<BerthServer> server_;
  std::vector<std::string> server_args_;
  std::string agent_kubeconfig_;
  std::string agent_config_;
  std::unique_ptr<BerthAgent> agent_;
};

// The second machine's Node registers with its own pod CIDR; a pod bound to
// it runs there with an IP from that CIDR, answers from inside machine B,
// and leaves nothing behind once deleted.
TEST_F(AgentE2eTest, APodBoundToTheAgentsNodeRunsThere) {
  EXPECT_EQ(Jsonpath("node node-b",
                     ".status.addresses[?(@.type==\"InternalIP"
                     "\")].address"),
            kAgentIp);
  const std::string cidr = Jsonpath("node node-b", ".spec.podCIDR");
  ASSERT_THAT(cidr, StartsWith("10.244.")) << Kubectl("get nodes -o yaml").out;
  EXPECT_NE(cidr, Jsonpath("node node-a", ".spec.podCIDR"));

  EXPECT_OK(Kubectl("apply -f -", std::string(R"(apiVersion: v1
kind: Pod
metadata: {name: web-b}
spec:
  nodeName: node-b
  terminationGracePeriodSeconds: 2
  containers:
  - name: httpd
    image: )") + kImage + R"(
    command: ["sh", "-c", "mkdir /www && echo hello from node b > /www/index.html && exec httpd -f -p 8080 -h /www"]
    ports: [{containerPort: 8080}]
)"));
  ASSERT_TRUE(Eventually([&] { return PodReady("web-b"); }))
      << Kubectl("describe pod web-b").out << agent_->log();
  EXPECT_EQ(Jsonpath("pod web-b", ".status.phase"), "Running");
  EXPECT_EQ(Jsonpath("pod web-b", ".status.hostIP"), kAgentIp);
  const std::string ip = Jsonpath("pod web-b", ".status.podIP");
  // 10.244.N.0/24 -> "10.244.N."
  EXPECT_THAT(ip, StartsWith(cidr.substr(0, cidr.rfind('.') + 1)));
  auto got = node_b_->Exec("busybox wget -qO- http://" + ip + ":8080/");
  EXPECT_EQ(got.out, "hello from node b\n") << got.err;
  // Machine A has no route into B's pod network.
  EXPECT_NE(
      node_a_->Exec("busybox wget -T 2 -qO- http://" + ip + ":8080/").exit_code,
      0);
  // kubectl reaches the pod's streams all the same: the API server proxies
  // them to node-b's kubelet port, which the agent serves.
  EXPECT_NE(Jsonpath("node node-b",
                     ".status.daemonEndpoints.kubeletEndpoint"
                     ".Port"),
            "0");
  auto cat = Kubectl("exec web-b -- cat /www/index.html");
  EXPECT_EQ(cat.out, "hello from node b\n") << cat.err << agent_->log();
  // The agent, as system:node:node-b, got the pod its projected token
  // from the TokenRequest API.
  auto token = Kubectl(
      "exec web-b -- cat /var/run/secrets/kubernetes.io/serviceaccount/token");
  EXPECT_THAT(token.out, StartsWith("eyJ")) << token.err << agent_->log();
  EXPECT_EQ(Kubectl("exec web-b -- sh -c 'exit 3'").exit_code, 3);
  auto wrote = Kubectl("exec web-b -- sh -c 'echo to-log > /proc/1/fd/1'");
  EXPECT_EQ(wrote.exit_code, 0) << wrote.err;
  EXPECT_TRUE(Eventually([&] {
    return Kubectl("logs web-b").out.find("to-log") != std::string::npos;
  })) << Kubectl("logs web-b").err;

  const std::string uid = Jsonpath("pod web-b", ".metadata.uid");
  EXPECT_NE(Leftovers(uid), "0\n");
  EXPECT_OK(Kubectl("delete pod web-b --timeout=60s"));
  EXPECT_TRUE(Eventually([&] { return Leftovers(uid) == "0\n"; }))
      << RunCommand("grep " + uid + " /proc/mounts; ps -eo args | grep " +
                    "[b]erth-shim")
             .out;
}

// SIGTERM stops the agent and leaves its containers running, as the
// kubelet does; started again, it adopts them without a restart.
TEST_F(AgentE2eTest, StoppingTheAgentLeavesItsContainersRunning) {
  EXPECT_OK(Kubectl("apply -f -", std::string(R"(apiVersion: v1
kind: Pod
metadata: {name: sleeper}
spec:
  nodeName: node-b
  terminationGracePeriodSeconds: 2
  containers:
  - name: main
    image: )") + kImage + R"(
    command: ["sleep", "3600"]
)"));
  ASSERT_TRUE(Eventually([&] { return PodReady("sleeper"); }))
      << Kubectl("describe pod sleeper").out << agent_->log();
  const std::string id =
      Jsonpath("pod sleeper", ".status.containerStatuses[0].containerID");

  // The shims of node B's pod (sandbox and container).
  const std::string count_shims =
      "ps -eo args | grep -c '[b]erth-shim.*" + dir_.path() + "/b/'";
  const std::string shims = RunCommand(count_shims).out;
  ASSERT_NE(shims, "0\n");

  EXPECT_EQ(agent_->Stop(), 0) << agent_->log();
  EXPECT_THAT(agent_->log(), HasSubstr("containers keep running"));
  EXPECT_EQ(RunCommand(count_shims).out, shims);

  ASSERT_TRUE(StartAgent()) << agent_->log();
  EXPECT_TRUE(NodeReady("node-b"));
  std::this_thread::sleep_for(std::chrono::seconds(3));
  EXPECT_TRUE(PodReady("sleeper")) << Kubectl("describe pod sleeper").out;
  EXPECT_EQ(Jsonpath("pod sleeper", ".status.containerStatuses[0].containerID"),
            id);
  EXPECT_EQ(
      Jsonpath("pod sleeper", ".status.containerStatuses[0].restartCount"),
      "0");
}

// The server restarts (its watches end): the agent watches again and runs
// a pod bound to it afterwards.
TEST_F(AgentE2eTest, TheAgentFollowsAServerRestart) {
  const std::string port = server_->url().substr(server_->url().rfind(':') + 1);
  ASSERT_EQ(server_->Stop(), 0) << server_->log();
  std::vector<std::string> args = server_args_;
  args.insert(args.end(), {"--port", port});
  ASSERT_TRUE(server_->Start(args)) << server_->log();
  ASSERT_TRUE(NodeReady("node-b")) << agent_->log();

  EXPECT_OK(Kubectl("apply -f -", std::string(R"(apiVersion: v1
kind: Pod
metadata: {name: after-restart}
spec:
  nodeName: node-b
  terminationGracePeriodSeconds: 2
  containers:
  - name: main
    image: )") + kImage + R"(
    command: ["sleep", "3600"]
)"));
  EXPECT_TRUE(Eventually([&] { return PodReady("after-restart"); }))
      << Kubectl("describe pod after-restart").out << agent_->log();
}

// ---------------------------------------------------------------------------
// Many nodes: the server's node A and two agents, B and C, on one switch,
// each with the routes plugin (and the proxy): pods on B reach pods on C by
// pod IP and through a Service.

constexpr char kThirdIp[] = "192.168.77.3";
// C's address when it sits on a subnet of its own behind A.
constexpr char kOtherSubnetA[] = "192.168.78.1";
constexpr char kOtherSubnetC[] = "192.168.78.3";

class MultiNodeE2eTest : public AgentE2eTest {
 protected:
  void SetUp() override {
    AgentE2eTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    node_c_ = std::make_unique<NodeNetns>("berth-agc");
    ASSERT_TRUE(node_c_->ok());
    if (c_on_other_subnet_) {
      // A second switch in A; A routes between the two subnets.
      const std::string hub2 = hub_ + "x";
      ASSERT_EQ(
          node_a_
              ->Exec("ip link add " + hub2 + " type bridge && ip addr add " +
                     kOtherSubnetA + "/24 dev " + hub2 + " && ip link set " +
                     hub2 + " up && sysctl -qw net.ipv4.ip_forward=1")
              .exit_code,
          0);
      ASSERT_NO_FATAL_FAILURE(Cable(*node_c_, kOtherSubnetC, hub2));
      ASSERT_EQ(node_c_
                    ->Exec("ip route add 192.168.77.0/24 via " +
                           std::string(kOtherSubnetA))
                    .exit_code,
                0);
      ASSERT_EQ(node_b_
                    ->Exec("ip route add 192.168.78.0/24 via " +
                           std::string(kServerIp))
                    .exit_code,
                0);
    } else {
      ASSERT_NO_FATAL_FAILURE(Cable(*node_c_, kThirdIp));
    }
    registry_c_ = std::make_unique<RegistryServer>(RegistryServer::Mode::kPlain,
                                                   node_c_->name());
    ASSERT_TRUE(registry_c_->Start()) << registry_c_->log();
    ASSERT_EQ(
        registry_c_->Push(dir_.path() + "/busybox", "library/busybox", "1.35"),
        "");
    const std::string config = dir_.path() + "/agent-c.yaml";
    std::ofstream(config) << "plugins:\n"
                          << NodePlugins(dir_.path() + "/c", "")
                          << ExtraPlugins("node-c");
    agent_c_ = std::make_unique<BerthAgent>(dir_.path() + "/agent-c");
    agent_c_->set_netns(node_c_->name());
    ASSERT_TRUE(agent_c_->Start({"--kubeconfig", agent_kubeconfig_, "--config",
                                 config, "--node-name", "node-c"}))
        << agent_c_->log();
    ASSERT_TRUE(NodeReady("node-c")) << agent_c_->log();
  }

  void TearDown() override {
    if (server_ && server_->pid() > 0) {
      EXPECT_OK(Kubectl("delete pods --all --timeout=60s"))
          << Kubectl("get pods -o wide").out;
    }
    if (agent_c_) {
      EXPECT_EQ(agent_c_->Stop(), 0) << agent_c_->log();
    }
    AgentE2eTest::TearDown();
  }

  std::string ExtraPlugins(const std::string& node) override {
    return "  - name: proxy\n  - name: routes\n    settings: {nodeName: " +
           node + ", mode: " + mode_ + ", resyncSeconds: 5}\n";
  }

  // A web server on node-c answering its page and, at /cgi-bin/ip, the
  // client address it sees; a client on node-b.
  void StartWebOnCAndClientOnB() {
    EXPECT_OK(Kubectl("apply -f -", std::string(R"(apiVersion: v1
kind: Pod
metadata: {name: web-c, labels: {app: web-c}}
spec:
  nodeName: node-c
  terminationGracePeriodSeconds: 2
  containers:
  - name: httpd
    image: )") + kImage + R"(
    command: ["sh", "-c", "mkdir -p /www/cgi-bin && echo hello from node c > /www/index.html && printf '#!/bin/sh\\necho Content-Type: text/plain\\necho\\necho $REMOTE_ADDR\\n' > /www/cgi-bin/ip && chmod +x /www/cgi-bin/ip && exec httpd -f -p 8080 -h /www"]
    ports: [{containerPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata: {name: client-b}
spec:
  nodeName: node-b
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: )" + kImage + R"(
    command: ["sleep", "3600"]
)"));
    for (const char* pod : {"web-c", "client-b"}) {
      ASSERT_TRUE(Eventually([&] { return PodReady(pod); }))
          << Kubectl("describe pod " + std::string(pod)).out << agent_->log()
          << agent_c_->log();
    }
  }

  // wget from the client pod on node-b, retried until it answers (routes
  // and rules follow the Nodes and Services within a few seconds). Not
  // `wget -T`: Debian's busybox 1.35 wget crashes with it.
  std::string WgetFromB(const std::string& url) {
    std::string got;
    Eventually(
        [&] {
          auto r = Kubectl("exec client-b -- timeout 3 wget -qO- " + url);
          got = r.out;
          wget_err_ = r.err;
          return !got.empty();
        },
        30);
    return got;
  }

  std::string mode_ = "auto";
  bool c_on_other_subnet_ = false;
  std::string wget_err_;  // the last WgetFromB's kubectl stderr
  std::unique_ptr<NodeNetns> node_c_;
  std::unique_ptr<RegistryServer> registry_c_;
  std::unique_ptr<BerthAgent> agent_c_;
};

// host-gw: B and C share the switch, so each routes the other's pod CIDR
// via its InternalIP; a pod on B reaches a pod on C by pod IP, keeping its
// own address (no masquerade), and through a Service whose only endpoint
// is on C. Stopping an agent removes its routes and rules; starting it
// again puts them back.
TEST_F(MultiNodeE2eTest, PodsOnDifferentNodesReachEachOtherHostGw) {
  ASSERT_NO_FATAL_FAILURE(StartWebOnCAndClientOnB());
  const std::string web_ip = Jsonpath("pod web-c", ".status.podIP");
  const std::string client_ip = Jsonpath("pod client-b", ".status.podIP");
  const std::string cidr_c = Jsonpath("node node-c", ".spec.podCIDR");
  EXPECT_EQ(WgetFromB("http://" + web_ip + ":8080/"), "hello from node c\n")
      << wget_err_ << node_c_->Exec("ip route; sysctl net.ipv4.ip_forward").out
      << agent_c_->log();
  // httpd reports it IPv4-mapped: "[::ffff:10.244.1.2]".
  EXPECT_EQ(WgetFromB("http://" + web_ip + ":8080/cgi-bin/ip"),
            "[::ffff:" + client_ip + "]\n");
  EXPECT_THAT(node_b_->Exec("ip -o route show proto 77").out,
              HasSubstr(cidr_c + " via " + kThirdIp));
  // On one switch the route is direct, not through the overlay.
  EXPECT_THAT(node_b_->Exec("ip -o route show " + cidr_c).out,
              Not(HasSubstr("berth.vxlan")));

  EXPECT_OK(Kubectl("apply -f -", R"(apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web-c}
  ports: [{port: 80, targetPort: 8080}]
)"));
  const std::string cluster_ip = Jsonpath("service web", ".spec.clusterIP");
  EXPECT_EQ(WgetFromB("http://" + cluster_ip + "/"), "hello from node c\n")
      << Kubectl("get endpointslices -o wide").out
      << node_b_->Exec("nft list ruleset").out;

  // Stopped with cleanup on, the agent on B takes its routes and its
  // masquerade exemption with it.
  EXPECT_EQ(agent_->Stop(), 0) << agent_->log();
  EXPECT_EQ(node_b_->Exec("ip -o route show proto 77").out, "");
  EXPECT_NE(
      node_b_->Exec("iptables -t nat -S BERTH-ROUTES-POSTROUTING").exit_code,
      0);
  // Started again, it puts them back.
  ASSERT_TRUE(StartAgent()) << agent_->log();
  EXPECT_TRUE(Eventually([&] {
    return node_b_->Exec("ip -o route show proto 77").out.find(cidr_c) !=
           std::string::npos;
  })) << agent_->log();
  EXPECT_EQ(WgetFromB("http://" + web_ip + ":8080/"), "hello from node c\n");
}

// VXLAN forced: every node reaches the others over the overlay, each
// having published its VTEP's MAC on its Node.
class VxlanE2eTest : public MultiNodeE2eTest {
 protected:
  VxlanE2eTest() { mode_ = "vxlan"; }
};

TEST_F(VxlanE2eTest, PodsOnDifferentNodesReachEachOtherOverVxlan) {
  ASSERT_NO_FATAL_FAILURE(StartWebOnCAndClientOnB());
  const std::string web_ip = Jsonpath("pod web-c", ".status.podIP");
  const std::string client_ip = Jsonpath("pod client-b", ".status.podIP");
  EXPECT_EQ(WgetFromB("http://" + web_ip + ":8080/"), "hello from node c\n")
      << node_b_->Exec("ip route; ip neigh; bridge fdb").out << agent_->log();
  // httpd reports it IPv4-mapped: "[::ffff:10.244.1.2]".
  EXPECT_EQ(WgetFromB("http://" + web_ip + ":8080/cgi-bin/ip"),
            "[::ffff:" + client_ip + "]\n");
  const std::string mac_c = Jsonpath(
      "node node-c", ".metadata.annotations.berth\\.dev/vxlan-vtep-mac");
  EXPECT_EQ(mac_c.size(), 17u) << mac_c;
  EXPECT_THAT(node_c_->Exec("ip link show berth.vxlan").out, HasSubstr(mac_c));
  EXPECT_THAT(node_b_->Exec("bridge fdb show dev berth.vxlan").out,
              HasSubstr(mac_c + " dst " + kThirdIp));
}

// Auto mode with C on another subnet, routed through A: B reaches A's
// pods host-gw and C's over VXLAN (its UDP routed by A), so pods on B and C
// reach each other although B and C share no L2 segment.
class RoutedSubnetsE2eTest : public MultiNodeE2eTest {
 protected:
  RoutedSubnetsE2eTest() { c_on_other_subnet_ = true; }
};

TEST_F(RoutedSubnetsE2eTest, AutoModeUsesVxlanWhereNodesShareNoSubnet) {
  EXPECT_EQ(Jsonpath("node node-c",
                     ".status.addresses[?(@.type==\"InternalIP\")].address"),
            kOtherSubnetC);
  ASSERT_NO_FATAL_FAILURE(StartWebOnCAndClientOnB());
  const std::string web_ip = Jsonpath("pod web-c", ".status.podIP");
  const std::string client_ip = Jsonpath("pod client-b", ".status.podIP");
  EXPECT_EQ(WgetFromB("http://" + web_ip + ":8080/"), "hello from node c\n")
      << wget_err_ << node_b_->Exec("ip route; ip neigh; bridge fdb").out
      << agent_->log();
  EXPECT_EQ(WgetFromB("http://" + web_ip + ":8080/cgi-bin/ip"),
            "[::ffff:" + client_ip + "]\n");
  const std::string cidr_a = Jsonpath("node node-a", ".spec.podCIDR");
  const std::string cidr_c = Jsonpath("node node-c", ".spec.podCIDR");
  EXPECT_THAT(
      node_b_->Exec("ip -o route show proto 77").out,
      AllOf(HasSubstr(cidr_a + " via " + kServerIp),
            HasSubstr(cidr_c + " via " + cidr_c.substr(0, cidr_c.find('/')) +
                      " dev berth.vxlan")));
  EXPECT_THAT(node_b_->Exec("bridge fdb show dev berth.vxlan").out,
              HasSubstr(" dst " + std::string(kOtherSubnetC)));

  // C reaches A over VXLAN while A reaches C host-gw: A, though it sees
  // every node on a subnet of its own, keeps a VTEP for C to use.
  EXPECT_OK(Kubectl("apply -f -", std::string(R"(apiVersion: v1
kind: Pod
metadata: {name: web-a}
spec:
  nodeName: node-a
  terminationGracePeriodSeconds: 2
  containers:
  - name: httpd
    image: )") + kImage + R"(
    command: ["sh", "-c", "mkdir /www && echo hello from node a > /www/index.html && exec httpd -f -p 8080 -h /www"]
)"));
  ASSERT_TRUE(Eventually([&] { return PodReady("web-a"); }))
      << Kubectl("describe pod web-a").out;
  const std::string web_a = Jsonpath("pod web-a", ".status.podIP");
  std::string got;
  EXPECT_TRUE(Eventually(
      [&] {
        got =
            node_c_
                ->Exec("timeout 3 busybox wget -qO- http://" + web_a + ":8080/")
                .out;
        return got == "hello from node a\n";
      },
      30))
      << got << node_c_->Exec("ip route; ip neigh").out
      << node_a_->Exec("ip link show berth.vxlan").out;
}

}  // namespace
}  // namespace berth::testing
