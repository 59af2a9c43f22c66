// pod_start_bench [PODS] [THREADS] [RUNTIME]: pod start latency on a real
// node. Runs as root: makes a network namespace standing in for the
// machine, enters it, imports the busybox test image into the node's image
// store (the image is present, as Kubernetes' pod-startup SLO assumes),
// starts `berth server` with the node agent, RUNTIME (default runc) and
// CNI, creates PODS pods (default 100) of `sleep 3600` from THREADS clients
// (default 10) at once, and reports for each pod the time from its create
// request to the first list that shows it Running: p50, p99, max, and the
// time until all are Running. Then, with every pod running, the server's
// RSS and CPU over 10 idle seconds, and the shims' summed RSS.
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "berth/json.h"
#include "tests/support/api_client.h"
#include "tests/support/oci_registry.h"
#include "tests/support/process.h"

namespace {

using Clock = std::chrono::steady_clock;
using berth::testing::ApiClient;
using berth::testing::RunCommand;

double Ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

// Names of the pods a List response shows Running.
std::vector<std::string> RunningPods(const std::string& body) {
  std::vector<std::string> out;
  auto doc = berth::ParseJson(body);
  if (!doc.ok()) return out;
  const berth::Json* items = berth::Member(*doc, "items");
  if (!items || !items->IsArray()) return out;
  for (const auto& item : items->GetArray()) {
    if (berth::GetString(item, {"status", "phase"}) == "Running") {
      out.push_back(berth::GetString(item, {"metadata", "name"}));
    }
  }
  return out;
}

// Resident set size of `pid` in KiB, from /proc.
long RssKib(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return 0;
}

// utime + stime of `pid` in clock ticks.
long CpuTicks(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), {});
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string f;
  long utime = 0, stime = 0;
  for (int i = 3; fields >> f; ++i) {
    if (i == 14) utime = std::atol(f.c_str());
    if (i == 15) {
      stime = std::atol(f.c_str());
      break;
    }
  }
  return utime + stime;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * (v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  const int pods = argc > 1 ? std::atoi(argv[1]) : 100;
  const int threads = argc > 2 ? std::atoi(argv[2]) : 10;
  const std::string runtime = argc > 3 ? argv[3] : "runc";
  if (geteuid() != 0) {
    std::fprintf(stderr, "pod_start_bench needs root\n");
    return 2;
  }
  const std::string netns = "berth-bench-" + std::to_string(getpid());
  if (RunCommand("ip netns add " + netns + " && ip netns exec " + netns +
                 " ip link set lo up")
          .exit_code != 0) {
    std::fprintf(stderr, "cannot create network namespace %s\n", netns.c_str());
    return 2;
  }
  // Every thread and child made from here on lives in the node's
  // namespace (threads inherit the creating thread's namespaces).
  int ns_fd = open(("/var/run/netns/" + netns).c_str(), O_RDONLY);
  if (ns_fd < 0 || setns(ns_fd, CLONE_NEWNET) != 0) {
    std::fprintf(stderr, "cannot enter %s\n", netns.c_str());
    return 2;
  }
  close(ns_fd);
  int rc = 1;
  {
    berth::testing::TempDir dir;
    const std::string d = dir.path();
    const std::string image = d + "/busybox";
    if (std::string err = berth::testing::BuildOciImage(
            image, {"--busybox", "--tag", "1.35", "--archive", d + "/bb.tar"});
        !err.empty()) {
      std::fprintf(stderr, "image: %s\n", err.c_str());
      return 1;
    }
    auto imported =
        RunCommand(berth::testing::BerthBinary() + " image import " + d +
                   "/bb.tar --root " + d + "/images");
    if (imported.exit_code != 0) {
      std::fprintf(stderr, "import: %s\n", imported.err.c_str());
      return 1;
    }
    const std::string config = d + "/berth.yaml";
    std::ofstream(config)
        << "plugins:\n  - core\n  - scheduler\n"
        << "  - name: oci\n    settings: {root: " << d
        << "/oci, imageRoot: " << d << "/images}\n"
        << "  - name: process\n    settings: {root: " << d << "/process}\n"
        << "  - name: cni\n    settings: {cacheDir: " << d << "/cni}\n"
        << "  - name: node\n    settings: {nodeName: bench, runtime: "
        << runtime << ", network: cni, rootDir: " << d << "/node}\n";
    berth::testing::BerthServer server(d + "/data");
    if (!server.Start({"--config", config})) {
      std::fprintf(stderr, "server did not start:\n%s\n", server.log().c_str());
      return 1;
    }
    ApiClient client(server.url(), server.data_dir());
    // The node must be Ready (and have its pod CIDR) first.
    for (int i = 0; i < 600; ++i) {
      auto r = client.Request("GET", "/api/v1/nodes/bench");
      if (r.status == 200 && r.body.find("\"podCIDR\"") != std::string::npos &&
          r.body.find("KubeletReady") != std::string::npos) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }

    const std::string base = "/api/v1/namespaces/default/pods";
    std::mutex mu;
    std::map<std::string, Clock::time_point> created, running;
    std::atomic<int> next{0}, errors{0};
    const auto start = Clock::now();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&] {
        ApiClient c(server.url(), server.data_dir());
        for (int i = next++; i < pods; i = next++) {
          const std::string name = "p" + std::to_string(i);
          const auto at = Clock::now();
          auto r = c.Request(
              "POST", base,
              R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":")" + name +
                  R"("},"spec":{"terminationGracePeriodSeconds":1,)"
                  R"("containers":[{"name":"c","image":"busybox:1.35",)"
                  R"("imagePullPolicy":"IfNotPresent",)"
                  R"("command":["sleep","3600"]}]}})");
          if (r.status != 201) {
            ++errors;
            continue;
          }
          std::lock_guard<std::mutex> lock(mu);
          created[name] = at;
        }
      });
    }
    while (Ms(Clock::now() - start) < 300000) {
      auto listed = RunningPods(client.Request("GET", base).body);
      const auto now = Clock::now();
      std::lock_guard<std::mutex> lock(mu);
      for (const auto& name : listed) running.emplace(name, now);
      if (static_cast<int>(running.size()) + errors >= pods) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    for (auto& t : pool) t.join();
    std::vector<double> latencies;
    Clock::time_point last = start;
    for (const auto& [name, at] : running) {
      latencies.push_back(Ms(at - created[name]));
      last = std::max(last, at);
    }
    std::printf(
        "pod start (%s, image present, %d pods from %d clients): %zu Running "
        "(%d create errors); created->Running p50 %.0f ms, p99 %.0f ms, max "
        "%.0f ms; all Running %.0f ms after the first create\n",
        runtime.c_str(), pods, threads, latencies.size(), errors.load(),
        Percentile(latencies, 0.5), Percentile(latencies, 0.99),
        Percentile(latencies, 1.0), Ms(last - start));

    // Idle with every pod running.
    std::this_thread::sleep_for(std::chrono::seconds(5));
    const long ticks = sysconf(_SC_CLK_TCK);
    const long before = CpuTicks(server.pid());
    std::this_thread::sleep_for(std::chrono::seconds(10));
    const long used = CpuTicks(server.pid()) - before;
    long shims_kib = 0;
    int shims = 0;
    auto pids = RunCommand("pgrep -f 'berth-shim.*" + d + "'").out;
    std::istringstream in(pids);
    for (std::string pid; in >> pid;) {
      shims_kib += RssKib(std::atoi(pid.c_str()));
      ++shims;
    }
    std::printf(
        "idle with %zu pods: server (API, controllers, scheduler, agent) RSS "
        "%.1f MiB, CPU %.1f%% of one core over 10 s; %d shims, %.1f MiB RSS "
        "in all\n",
        running.size(), RssKib(server.pid()) / 1024.0,
        100.0 * used / ticks / 10.0, shims, shims_kib / 1024.0);
    rc = static_cast<int>(running.size()) == pods ? 0 : 1;

    // Clean up: every pod, then the server.
    client.Request("DELETE", base);
    for (int i = 0; i < 600; ++i) {
      auto r = client.Request("GET", base);
      if (r.body.find("\"items\":[]") != std::string::npos) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    server.Stop();
  }
  RunCommand("ip netns del " + netns);
  return rc;
}
