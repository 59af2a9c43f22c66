// pod_network_bench: pod-to-pod TCP throughput between two pods on one node,
// and between pods on two nodes over host-gw routes and over VXLAN. The
// machines and pods are network namespaces made here the way the CNI
// bridge plugin makes them (a cni0 bridge per node, a veth per pod, the
// pod's default route via the bridge); the routes between the nodes are
// programmed by the routes plugin's own RoutePlan and RouteProgrammer, so
// the datapath measured is the one a cluster gets. Everything is deleted
// at the end, on failure too. Prints one line per case (median of the
// runs) in Gbit/s.
//
// Usage (root): pod_network_bench [MiB per run, default 1024] [runs, 3]
// Internal: pod_network_bench --recv PORT | --send IP PORT BYTES
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "kernel/exec/process_runner.h"
#include "plugins/network/routes/route_plan.h"
#include "plugins/network/routes/route_programmer.h"

namespace berth::routes {
namespace {

using Clock = std::chrono::steady_clock;

// Receives one connection to EOF; prints the bytes and seconds from
// accept to EOF.
int Receive(int port) {
  const int l = socket(AF_INET, SOCK_STREAM, 0);
  const int one = 1;
  setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  if (bind(l, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0 ||
      listen(l, 1) != 0) {
    std::perror("listen");
    return 1;
  }
  const int c = accept(l, nullptr, nullptr);
  if (c < 0) return 1;
  const auto t = Clock::now();
  std::vector<char> buf(1 << 20);
  uint64_t total = 0;
  for (ssize_t n; (n = read(c, buf.data(), buf.size())) > 0;) total += n;
  const double s = std::chrono::duration<double>(Clock::now() - t).count();
  std::printf("%llu %.6f\n", static_cast<unsigned long long>(total), s);
  close(c);
  close(l);
  return 0;
}

int Send(const std::string& ip, int port, uint64_t bytes) {
  const int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, ip.c_str(), &a.sin_addr);
  if (connect(s, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
    std::perror("connect");
    return 1;
  }
  std::vector<char> buf(1 << 20, 'x');
  for (uint64_t left = bytes; left > 0;) {
    const ssize_t n =
        write(s, buf.data(), std::min<uint64_t>(left, buf.size()));
    if (n <= 0) return 1;
    left -= n;
  }
  close(s);
  return 0;
}

// Runs the routes plugin's commands inside a named network namespace.
class NetnsRunner : public ProcessRunner {
 public:
  NetnsRunner(ProcessRunner& inner, std::string ns)
      : inner_(inner), ns_(std::move(ns)) {}
  StatusOr<ProcessResult> Run(const ProcessSpec& spec) override {
    ProcessSpec s = spec;
    s.argv.insert(s.argv.begin(), {"ip", "netns", "exec", ns_});
    return inner_.Run(s);
  }
  StatusOr<int> SpawnDaemon(const DaemonSpec& spec) override {
    return inner_.SpawnDaemon(spec);
  }

 private:
  ProcessRunner& inner_;
  std::string ns_;
};

bool Sh(const std::string& command) {
  if (std::system(command.c_str()) == 0) return true;
  std::fprintf(stderr, "failed: %s\n", command.c_str());
  return false;
}

// Two nodes on a switch, two pods on the first, one on the second.
struct Lab {
  std::string tag = std::to_string(getpid());
  std::string hub = "pnb-hub-" + tag, n1 = "pnb-n1-" + tag,
              n2 = "pnb-n2-" + tag;
  std::vector<std::string> all;

  ~Lab() {
    for (const auto& ns : all) {
      std::system(("for p in $(ip netns pids " + ns +
                   " 2>/dev/null); do kill -9 $p; done; ip netns del " + ns +
                   " 2>/dev/null")
                      .c_str());
    }
  }
  bool AddNetns(const std::string& ns) {
    all.push_back(ns);
    return Sh("ip netns add " + ns + " && ip -n " + ns + " link set lo up");
  }
  bool Node(const std::string& ns, const std::string& ip, int subnet) {
    const std::string port = "p" + std::to_string(subnet) + "-" + tag;
    const std::string net = "10.244." + std::to_string(subnet);
    return AddNetns(ns) &&
           Sh("ip link add " + port + " netns " + hub +
              " type veth peer name eth0 netns " + ns) &&
           Sh("ip -n " + hub + " link set " + port + " master br0 up") &&
           Sh("ip -n " + ns + " addr add " + ip + "/24 dev eth0 && ip -n " +
              ns + " link set eth0 up") &&
           Sh("ip -n " + ns + " link add cni0 type bridge && ip -n " + ns +
              " addr add " + net + ".1/24 dev cni0 && ip -n " + ns +
              " link set cni0 up");
  }
  bool Pod(const std::string& node, const std::string& pod,
           const std::string& ip, const std::string& gw) {
    const std::string host_end = "v" + pod.substr(0, 3) + tag;
    return AddNetns(pod) &&
           Sh("ip link add " + host_end + " netns " + node +
              " type veth peer name eth0 netns " + pod) &&
           Sh("ip -n " + node + " link set " + host_end + " master cni0 up") &&
           Sh("ip -n " + pod + " addr add " + ip + "/24 dev eth0 && ip -n " +
              pod + " link set eth0 up && ip -n " + pod +
              " route add default via " + gw);
  }
  bool Build() {
    return AddNetns(hub) &&
           Sh("ip -n " + hub + " link add br0 type bridge && ip -n " + hub +
              " link set br0 up") &&
           Node(n1, "192.168.88.1", 1) && Node(n2, "192.168.88.2", 2) &&
           Pod(n1, "pa1-" + tag, "10.244.1.2", "10.244.1.1") &&
           Pod(n1, "pb1-" + tag, "10.244.1.3", "10.244.1.1") &&
           Pod(n2, "pc2-" + tag, "10.244.2.2", "10.244.2.1");
  }
};

// Median Gbit/s of `runs` transfers of `bytes` from pod `from` to `ip` in
// pod `to`; 0 when a run failed.
double Measure(const std::string& self, const std::string& from,
               const std::string& to, const std::string& ip, uint64_t bytes,
               int runs) {
  std::vector<double> rates;
  for (int r = 0; r < runs; ++r) {
    const std::string out = "/tmp/pnb-" + std::to_string(getpid()) + ".out";
    std::remove(out.c_str());
    if (!Sh("ip netns exec " + to + " " + self + " --recv 5201 > " + out +
            " &")) {
      return 0;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    if (!Sh("ip netns exec " + from + " " + self + " --send " + ip + " 5201 " +
            std::to_string(bytes))) {
      return 0;
    }
    unsigned long long got = 0;
    double seconds = 0;
    for (int i = 0; i < 100 && got == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      std::ifstream(out) >> got >> seconds;
    }
    std::remove(out.c_str());
    if (got != bytes || seconds <= 0) return 0;
    rates.push_back(got * 8.0 / seconds / 1e9);
  }
  std::sort(rates.begin(), rates.end());
  return rates[rates.size() / 2];
}

// Programs both nodes' routes for `mode` with the plugin's code.
bool Program(ProcessRunner& runner, Lab& lab, RouteMode mode) {
  std::vector<NodeRouteInfo> nodes = {
      {lab.n1, "192.168.88.1", "10.244.1.0/24", ""},
      {lab.n2, "192.168.88.2", "10.244.2.0/24", ""}};
  RoutesSettings settings;
  if (mode == RouteMode::kVxlan) {
    for (auto& n : nodes) {
      NetnsRunner r(runner, n.name);
      auto mac = RouteProgrammer(r, settings)
                     .EnsureVxlanDevice(n.internal_ip, n.pod_cidr);
      if (!mac.ok()) {
        std::fprintf(stderr, "%s\n", mac.status().ToString().c_str());
        return false;
      }
      n.vtep_mac = *mac;
    }
  }
  for (const auto& n : nodes) {
    NetnsRunner r(runner, n.name);
    RouteProgrammer programmer(r, settings);
    auto subnets = programmer.ConnectedSubnets();
    if (!subnets.ok()) return false;
    Status s =
        programmer.Apply(PlanRoutes(n.name, mode, nodes, *subnets), n.pod_cidr);
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", s.ToString().c_str());
      return false;
    }
  }
  return true;
}

int Main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--recv") {
    return Receive(std::atoi(argv[2]));
  }
  if (argc == 5 && std::string(argv[1]) == "--send") {
    return Send(argv[2], std::atoi(argv[3]), std::strtoull(argv[4], 0, 10));
  }
  const uint64_t bytes = (argc > 1 ? std::strtoull(argv[1], 0, 10) : 1024)
                         << 20;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 3;
  char self[4096] = {};
  if (readlink("/proc/self/exe", self, sizeof(self) - 1) <= 0) return 1;
  Lab lab;
  if (!lab.Build()) return 1;
  SpawnProcessRunner runner;
  const std::string a = "pa1-" + lab.tag, b = "pb1-" + lab.tag,
                    c = "pc2-" + lab.tag;
  std::printf("%llu MiB per run, median of %d runs\n",
              static_cast<unsigned long long>(bytes >> 20), runs);
  std::printf("same node:           %.2f Gbit/s\n",
              Measure(self, a, b, "10.244.1.3", bytes, runs));
  if (!Program(runner, lab, RouteMode::kHostGw)) return 1;
  std::printf("across nodes host-gw: %.2f Gbit/s\n",
              Measure(self, a, c, "10.244.2.2", bytes, runs));
  // The same routes replaced in place by the overlay's.
  if (!Program(runner, lab, RouteMode::kVxlan)) return 1;
  std::printf("across nodes vxlan:   %.2f Gbit/s\n",
              Measure(self, a, c, "10.244.2.2", bytes, runs));
  // Which route the last case took, so the figure's path is on record.
  std::fflush(stdout);
  Sh("ip -n " + lab.n1 + " -o route show 10.244.2.0/24");
  return 0;
}

}  // namespace
}  // namespace berth::routes

int main(int argc, char** argv) { return berth::routes::Main(argc, argv); }
