// The cni pod network with the real CNI plugins (Debian's
// containernetworking-plugins) and real network namespaces. Each test is
// an isolated node: a "node" namespace holding the bridge, ip_forward and
// iptables (the plugins run there through the `netnsOfNode` setting), pod
// namespaces attached to it, and, for hostPorts, a "client" namespace
// wired to the node by a veth. Everything is named with the pid and
// removed at the end, passed or not; the host's own network is untouched.
// Needs root, `ip` and the plugins; skips saying which is missing.
#include "cni_network.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "kernel/exec/process_runner.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace berth::cni {
namespace {

using berth::testing::CommandResult;
using berth::testing::RunCommand;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

constexpr const char kPodCidr[] = "10.244.7.0/24";

class CniNetworkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root (network namespaces)";
    if (access("/usr/lib/cni/bridge", X_OK) != 0) {
      GTEST_SKIP() << "no CNI plugins in /usr/lib/cni "
                      "(apt-get install containernetworking-plugins)";
    }
    if (RunCommand("ip -V").exit_code != 0) {
      GTEST_SKIP() << "no ip (apt-get install iproute2)";
    }
    if (RunCommand("busybox true").exit_code != 0) {
      GTEST_SKIP() << "no busybox (apt-get install busybox-static)";
    }
    const std::string id = std::to_string(getpid());
    node_ = "bcn-node-" + id;
    p1_ = "bcn-p1-" + id;
    p2_ = "bcn-p2-" + id;
    client_ = "bcn-cl-" + id;
    for (const auto& ns : {node_, p1_, p2_}) AddNetns(ns);
    Sh("ip -n " + node_ + " link set lo up");
    std::filesystem::create_directories(www_.path());
  }

  void TearDown() override {
    // Deleting the node namespace takes its bridge, veths and iptables.
    for (const auto& ns : created_) {
      RunCommand("ip netns pids " + ns + " | xargs -r kill -9");
      RunCommand("ip netns del " + ns);
    }
  }

  void AddNetns(const std::string& ns) {
    Sh("ip netns add " + ns);
    created_.push_back(ns);
  }
  CommandResult Sh(const std::string& command) {
    CommandResult r = RunCommand(command, {}, "", 30);
    EXPECT_EQ(r.exit_code, 0) << command << ": " << r.err;
    return r;
  }

  std::unique_ptr<CniNetwork> Network(const std::string& extra = "") {
    auto settings = ParseCniSettings(R"({"cacheDir":")" + cache_.path() +
                                         R"(","netnsOfNode":")" + node_ + "\"" +
                                         extra + "}",
                                     "/data");
    EXPECT_TRUE(settings.ok()) << settings.status().message();
    auto net = std::make_unique<CniNetwork>(*settings, runner_);
    EXPECT_TRUE(net->SetNodePodCidr(kPodCidr).ok());
    return net;
  }
  PodNetworkRequest Request(const std::string& pod, const std::string& ns) {
    PodNetworkRequest req;
    req.pod_namespace = "default";
    req.pod_name = pod;
    req.pod_uid = "uid-" + pod;
    req.sandbox_id = "sandbox-" + pod + "-" + std::to_string(getpid());
    req.netns_path = "/var/run/netns/" + ns;
    return req;
  }

  // Serves www_ on `port` from namespace `ns` (busybox httpd daemonizes
  // once it listens).
  void Serve(const std::string& ns, const std::string& text, int port) {
    std::ofstream(www_.path() + "/index.html") << text;
    Sh("ip netns exec " + ns + " busybox httpd -p " + std::to_string(port) +
       " -h " + www_.path());
  }
  // GET from namespace `ns`; "" when it cannot connect.
  std::string Fetch(const std::string& ns, const std::string& url) {
    return RunCommand("ip netns exec " + ns + " timeout 10 busybox wget -qO- " +
                      url)
        .out;
  }
  // The pod's veths left in the node namespace.
  std::string NodeVeths() {
    return Sh("ip -n " + node_ + " -o link show type veth").out;
  }
  // Addresses host-local has handed out (one file per address).
  std::vector<std::string> Leases(const std::string& network) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(
             cache_.path() + "/networks/" + network, ec)) {
      const std::string name = e.path().filename().string();
      if (name.rfind("10.", 0) == 0) out.push_back(name);
    }
    return out;
  }

  SpawnProcessRunner runner_;
  berth::testing::TempDir cache_;
  berth::testing::TempDir www_;
  std::string node_, p1_, p2_, client_;
  std::vector<std::string> created_;
};

