// datapath_bench: what a packet pays for the service proxy's rules, for
// both backends side by side — TCP connect latency through the ClusterIP of
// the first and of the last of N Services (iptables walks its service chain
// rule by rule, nftables looks the address up in a verdict map, so only
// iptables should grow with N), and bulk throughput through a ClusterIP as
// a ratio to the pod IP directly.
//
// Two network namespaces joined by a veth pair stand in for a node and a
// pod: the pod (10.244.0.2) runs a TCP sink on 8080; the node has the
// proxy's rules for N Services, each with that pod as its one endpoint,
// and connects from there (the nat OUTPUT path kube-proxy programs too).
// Both namespaces are made and deleted here; the host is never touched.
//
// Usage (root): datapath_bench [services] [connects] [megabytes]
//                              [backends: nftables,iptables]
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "kernel/exec/process_runner.h"
#include "plugins/network/proxy/proxy_backend.h"

namespace berth::proxy {
namespace {

using Clock = std::chrono::steady_clock;

constexpr char kPodIp[] = "10.244.0.2";
constexpr int kPodPort = 8080;

std::string Ip(uint32_t v) {
  return std::to_string(v >> 24) + "." + std::to_string((v >> 16) & 255) + "." +
         std::to_string((v >> 8) & 255) + "." + std::to_string(v & 255);
}

std::string ClusterIp(int service) {
  return Ip(((10u << 24) | (96u << 16)) + 10 + service);
}

std::vector<ServicePort> Services(int n) {
  std::vector<ServicePort> out;
  for (int s = 0; s < n; ++s) {
    ServicePort sp;
    sp.ns = "bench";
    sp.name = "svc-" + std::to_string(s);
    sp.cluster_ip = ClusterIp(s);
    sp.protocol = "tcp";
    sp.port = 80;
    sp.cluster_endpoints.push_back({kPodIp, kPodPort});
    sp.external_endpoints = sp.cluster_endpoints;
    out.push_back(std::move(sp));
  }
  return out;
}

bool Sh(const std::string& command) {
  if (std::system(command.c_str()) == 0) return true;
  std::fprintf(stderr, "failed: %s\n", command.c_str());
  return false;
}

// Moves the calling thread into netns `name`.
bool Enter(const std::string& name) {
  const int fd = open(("/var/run/netns/" + name).c_str(), O_RDONLY);
  if (fd < 0) return false;
  const bool ok = setns(fd, CLONE_NEWNET) == 0;
  close(fd);
  return ok;
}

sockaddr_in Address(const std::string& ip, int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, ip.c_str(), &a.sin_addr);
  return a;
}

// The pod: accepts and reads every connection to its end.
class Sink {
 public:
  bool Start(const std::string& netns) {
    std::atomic<int> ready{0};
    thread_ = std::thread([this, netns, &ready] {
      if (!Enter(netns)) {
        ready = -1;
        return;
      }
      listener_ = socket(AF_INET, SOCK_STREAM, 0);
      int one = 1;
      setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
      sockaddr_in a = Address("0.0.0.0", kPodPort);
      if (bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0 ||
          listen(listener_, 1024) != 0) {
        ready = -1;
        return;
      }
      ready = 1;
      std::vector<char> buf(1 << 20);
      while (true) {
        const int c = accept(listener_, nullptr, nullptr);
        if (c < 0) return;  // shut down
        while (read(c, buf.data(), buf.size()) > 0) {
        }
        close(c);
      }
    });
    while (ready == 0) std::this_thread::yield();
    return ready == 1;
  }
  ~Sink() {
    if (listener_ >= 0) shutdown(listener_, SHUT_RDWR);
    if (thread_.joinable()) thread_.join();
    if (listener_ >= 0) close(listener_);
  }

