// proxy_bench: the scale model kube-proxy's nftables and iptables modes
// are compared with, for Berth's two proxy backends side by side — time to
// program 1,000 Services x 10 endpoints from nothing, then to resync after
// one endpoint changed, then to program one Service with 100,000
// endpoints. Each backend runs in a fresh network namespace (created and
// deleted here; the host's tables are never touched), through the same
// exec service the plugin uses. Prints one line per figure.
//
// Usage (root): proxy_bench [services] [endpoints_per_service] [big]
//                            [backends: nftables,iptables]
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "kernel/exec/process_runner.h"
#include "plugins/network/proxy/proxy_backend.h"

namespace berth::proxy {
namespace {

using Clock = std::chrono::steady_clock;

std::string Ip(uint32_t v) {
  return std::to_string(v >> 24) + "." + std::to_string((v >> 16) & 255) + "." +
         std::to_string((v >> 8) & 255) + "." + std::to_string(v & 255);
}

std::vector<ServicePort> Cluster(int services, int per_service) {
  std::vector<ServicePort> out;
  uint32_t next_pod = (10u << 24) | (244u << 16) | 2;  // 10.244.0.2
  for (int s = 0; s < services; ++s) {
    ServicePort sp;
    sp.ns = "bench";
    sp.name = "svc-" + std::to_string(s);
    sp.cluster_ip = Ip(((10u << 24) | (96u << 16)) + 10 + s);
    sp.protocol = "tcp";
    sp.port = 80;
    for (int e = 0; e < per_service; ++e) {
      sp.cluster_endpoints.push_back({Ip(next_pod++), 8080});
    }
    sp.external_endpoints = sp.cluster_endpoints;
    out.push_back(std::move(sp));
  }
  return out;
}

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

int Run(const std::string& backend_name, int services, int per_service,
        int big) {
  const std::string ns = "bpb-" + std::to_string(getpid());
  if (std::system(("ip netns add " + ns).c_str()) != 0) {
    std::fprintf(stderr, "cannot create netns %s (root?)\n", ns.c_str());
    return 1;
  }
  int rc = 0;
  const int fd = open(("/var/run/netns/" + ns).c_str(), O_RDONLY);
  // Only this thread enters; what it spawns (nft, iptables-restore) runs
  // in the namespace.
  if (fd < 0 || setns(fd, CLONE_NEWNET) != 0) {
    std::fprintf(stderr, "cannot enter netns %s\n", ns.c_str());
    rc = 1;
  } else {
    SpawnProcessRunner runner;
    auto backend = backend_name == "nftables"
                       ? NewNftablesBackend(runner, ProxyRulesConfig{})
                       : NewIptablesBackend(runner, ProxyRulesConfig{});
    auto cluster = Cluster(services, per_service);
    auto t = Clock::now();
    Status s = backend->Sync(cluster);
    const double first = Seconds(t);
    cluster[services / 2].cluster_endpoints[0].ip = "10.250.0.1";
    cluster[services / 2].external_endpoints[0].ip = "10.250.0.1";
    t = Clock::now();
    if (s.ok()) s = backend->Sync(cluster);
    const double change = Seconds(t);
    auto one = Cluster(1, big);
    t = Clock::now();
    if (s.ok()) s = backend->Sync(one);
    const double large = Seconds(t);
    t = Clock::now();
    if (s.ok()) s = backend->Cleanup();
    const double cleanup = Seconds(t);
    if (!s.ok()) {
      std::fprintf(stderr, "%s: %s\n", backend_name.c_str(),
                   s.ToString().c_str());
      rc = 1;
    } else {
      std::printf("%s: program %d services x %d endpoints: %.3f s\n",
                  backend_name.c_str(), services, per_service, first);
      std::printf("%s: resync after one endpoint change: %.3f s\n",
                  backend_name.c_str(), change);
      std::printf("%s: program 1 service x %d endpoints: %.3f s\n",
                  backend_name.c_str(), big, large);
      std::printf("%s: remove everything: %.3f s\n", backend_name.c_str(),
                  cleanup);
    }
  }
  if (fd >= 0) close(fd);
  std::system(("ip netns del " + ns).c_str());
  return rc;
}

}  // namespace
}  // namespace berth::proxy

int main(int argc, char** argv) {
  const int services = argc > 1 ? std::atoi(argv[1]) : 1000;
  const int per_service = argc > 2 ? std::atoi(argv[2]) : 10;
  const int big = argc > 3 ? std::atoi(argv[3]) : 100000;
  const std::string backends = argc > 4 ? argv[4] : "nftables,iptables";
  int rc = 0;
  for (const char* b : {"nftables", "iptables"}) {
    if (backends.find(b) == std::string::npos) continue;
    rc |= berth::proxy::Run(b, services, per_service, big);
  }
  return rc;
}
