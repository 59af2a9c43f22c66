// The service proxy's backends (nftables and iptables) programming a real
// kernel: a "node" network namespace with a bridge, two pod namespaces
// serving HTTP with busybox httpd on port 8080, and a client namespace
// routed through the node. A ClusterIP reaches the pods by DNAT from the
// node itself and from the client (masqueraded), over many requests both
// pods answer, a NodePort answers on the node's address, a Service without
// endpoints is refused at once, a resync follows an endpoint change, a
// connection open through a ClusterIP lives through resyncs and a restarted
// proxy, and Cleanup (and `berth proxy cleanup`, for what a crashed run
// left) leaves nothing of the proxy behind. The rules are applied
// from a thread that entered the node namespace, so the host's own tables are
// never touched. Everything is named with the pid and removed at the end,
// passed or not. Needs root, ip, busybox and nft or iptables; skips saying
// which is missing.
#include "proxy_backend.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "chain_names.h"
#include "kernel/exec/process_runner.h"
#include "tests/support/node_netns.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace berth::proxy {
namespace {

using berth::testing::NodeNetns;
using berth::testing::RunCommand;
using ::testing::HasSubstr;
using ::testing::Not;

// Runs `f` on a thread inside network namespace `ns`; what it spawns runs
// there too.
Status InNetns(const std::string& ns, const std::function<Status()>& f) {
  Status result = Status::Internal("could not enter netns " + ns);
  std::thread t([&] {
    const int fd = open(("/var/run/netns/" + ns).c_str(), O_RDONLY);
    if (fd < 0) return;
    const bool entered = setns(fd, CLONE_NEWNET) == 0;
    close(fd);
    if (entered) result = f();
  });
  t.join();
  return result;
}

// A socket of `type` (SOCK_STREAM, SOCK_DGRAM) made inside network
// namespace `ns` (it stays there), with 5 s send and receive timeouts; -1
// if it could not be made.
int SocketInNetns(const std::string& ns, int type) {
  int fd = -1;
  Status made = InNetns(ns, [&] {
    fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
    return Status::Ok();
  });
  if (!made.ok() || fd < 0) return -1;
  timeval five{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &five, sizeof(five));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &five, sizeof(five));
  return fd;
}

sockaddr_in Ipv4(const std::string& ip, int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, ip.c_str(), &a.sin_addr);
  return a;
}