TEST_F(CniNetworkTest, TwoPodsGetAddressesFromThePodCidrAndReachEachOther) {
  auto net = Network();
  auto r1 = Request("web", p1_);
  auto r2 = Request("client", p2_);
  auto s1 = net->SetUp(r1);
  ASSERT_TRUE(s1.ok()) << s1.status().message();
  auto s2 = net->SetUp(r2);
  ASSERT_TRUE(s2.ok()) << s2.status().message();
  ASSERT_EQ(s1->ips.size(), 1u);
  ASSERT_EQ(s2->ips.size(), 1u);
  EXPECT_THAT(s1->ips[0], MatchesRegex("10\\.244\\.7\\.[0-9]+"));
  EXPECT_THAT(s2->ips[0], MatchesRegex("10\\.244\\.7\\.[0-9]+"));
  EXPECT_NE(s1->ips[0], s2->ips[0]);
  EXPECT_EQ(s1->interface_name, "eth0");
  // The address really is on the pod's eth0, and lo is up.
  EXPECT_THAT(Sh("ip -n " + p1_ + " -o addr show eth0").out,
              HasSubstr("inet " + s1->ips[0] + "/24"));
  EXPECT_THAT(Sh("ip -n " + p1_ + " link show lo").out, HasSubstr(",UP"));

  EXPECT_TRUE(std::filesystem::exists(cache_.path() + "/results/berth-" +
                                      r1.sandbox_id + "-eth0"));
  auto inspected = net->Inspect(r1);
  ASSERT_TRUE(inspected.ok()) << inspected.status().message();
  EXPECT_EQ(inspected->ips, s1->ips);
  EXPECT_TRUE(net->Check(r1).ok()) << net->Check(r1).message();

  Serve(p1_, "web says hi", 8080);
  EXPECT_EQ(Fetch(p2_, "http://" + s1->ips[0] + ":8080/index.html"),
            "web says hi");
  EXPECT_EQ(Fetch(p1_, "http://127.0.0.1:8080/index.html"), "web says hi");
  EXPECT_THAT(Leases("berth"), ::testing::SizeIs(2));

  ASSERT_TRUE(net->TearDown(r1).ok());
  ASSERT_TRUE(net->TearDown(r2).ok());
  EXPECT_EQ(NodeVeths(), "");
  EXPECT_THAT(Leases("berth"), ElementsAre());
  EXPECT_TRUE(net->Inspect(r1).status().IsNotFound());
  EXPECT_EQ(Fetch(p2_, "http://" + s1->ips[0] + ":8080/index.html"), "");
}

