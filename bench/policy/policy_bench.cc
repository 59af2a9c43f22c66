// policy_bench: a node's NetworkPolicy work at scale — a cluster of
// `pods` pods in `namespaces` namespaces, `local` of them on this node,
// and in every namespace the workshop's same-namespace-only policy plus an
// allow-from-label policy on port 8000. Times the rule computation
// (ComputePodRules), then each backend programming the rules from nothing
// and again after one pod changed its label, in a fresh network namespace
// (created and deleted here; the host's tables are never touched),
// through the same exec service the plugin uses. Prints one line per
// figure.
//
// Usage (root): policy_bench [pods] [namespaces] [local]
//                            [backends: nftables,iptables]
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "kernel/exec/process_runner.h"
#include "plugins/network/policy/policy_backend.h"
#include "plugins/network/policy/policy_model.h"

namespace berth::policy {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

std::string Ip(uint32_t v) {
  return std::to_string(v >> 24) + "." + std::to_string((v >> 16) & 255) + "." +
         std::to_string((v >> 8) & 255) + "." + std::to_string(v & 255);
}

JsonDoc Doc(const std::string& text) {
  auto d = ParseJson(text);
  if (!d.ok()) std::abort();
  return std::move(*d);
}

struct Cluster {
  std::vector<JsonDoc> pods, namespaces, policies;

  static std::string Pod(int i, int namespaces, int local,
                         const std::string& run) {
    const uint32_t base = (10u << 24) | (244u << 16);
    return R"({"metadata":{"namespace":"ns-)" + std::to_string(i % namespaces) +
           R"(","name":"pod-)" + std::to_string(i) + R"(","labels":{"run":")" +
           run + R"("}},"spec":{"nodeName":")" +
           (i < local ? "node1" : "node2") +
           R"(","containers":[{"name":"c","ports":[{"name":"http",)"
           R"("containerPort":8000}]}]},"status":{"phase":"Running",)"
           R"("podIP":")" +
           Ip(base + 2 + static_cast<uint32_t>(i)) + R"("}})";
  }

  Cluster(int pod_count, int namespace_count, int local) {
    for (int i = 0; i < pod_count; ++i) {
      pods.push_back(Doc(
          Pod(i, namespace_count, local, i % 3 == 0 ? "testweb" : "testcurl")));
    }
    for (int n = 0; n < namespace_count; ++n) {
      const std::string ns = "ns-" + std::to_string(n);
      namespaces.push_back(Doc(R"({"metadata":{"name":")" + ns + R"("}})"));
      policies.push_back(Doc(R"({"metadata":{"namespace":")" + ns +
                             R"(","name":"same-ns"},"spec":{"podSelector":{},)"
                             R"("ingress":[{"from":[{"podSelector":{}}]}]}})"));
      policies.push_back(
          Doc(R"({"metadata":{"namespace":")" + ns +
              R"(","name":"allow-curl"},"spec":{"podSelector":{"matchLabels":)"
              R"({"run":"testweb"}},"ingress":[{"from":[{"podSelector":)"
              R"({"matchLabels":{"run":"testcurl"}}}],"ports":[{"port":"http",)"
              R"("protocol":"TCP"}]}]}})"));
    }
  }

  std::vector<PodRules> Rules() const {
    auto ptrs = [](const std::vector<JsonDoc>& docs) {
      std::vector<const Json*> out;
      for (const auto& d : docs) out.push_back(&d);
      return out;
    };
    return ComputePodRules(ptrs(policies), ptrs(pods), ptrs(namespaces),
                           "node1");
  }
};

int Run(const std::string& backend_name, Cluster& cluster, int namespaces,
        int local) {
  const std::string ns = "bpol-" + std::to_string(getpid());
  if (std::system(("ip netns add " + ns).c_str()) != 0) {
    std::fprintf(stderr, "cannot create netns %s (root?)\n", ns.c_str());
    return 1;
  }
  int rc = 0;
  const int fd = open(("/var/run/netns/" + ns).c_str(), O_RDONLY);
  if (fd < 0 || setns(fd, CLONE_NEWNET) != 0) {
    std::fprintf(stderr, "cannot enter netns %s\n", ns.c_str());
    rc = 1;
  } else {
    SpawnProcessRunner runner;
    auto backend = backend_name == "nftables"
                       ? NewNftablesPolicyBackend(runner)
                       : NewIptablesPolicyBackend(runner);
    auto rules = cluster.Rules();
    auto t = Clock::now();
    Status s = backend->Sync(rules);
    const double first = Seconds(t);
    // One local pod changes its label: recompute and program again.
    cluster.pods[1] = Doc(Cluster::Pod(1, namespaces, local, "testweb"));
    t = Clock::now();
    rules = cluster.Rules();
    Status s2 = s.ok() ? backend->Sync(rules) : s;
    const double again = Seconds(t);
    cluster.pods[1] = Doc(Cluster::Pod(1, namespaces, local, "testcurl"));
    backend->Cleanup();
    if (!s.ok() || !s2.ok()) {
      std::fprintf(stderr, "%s: %s\n", backend_name.c_str(),
                   (!s.ok() ? s : s2).ToString().c_str());
      rc = 1;
    } else {
      std::printf(
          "%-8s program %zu isolated pods: %.3f s; after one label "
          "change (compute + program): %.3f s\n",
          backend_name.c_str(), rules.size(), first, again);
    }
  }
  if (fd >= 0) close(fd);
  std::system(("ip netns del " + ns).c_str());
  return rc;
}

}  // namespace
}  // namespace berth::policy

int main(int argc, char** argv) {
  const int pods = argc > 1 ? std::atoi(argv[1]) : 1000;
  const int namespaces = argc > 2 ? std::atoi(argv[2]) : 10;
  const int local = argc > 3 ? std::atoi(argv[3]) : 110;
  const std::string backends = argc > 4 ? argv[4] : "nftables,iptables";
  berth::policy::Cluster cluster(pods, namespaces, local);
  auto t = std::chrono::steady_clock::now();
  const auto rules = cluster.Rules();
  std::printf(
      "compute rules: %d pods, %d namespaces, %d local, %d policies: "
      "%.3f s (%zu isolated pods)\n",
      pods, namespaces, local, 2 * namespaces, berth::policy::Seconds(t),
      rules.size());
  int rc = 0;
  for (const std::string b : {"nftables", "iptables"}) {
    if (backends.find(b) == std::string::npos) continue;
    // Each backend in its own thread: setns moves only the calling thread,
    // so the next backend starts from the host's namespace again.
    std::thread([&] {
      rc |= berth::policy::Run(b, cluster, namespaces, local);
    }).join();
  }
  return rc;
}