// Sends `text` on `from` and reads it on `to`; true when it arrived whole.
bool Carries(int from, int to, const std::string& text) {
  if (send(from, text.data(), text.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(text.size())) {
    return false;
  }
  std::string got(text.size(), '\0');
  size_t have = 0;
  while (have < got.size()) {
    const ssize_t n = recv(to, got.data() + have, got.size() - have, 0);
    if (n <= 0) return false;
    have += static_cast<size_t>(n);
  }
  return got == text;
}

// The exec service, keeping what each *-restore call was given.
class RecordingRunner : public ProcessRunner {
 public:
  explicit RecordingRunner(ProcessRunner& inner) : inner_(inner) {}
  StatusOr<ProcessResult> Run(const ProcessSpec& spec) override {
    const std::string& tool = spec.argv.at(0);
    if (tool.size() > 8 && tool.substr(tool.size() - 8) == "-restore") {
      batches.push_back(spec.stdin_data);
    }
    return inner_.Run(spec);
  }
  StatusOr<int> SpawnDaemon(const DaemonSpec& spec) override {
    return inner_.SpawnDaemon(spec);
  }
  std::vector<std::string> batches;

 private:
  ProcessRunner& inner_;
};

class ProxyBackendTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root (network namespaces)";
    if (RunCommand("ip -V").exit_code != 0) {
      GTEST_SKIP() << "no ip (apt-get install iproute2)";
    }
    if (RunCommand("busybox true").exit_code != 0) {
      GTEST_SKIP() << "no busybox (apt-get install busybox-static)";
    }
    if (GetParam() == "nftables" &&
        RunCommand("nft --version").exit_code != 0) {
      GTEST_SKIP() << "no nft (apt-get install nftables)";
    }
    if (GetParam() == "iptables" &&
        RunCommand("iptables-restore --version").exit_code != 0) {
      GTEST_SKIP() << "no iptables-restore (apt-get install iptables)";
    }
    node_ = std::make_unique<NodeNetns>("bpx-node");
    p1_ = std::make_unique<NodeNetns>("bpx-p1");
    p2_ = std::make_unique<NodeNetns>("bpx-p2");
    client_ = std::make_unique<NodeNetns>("bpx-cl");
    ASSERT_TRUE(node_->ok() && p1_->ok() && p2_->ok() && client_->ok());
    // The node: a bridge for the pods, a veth to the client, a route for
    // the Service range (as a cluster's default route would take it; the
    // node's own connections need one before DNAT), forwarding on.
    Node("sysctl -qw net.ipv4.ip_forward=1");
    // Pod-to-pod replies through the bridge must pass conntrack to be
    // un-NATed, as on a CNI bridge.
    node_->Exec("sysctl -qw net.bridge.bridge-nf-call-iptables=1");
    Node(
        "ip link add br0 type bridge && ip addr add 10.244.0.1/24 dev br0 "
        "&& ip link set br0 up");
    Node("ip route add 10.96.0.0/12 dev br0");
    int i = 2;
    for (auto* pod : {p1_.get(), p2_.get()}) {
      const std::string ip = "10.244.0." + std::to_string(i);
      const std::string veth = "vp" + std::to_string(i);
      // Hairpin on, as the CNI bridge's hairpinMode sets it: a pod's
      // connection to its own Service comes back out the port it came in.
      Node("ip link add " + veth + " type veth peer name eth0 netns " +
           pod->name() + " && ip link set " + veth + " master br0 up" +
           " && ip link set " + veth + " type bridge_slave hairpin on");
      Exec(*pod, "ip addr add " + ip +
                     "/24 dev eth0 && ip link set eth0 up "
                     "&& ip route add default via 10.244.0.1");
      const std::string dir = www_.path() + "/" + veth;
      std::filesystem::create_directories(dir);
      std::ofstream(dir + "/index.html") << "pod " << ip << "\n";
      // /cgi-bin/peer answers "pod IP saw CLIENT-ADDRESS".
      std::filesystem::create_directories(dir + "/cgi-bin");
      std::ofstream(dir + "/cgi-bin/peer")
          << "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\n'\n"
          // httpd listens dual-stack: "[::ffff:a.b.c.d]" becomes a.b.c.d.
          << "a=${REMOTE_ADDR#\\[::ffff:}\n"
          << "echo \"pod " << ip << " saw ${a%\\]}\"\n";
      std::filesystem::permissions(dir + "/cgi-bin/peer",
                                   std::filesystem::perms::owner_all);
      Exec(*pod, "busybox httpd -p 8080 -h " + dir);
      ++i;
    }
    Node("ip link add vcl type veth peer name eth0 netns " + client_->name() +
         " && ip addr add 192.168.77.1/24 dev vcl && ip link set vcl up");
    Exec(*client_,
         "ip addr add 192.168.77.2/24 dev eth0 && ip link set eth0 "
         "up && ip route add default via 192.168.77.1");
    backend_ = GetParam() == "nftables"
                   ? NewNftablesBackend(runner_, ProxyRulesConfig{})
                   : NewIptablesBackend(runner_, ProxyRulesConfig{});
  }

  void TearDown() override {
    if (backend_) {
      EXPECT_TRUE(
          InNetns(node_->name(), [&] { return backend_->Cleanup(); }).ok());
    }
    // The namespaces go with their NodeNetns (processes killed first).
    client_.reset();
    p2_.reset();
    p1_.reset();
    node_.reset();
  }

  void Node(const std::string& cmd) { Exec(*node_, cmd); }
  static void Exec(NodeNetns& ns, const std::string& cmd) {
    auto r = ns.Exec(cmd);
    ASSERT_EQ(r.exit_code, 0) << cmd << "\n" << r.out << r.err;
  }
  // `wget` of `url` from `ns`, bounded by `timeout` (busybox wget's own
  // timeout does not bound a connect well).
  static berth::testing::CommandResult Fetch(NodeNetns& ns,
                                             const std::string& url) {
    return ns.Exec("timeout 5 busybox wget -q -O- " + url);
  }

  Status Sync(const std::vector<ServicePort>& ports) {
    return InNetns(node_->name(), [&] { return backend_->Sync(ports); });
  }

  static ServicePort Web(std::vector<ProxyEndpoint> eps) {
    ServicePort sp;
    sp.ns = "default";
    sp.name = "web";
    sp.cluster_ip = "10.96.0.10";
    sp.protocol = "tcp";
    sp.port = 80;
    sp.node_port = 30300;
    sp.cluster_endpoints = eps;
    sp.external_endpoints = eps;
    return sp;
  }
  static ServicePort Empty() {
    ServicePort sp;
    sp.ns = "default";
    sp.name = "empty";
    sp.cluster_ip = "10.96.0.11";
    sp.protocol = "tcp";
    sp.port = 80;
    return sp;
  }

  // Which pods answered `n` requests to `url` from `ns`.
  std::set<std::string> Answers(NodeNetns& ns, const std::string& url, int n) {
    std::set<std::string> seen;
    for (int i = 0; i < n; ++i) {
      auto r = Fetch(ns, url);
      EXPECT_EQ(r.exit_code, 0) << url << ": " << r.err;
      if (r.exit_code == 0) seen.insert(r.out);
    }
    return seen;
  }

  SpawnProcessRunner spawn_;
  RecordingRunner runner_{spawn_};
  berth::testing::TempDir www_;
  std::unique_ptr<NodeNetns> node_, p1_, p2_, client_;
  std::unique_ptr<ProxyBackend> backend_;
};