TEST_F(CniNetworkTest, SandboxesAreSetUpConcurrently) {
  // network.h lets different sandboxes go at once: addresses stay distinct.
  std::vector<std::string> pods;
  for (int i = 0; i < 4; ++i) {
    pods.push_back("bcn-c" + std::to_string(i) + "-" +
                   std::to_string(getpid()));
    AddNetns(pods.back());
  }
  auto net = Network();
  std::vector<StatusOr<PodNetworkStatus>> results(pods.size(),
                                                  Status::Internal("not run"));
  std::vector<std::thread> threads;
  for (size_t i = 0; i < pods.size(); ++i) {
    threads.emplace_back([&, i] {
      results[i] = net->SetUp(Request("pod" + std::to_string(i), pods[i]));
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> ips;
  for (const auto& r : results) {
    ASSERT_TRUE(r.ok()) << r.status().message();
    ASSERT_EQ(r->ips.size(), 1u);
    ips.insert(r->ips[0]);
  }
  EXPECT_EQ(ips.size(), pods.size());
  for (size_t i = 0; i < pods.size(); ++i) {
    EXPECT_TRUE(
        net->TearDown(Request("pod" + std::to_string(i), pods[i])).ok());
  }
  EXPECT_EQ(NodeVeths(), "");
  EXPECT_THAT(Leases("berth"), ElementsAre());
}

TEST_F(CniNetworkTest, TearDownIsIdempotent) {
  auto net = Network();
  auto r1 = Request("web", p1_);
  ASSERT_TRUE(net->SetUp(r1).ok());
  ASSERT_TRUE(net->TearDown(r1).ok());
  // Nothing cached any more.
  EXPECT_TRUE(net->TearDown(r1).ok()) << net->TearDown(r1).message();
  // A sandbox never set up.
  EXPECT_TRUE(net->TearDown(Request("never", p2_)).ok());

  // The pod's namespace already gone, with the cache still there: the
  // addresses are released all the same.
  ASSERT_TRUE(net->SetUp(r1).ok());
  EXPECT_THAT(Leases("berth"), ::testing::SizeIs(1));
  Sh("ip netns del " + p1_);
  Status gone = net->TearDown(r1);
  EXPECT_TRUE(gone.ok()) << gone.message();
  EXPECT_THAT(Leases("berth"), ElementsAre());
  // The veth goes with its namespace, which the kernel dismantles in the
  // background once the last reference is dropped: wait for it (a CI run
  // under load saw it still there right after TearDown).
  std::string veths = NodeVeths();
  for (int i = 0; i < 100 && !veths.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    veths = NodeVeths();
  }
  EXPECT_EQ(veths, "");
  EXPECT_TRUE(net->TearDown(r1).ok());
  AddNetns(p1_);  // recreated so the fixture's cleanup finds it
}

TEST_F(CniNetworkTest, FailingPluginFailsSetUpAndUndoesTheEarlierOnes) {
  const std::string bridge =
      R"({"type":"bridge","bridge":"cni0","isGateway":true,"ipam":{)"
      R"("type":"host-local","ranges":[[{"subnet":"podCIDR"}]],"dataDir":")" +
      cache_.path() + R"(/networks"}})";
  // tuning refuses a sysctl that does not exist: a real plugin error.
  auto net = Network(
      R"(,"networks":{"cniVersion":"1.0.0","name":"failing","plugins":[)" +
      bridge +
      R"(,{"type":"tuning","sysctl":{"net.ipv4.conf.eth0.no_such_knob":"1"}}]})");
  auto r1 = Request("web", p1_);
  auto status = net->SetUp(r1);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.status().message(),
              HasSubstr("CNI ADD of network \"failing\" for pod default/web "
                        "failed: plugin tuning: "));
  EXPECT_THAT(status.status().message(), HasSubstr("no_such_knob"));
  EXPECT_THAT(status.status().message(), Not(HasSubstr("\n")));
  EXPECT_EQ(NodeVeths(), "");
  EXPECT_THAT(Leases("failing"), ElementsAre());
  EXPECT_FALSE(std::filesystem::exists(cache_.path() + "/results/failing-" +
                                       r1.sandbox_id + "-eth0"));
  EXPECT_THAT(Sh("ip -n " + p1_ + " -o link show").out, Not(HasSubstr("eth0")));

  // A plugin type that is not installed.
  auto bogus = Network(
      R"(,"networks":{"cniVersion":"1.0.0","name":"failing","plugins":[)" +
      bridge + R"(,{"type":"no-such-plugin"}]})");
  auto missing = bogus->SetUp(r1);
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(),
              HasSubstr("CNI ADD of network \"failing\" for pod default/web "
                        "failed: plugin type \"no-such-plugin\" not found in "
                        "/usr/lib/cni:/opt/cni/bin"));
  EXPECT_EQ(NodeVeths(), "");
  EXPECT_THAT(Leases("failing"), ElementsAre());
}

TEST_F(CniNetworkTest, CheckNoticesABrokenAttachment) {
  auto net = Network();
  auto r1 = Request("web", p1_);
  ASSERT_TRUE(net->SetUp(r1).ok());
  ASSERT_TRUE(net->Check(r1).ok());
  Sh("ip -n " + p1_ + " link del eth0");
  Status broken = net->Check(r1);
  EXPECT_FALSE(broken.ok());
  EXPECT_THAT(broken.message(),
              HasSubstr("CNI CHECK of network \"berth\" for pod default/web "
                        "failed: plugin bridge: "));
  EXPECT_TRUE(net->TearDown(r1).ok());
}

TEST_F(CniNetworkTest, HostPortReachesThePodOnTheNodesAddress) {
  // A client outside the node, reaching it at 172.31.250.1.
  AddNetns(client_);
  const std::string veth = "bcn" + std::to_string(getpid());
  Sh("ip -n " + node_ + " link add " + veth + "a type veth peer name " + veth +
     "b netns " + client_);
  Sh("ip -n " + node_ + " addr add 172.31.250.1/30 dev " + veth + "a");
  Sh("ip -n " + node_ + " link set " + veth + "a up");
  Sh("ip -n " + client_ + " addr add 172.31.250.2/30 dev " + veth + "b");
  Sh("ip -n " + client_ + " link set " + veth + "b up");
  Sh("ip -n " + client_ + " link set lo up");

  auto net = Network();
  auto r1 = Request("web", p1_);
  r1.port_mappings = {{8080, 30080, "TCP", ""}};
  auto s1 = net->SetUp(r1);
  ASSERT_TRUE(s1.ok()) << s1.status().message();
  Serve(p1_, "hostport works", 8080);
  EXPECT_EQ(Fetch(client_, "http://172.31.250.1:30080/index.html"),
            "hostport works");

  ASSERT_TRUE(net->TearDown(r1).ok());
  EXPECT_EQ(Fetch(client_, "http://172.31.250.1:30080/index.html"), "");
  // portmap's per-pod chains are gone with it.
  EXPECT_THAT(Sh("ip netns exec " + node_ + " iptables-save -t nat").out,
              Not(HasSubstr("CNI-DN-")));
}

}  // namespace
}  // namespace berth::cni