 private:
  int listener_ = -1;
  std::thread thread_;
};

// Microseconds from connect() to established; -1 on failure. Closed with a
// reset so no TIME_WAIT piles up over thousands of connects.
double ConnectMicros(const std::string& ip, int port) {
  const int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a = Address(ip, port);
  const auto t = Clock::now();
  const int rc = connect(s, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  const double us =
      std::chrono::duration<double, std::micro>(Clock::now() - t).count();
  linger off{1, 0};
  setsockopt(s, SOL_SOCKET, SO_LINGER, &off, sizeof(off));
  close(s);
  return rc == 0 ? us : -1;
}

// MB/s of `megabytes` written to ip:port.
double Throughput(const std::string& ip, int port, int megabytes) {
  const int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a = Address(ip, port);
  if (connect(s, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
    close(s);
    return -1;
  }
  std::vector<char> buf(1 << 20, 'x');
  const auto t = Clock::now();
  for (int i = 0; i < megabytes; ++i) {
    size_t sent = 0;
    while (sent < buf.size()) {
      const ssize_t n = write(s, buf.data() + sent, buf.size() - sent);
      if (n <= 0) {
        close(s);
        return -1;
      }
      sent += static_cast<size_t>(n);
    }
  }
  shutdown(s, SHUT_WR);
  char c;
  while (read(s, &c, 1) > 0) {
  }
  const double seconds =
      std::chrono::duration<double>(Clock::now() - t).count();
  close(s);
  return megabytes / seconds;
}

struct Percentiles {
  double p50 = 0;
  double p99 = 0;
};

Percentiles Of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  if (v.empty()) return {};
  return {v[v.size() / 2], v[std::min(v.size() - 1, v.size() * 99 / 100)]};
}

int Run(const std::string& backend_name, int services, int connects,
        int megabytes) {
  const std::string id = std::to_string(getpid());
  const std::string node = "bdn-" + id, pod = "bdp-" + id;
  int rc = 1;
  if (Sh("ip netns add " + node) && Sh("ip netns add " + pod) &&
      Sh("ip link add bdn" + id + " netns " + node +
         " type veth peer name bdp" + id + " netns " + pod) &&
      Sh("ip -n " + node + " addr add 10.244.0.1/24 dev bdn" + id) &&
      Sh("ip -n " + pod + " addr add " + kPodIp + "/24 dev bdp" + id) &&
      Sh("ip -n " + node + " link set bdn" + id + " up") &&
      Sh("ip -n " + pod + " link set bdp" + id + " up") &&
      Sh("ip -n " + node + " link set lo up") &&
      Sh("ip -n " + pod + " link set lo up") &&
      // ClusterIPs route towards the pods, as on a node.
      Sh("ip -n " + node + " route add 10.96.0.0/12 dev bdn" + id)) {
    Sink sink;
    // This thread programs the rules (the tools it spawns run where it is)
    // and is the client.
    if (!sink.Start(pod) || !Enter(node)) {
      std::fprintf(stderr, "cannot start the pod's sink or enter %s\n",
                   node.c_str());
    } else {
      SpawnProcessRunner runner;
      auto backend = backend_name == "nftables"
                         ? NewNftablesBackend(runner, ProxyRulesConfig{})
                         : NewIptablesBackend(runner, ProxyRulesConfig{});
      Status s = backend->Sync(Services(services));
      if (!s.ok()) {
        std::fprintf(stderr, "%s: %s\n", backend_name.c_str(),
                     s.ToString().c_str());
      } else {
        std::vector<double> first, last, direct;
        bool failed = false;
        for (int i = 0; i < connects && !failed; ++i) {
          const double f = ConnectMicros(ClusterIp(0), 80);
          const double l = ConnectMicros(ClusterIp(services - 1), 80);
          const double d = ConnectMicros(kPodIp, kPodPort);
          failed = f < 0 || l < 0 || d < 0;
          first.push_back(f);
          last.push_back(l);
          direct.push_back(d);
        }
        // Three rounds each, alternating, so neither path gets the warm
        // caches or the quiet moment; the medians are compared.
        std::vector<double> service_rates, pod_rates;
        for (int round = 0; round < 3; ++round) {
          service_rates.push_back(Throughput(ClusterIp(0), 80, megabytes));
          pod_rates.push_back(Throughput(kPodIp, kPodPort, megabytes));
        }
        const double via_service = Of(service_rates).p50;
        const double via_pod = Of(pod_rates).p50;
        const bool rate_failed =
            *std::min_element(service_rates.begin(), service_rates.end()) < 0 ||
            *std::min_element(pod_rates.begin(), pod_rates.end()) < 0;
        if (failed || rate_failed) {
          std::fprintf(stderr, "%s: a connection failed\n",
                       backend_name.c_str());
        } else {
          const Percentiles pf = Of(first), pl = Of(last), pd = Of(direct);
          std::printf(
              "%s: connect p50/p99 us: first of %d services %.0f/%.0f, last "
              "%.0f/%.0f, pod IP directly %.0f/%.0f (%d connects each)\n",
              backend_name.c_str(), services, pf.p50, pf.p99, pl.p50, pl.p99,
              pd.p50, pd.p99, connects);
          std::printf(
              "%s: throughput (median of 3 x %d MiB): ClusterIP %.0f MB/s, "
              "pod IP %.0f MB/s, ratio %.2f\n",
              backend_name.c_str(), megabytes, via_service, via_pod,
              via_service / via_pod);
          rc = 0;
        }
      }
      backend->Cleanup();
    }
  }
  Sh("ip netns del " + node + " 2>/dev/null; ip netns del " + pod +
     " 2>/dev/null; true");
  return rc;
}

}  // namespace
}  // namespace berth::proxy

int main(int argc, char** argv) {
  const int services = argc > 1 ? std::atoi(argv[1]) : 1000;
  const int connects = argc > 2 ? std::atoi(argv[2]) : 2000;
  const int megabytes = argc > 3 ? std::atoi(argv[3]) : 1024;
  const std::string backends = argc > 4 ? argv[4] : "nftables,iptables";
  int rc = 0;
  for (const char* b : {"nftables", "iptables"}) {
    if (backends.find(b) == std::string::npos) continue;
    // Each backend in a thread of its own: the thread that entered the
    // namespaces goes away with them.
    std::thread t(
        [&] { rc |= berth::proxy::Run(b, services, connects, megabytes); });
    t.join();
  }
  return rc;
}