TEST_P(ProxyBackendTest, ClusterIpAndNodePortReachThePods) {
  const std::vector<ProxyEndpoint> both = {{"10.244.0.2", 8080},
                                           {"10.244.0.3", 8080}};
  ASSERT_TRUE(Sync({Web(both), Empty()}).ok());
  // Twice: a second sync over the first (and, for iptables, its chains)
  // is the common case.
  Status again = Sync({Web(both), Empty()});
  ASSERT_TRUE(again.ok()) << again.ToString();

  const std::set<std::string> pods = {"pod 10.244.0.2\n", "pod 10.244.0.3\n"};
  // From the node itself (OUTPUT), and from a client routed through it.
  EXPECT_EQ(Answers(*node_, "http://10.96.0.10/", 30), pods);
  EXPECT_EQ(Answers(*client_, "http://10.96.0.10/", 30), pods);
  // A pod reaching its own Service gets answered by itself (hairpin) as
  // well as by the other pod.
  EXPECT_EQ(Answers(*p1_, "http://10.96.0.10/", 20), pods);
  // The NodePort on the node's addresses.
  EXPECT_EQ(Answers(*client_, "http://192.168.77.1:30300/", 20), pods);
  // No endpoints: refused, not left to time out.
  auto refused = Fetch(*client_, "http://10.96.0.11/");
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.exit_code, 124) << "timed out instead of being refused";

  // One endpoint left: a resync sends everything there.
  ASSERT_TRUE(Sync({Web({{"10.244.0.3", 8080}})}).ok());
  EXPECT_EQ(Answers(*client_, "http://10.96.0.10/", 10),
            (std::set<std::string>{"pod 10.244.0.3\n"}));

  // Cleanup leaves no trace of the proxy in the node.
  ASSERT_TRUE(InNetns(node_->name(), [&] { return backend_->Cleanup(); }).ok());
  auto nft = node_->Exec("nft list ruleset");
  EXPECT_THAT(nft.out, Not(HasSubstr("berth")));
  if (GetParam() == "iptables") {
    auto saved = node_->Exec("iptables-save");
    EXPECT_THAT(saved.out, Not(HasSubstr("BERTH")));
  }
  EXPECT_NE(Fetch(*client_, "http://10.96.0.10/").exit_code, 0);
}

TEST_P(ProxyBackendTest, ASecondRunReplacesWhatACrashedOneLeft) {
  ASSERT_TRUE(Sync({Web({{"10.244.0.2", 8080}}), Empty()}).ok());
  // A new backend (a restarted proxy) programs over the leftovers and drops
  // the Service that is gone.
  backend_ = GetParam() == "nftables"
                 ? NewNftablesBackend(runner_, ProxyRulesConfig{})
                 : NewIptablesBackend(runner_, ProxyRulesConfig{});
  ASSERT_TRUE(Sync({Web({{"10.244.0.3", 8080}})}).ok());
  EXPECT_EQ(Answers(*client_, "http://10.96.0.10/", 5),
            (std::set<std::string>{"pod 10.244.0.3\n"}));
  if (GetParam() == "iptables") {
    auto saved = node_->Exec("iptables-save -t nat");
    EXPECT_THAT(saved.out, Not(HasSubstr("10.244.0.2:8080")));
  } else {
    auto listed = node_->Exec("nft list table ip berth-proxy");
    EXPECT_THAT(listed.out, Not(HasSubstr("10.244.0.2")));
    EXPECT_THAT(listed.out, Not(HasSubstr("10.96.0.11")));
  }
}

// kube-proxy's --cleanup: after a run that left its rules (a crash; no
// Cleanup), `berth proxy cleanup` on the machine removes both backends'
// rules, and the Service stops answering.
TEST_P(ProxyBackendTest, BerthProxyCleanupRemovesWhatACrashedRunLeft) {
  ASSERT_TRUE(Sync({Web({{"10.244.0.2", 8080}}), Empty()}).ok());
  ASSERT_EQ(Fetch(*client_, "http://10.96.0.10/").exit_code, 0);
  backend_.reset();  // the crashed run never cleans up

  auto r = node_->Exec(berth::testing::BerthBinary() + " proxy cleanup");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(node_->Exec("nft list ruleset").out,
              Not(HasSubstr("berth-proxy")));
  EXPECT_THAT(node_->Exec("iptables-save").out, Not(HasSubstr("BERTH")));
  EXPECT_NE(Fetch(*client_, "http://10.96.0.10/").exit_code, 0);
  // Nothing left is not an error.
  EXPECT_EQ(
      node_->Exec(berth::testing::BerthBinary() + " proxy cleanup").exit_code,
      0);
}

TEST_P(ProxyBackendTest, ClientIpAffinityKeepsAClientOnOnePod) {
  ServicePort web = Web({{"10.244.0.2", 8080}, {"10.244.0.3", 8080}});
  web.affinity_seconds = 600;
  Status synced = Sync({web});
  ASSERT_TRUE(synced.ok()) << synced.ToString();
  EXPECT_EQ(Answers(*client_, "http://10.96.0.10/", 12).size(), 1u);
}

// For iptables, an endpoint change is a partial batch that leaves the other
// Service's chains alone, whose rules must stay in place; after someone
// flushed the proxy's rules, the periodic resync (ForgetProgrammed) brings
// them all back, a Service chain the partial batches would not have
// rewritten included.
TEST_P(ProxyBackendTest, PartialSyncsAndAResyncAfterAFlush) {
  ServicePort api = Web({{"10.244.0.3", 8080}});
  api.name = "api";
  api.cluster_ip = "10.96.0.12";
  api.node_port = 0;
  ASSERT_TRUE(Sync({api, Web({{"10.244.0.2", 8080}})}).ok());
  const std::set<std::string> p1 = {"pod 10.244.0.2\n"};
  const std::set<std::string> p2 = {"pod 10.244.0.3\n"};
  EXPECT_EQ(Answers(*client_, "http://10.96.0.10/", 3), p1);

  Status moved = Sync({api, Web({{"10.244.0.3", 8080}})});
  ASSERT_TRUE(moved.ok()) << moved.ToString();
  const std::string api_svc = ServiceChain("BERTH-SVC-", api);
  if (GetParam() == "iptables") {
    ASSERT_FALSE(runner_.batches.empty());
    EXPECT_THAT(runner_.batches.back(), Not(HasSubstr(":" + api_svc)));
    EXPECT_THAT(runner_.batches.back(),
                HasSubstr(":" + ServiceChain("BERTH-SVC-", Web({}))));
  }
  EXPECT_EQ(Answers(*client_, "http://10.96.0.10/", 5), p2);
  EXPECT_EQ(Answers(*client_, "http://10.96.0.12/", 3), p2);
  EXPECT_EQ(Answers(*client_, "http://192.168.77.1:30300/", 3), p2);

  if (GetParam() == "iptables") {
    Node("iptables -t nat -F BERTH-SERVICES && iptables -t nat -F " + api_svc);
  } else {
    Node("nft flush table ip berth-proxy");
  }
  backend_->ForgetProgrammed();
  Status resynced = Sync({api, Web({{"10.244.0.3", 8080}})});
  ASSERT_TRUE(resynced.ok()) << resynced.ToString();
  EXPECT_EQ(Answers(*client_, "http://10.96.0.10/", 3), p2);
  EXPECT_EQ(Answers(*client_, "http://10.96.0.12/", 3), p2);
}

// A NodePort Service with externalTrafficPolicy Cluster masquerades the
// client (the pod sees the node), and one with Local keeps the client's own
// address and only reaches this node's endpoints.
TEST_P(ProxyBackendTest, ExternalTrafficPolicyLocalKeepsTheClientAddress) {
  const std::vector<ProxyEndpoint> both = {{"10.244.0.2", 8080},
                                           {"10.244.0.3", 8080}};
  ASSERT_TRUE(Sync({Web(both)}).ok());
  const std::string url = "http://192.168.77.1:30300/cgi-bin/peer";
  EXPECT_EQ(Answers(*client_, url, 12),
            (std::set<std::string>{"pod 10.244.0.2 saw 10.244.0.1\n",
                                   "pod 10.244.0.3 saw 10.244.0.1\n"}));

  ServicePort local = Web(both);
  local.external_local = true;
  local.external_endpoints = {{"10.244.0.2", 8080}};
  ASSERT_TRUE(Sync({local}).ok());
  EXPECT_EQ(Answers(*client_, url, 8),
            (std::set<std::string>{"pod 10.244.0.2 saw 192.168.77.2\n"}));
  // The ClusterIP still reaches every endpoint.
  EXPECT_EQ(Answers(*client_, "http://10.96.0.10/", 20),
            (std::set<std::string>{"pod 10.244.0.2\n", "pod 10.244.0.3\n"}));
}

// A UDP Service: datagrams to the ClusterIP reach both pods, each client
// socket (a conntrack flow) keeps its pod, and replies come back from the
// ClusterIP.
TEST_P(ProxyBackendTest, UdpReachesThePodsAndRepliesComeFromTheClusterIp) {
  ServicePort dns = Web({{"10.244.0.2", 5300}, {"10.244.0.3", 5300}});
  dns.name = "dns";
  dns.protocol = "udp";
  dns.port = 53;
  dns.node_port = 0;
  ASSERT_TRUE(Sync({dns}).ok());
  // Each pod's server answers a datagram with its own name.
  std::map<int, std::string> servers;
  for (auto* pod : {p1_.get(), p2_.get()}) {
    const int fd = SocketInNetns(pod->name(), SOCK_DGRAM);
    ASSERT_GE(fd, 0);
    const sockaddr_in any = Ipv4("0.0.0.0", 5300);
    ASSERT_EQ(bind(fd, reinterpret_cast<const sockaddr*>(&any), sizeof(any)),
              0);
    servers[fd] = pod->name();
  }
  std::atomic<bool> stop{false};
  std::thread answering([&] {
    while (!stop) {
      for (const auto& [fd, name] : servers) {
        char buf[64];
        sockaddr_in from{};
        socklen_t len = sizeof(from);
        const ssize_t n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
                                   reinterpret_cast<sockaddr*>(&from), &len);
        if (n > 0) {
          sendto(fd, name.data(), name.size(), 0,
                 reinterpret_cast<const sockaddr*>(&from), len);
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  // Stops and joins the answering thread, then closes the servers, however
  // the test leaves.
  struct Joiner {
    std::atomic<bool>& stop;
    std::thread& thread;
    const std::map<int, std::string>& servers;
    ~Joiner() {
      stop = true;
      thread.join();
      for (const auto& [fd, name] : servers) close(fd);
    }
  } joiner{stop, answering, servers};

  std::set<std::string> answered_by;
  const sockaddr_in service = Ipv4("10.96.0.10", 53);
  for (int i = 0; i < 24; ++i) {
    const int client = SocketInNetns(client_->name(), SOCK_DGRAM);
    ASSERT_GE(client, 0);
    std::string first;
    for (int j = 0; j < 3; ++j) {
      ASSERT_EQ(
          sendto(client, "q", 1, 0, reinterpret_cast<const sockaddr*>(&service),
                 sizeof(service)),
          1);
      char buf[64];
      sockaddr_in from{};
      socklen_t len = sizeof(from);
      const ssize_t n = recvfrom(client, buf, sizeof(buf), 0,
                                 reinterpret_cast<sockaddr*>(&from), &len);
      ASSERT_GT(n, 0) << "no answer through the ClusterIP";
      char ip[INET_ADDRSTRLEN] = {};
      inet_ntop(AF_INET, &from.sin_addr, ip, sizeof(ip));
      EXPECT_EQ(std::string(ip), "10.96.0.10");
      EXPECT_EQ(ntohs(from.sin_port), 53);
      const std::string pod(buf, static_cast<size_t>(n));
      if (j == 0) first = pod;
      EXPECT_EQ(pod, first) << "one flow, one pod";
    }
    answered_by.insert(first);
    close(client);
  }
  EXPECT_EQ(answered_by, (std::set<std::string>{p1_->name(), p2_->name()}));
}

// As kube-proxy: programming never touches conntrack, so a connection made
// through a ClusterIP keeps its NAT through a resync that changes the
// Service's endpoints, through one that drops its own endpoint (TCP is not
// cut; the pod goes on serving it), and through a restarted proxy writing
// its rules over the old ones.
TEST_P(ProxyBackendTest, AnOpenConnectionLivesThroughResyncsAndARestart) {
  ServicePort echo = Web({{"10.244.0.2", 9000}});
  echo.name = "echo";
  echo.port = 9000;
  echo.node_port = 0;
  ASSERT_TRUE(Sync({echo}).ok());

  const int listener = SocketInNetns(p1_->name(), SOCK_STREAM);
  const int client = SocketInNetns(client_->name(), SOCK_STREAM);
  ASSERT_GE(listener, 0);
  ASSERT_GE(client, 0);
  const sockaddr_in any = Ipv4("0.0.0.0", 9000);
  ASSERT_EQ(
      bind(listener, reinterpret_cast<const sockaddr*>(&any), sizeof(any)), 0);
  ASSERT_EQ(listen(listener, 4), 0);
  const sockaddr_in service = Ipv4("10.96.0.10", 9000);
  ASSERT_EQ(connect(client, reinterpret_cast<const sockaddr*>(&service),
                    sizeof(service)),
            0)
      << strerror(errno);
  const int served = accept(listener, nullptr, nullptr);
  ASSERT_GE(served, 0);
  EXPECT_TRUE(Carries(client, served, "before"));

  // Another endpoint joins: new rules, the same connection.
  ServicePort more = echo;
  more.cluster_endpoints.push_back({"10.244.0.3", 9000});
  more.external_endpoints = more.cluster_endpoints;
  ASSERT_TRUE(Sync({more}).ok());
  EXPECT_TRUE(Carries(client, served, "after a resync"));
  EXPECT_TRUE(Carries(served, client, "and back"));

  // Its own endpoint leaves the Service.
  ServicePort moved = echo;
  moved.cluster_endpoints = {{"10.244.0.3", 9000}};
  moved.external_endpoints = moved.cluster_endpoints;
  ASSERT_TRUE(Sync({moved}).ok());
  EXPECT_TRUE(Carries(client, served, "after its endpoint left"));

  // A restarted proxy programs over what the last one left.
  backend_ = GetParam() == "nftables"
                 ? NewNftablesBackend(runner_, ProxyRulesConfig{})
                 : NewIptablesBackend(runner_, ProxyRulesConfig{});
  ASSERT_TRUE(Sync({echo}).ok());
  EXPECT_TRUE(Carries(client, served, "after a restart"));
  EXPECT_TRUE(Carries(served, client, "still the same connection"));

  close(served);
  close(client);
  close(listener);
}

INSTANTIATE_TEST_SUITE_P(Backends, ProxyBackendTest,
                         ::testing::Values("nftables", "iptables"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace berth::proxy
