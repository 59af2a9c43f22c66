// pod_start_bench: issue #4's node figures on this machine (needs root, runc
// and the CNI plugins). Everything runs inside a fresh network namespace
// standing in for the machine (the bench enters it itself, so the server,
// its shims and the CNI bridge live there), with every file under one temp
// dir. In order:
//   1. Unless --skip-baseline: a `berth server` with core, auth, storage,
//      workloads and scheduler only; its RSS/PSS and CPU over --idle-seconds.
//   2. The busybox test image is built and imported into the node's image
//      store (`berth image import`), so pods start with the image present.
//   3. A `berth server` with the same plugins plus oci, cni and node (the
//      node agent in process); once the Node is Ready, its idle figures with
//      no pods.
//   4. --pods pods (default 100; busybox `sleep` and `httpd`, alternately)
//      created from --clients connections, all at once or at --qps. A pod
//      watch times each one from its first event (ADDED) and from its
//      creationTimestamp to the first event showing status.phase Running;
//      the Ready condition's lastTransitionTime − creationTimestamp is the
//      agent-side figure. p50, p90, p99, max, and the wall time until all
//      are Running.
//   5. With every pod Running: the server's and the shims' idle figures.
//   6. Cleanup, also after a failure or SIGINT/SIGTERM: DELETE of every pod
//      (timed until the list is empty), SIGTERM to the server, then
//      whatever is still left of the node (shims, container processes in the
//      pod cgroups, the cgroups, mounts) is counted, reported and removed;
//      the network namespace goes last.
// Prints its figures on stdout, progress on stderr; exit 0 only when every
// pod ran and nothing was left behind. See README.md.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bench/api/https_connection.h"
#include "bench/api/watch_line_reader.h"
#include "bench/pods/bench_dir.h"
#include "bench/pods/entered_netns.h"
#include "bench/pods/interruption.h"
#include "bench/pods/node_leftovers.h"
#include "bench/pods/node_server.h"
#include "bench/pods/pod_start_tracker.h"
#include "bench/pods/process_usage.h"
#include "bench/pods/progress.h"
#include "berth/json.h"
#include "kernel/cli/flags.h"
#include "tests/support/node_netns.h"
#include "tests/support/oci_registry.h"
#include "tests/support/process.h"

namespace berth::bench {
namespace {

using Clock = std::chrono::steady_clock;
using testing::RunCommand;

const char kJson[] = "Content-Type: application/json\r\n";

double Ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

std::string Fixed(double v, int digits = 0) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", digits, v);
  return buf;
}

std::string Mib(int64_t kib) { return Fixed(kib / 1024.0, 1) + " MiB"; }

// "p50 X, p90 X, p99 X, max X <unit>" by nearest rank, or "none".
std::string Percentiles(std::vector<double> v, const std::string& unit,
                        int digits = 0) {
  if (v.empty()) return "none";
  std::sort(v.begin(), v.end());
  auto at = [&](double p) {
    size_t rank = static_cast<size_t>(std::ceil(p * v.size()));
    return v[std::clamp<size_t>(rank, 1, v.size()) - 1];
  };
  return "p50 " + Fixed(at(0.5), digits) + ", p90 " + Fixed(at(0.9), digits) +
         ", p99 " + Fixed(at(0.99), digits) + ", max " +
         Fixed(v.back(), digits) + " " + unit + " (" +
         std::to_string(v.size()) + " pods)";
}

bool Ok(const StatusOr<HttpResponse>& r) {
  return r.ok() && r->status >= 200 && r->status < 300;
}

std::string Why(const StatusOr<HttpResponse>& r) {
  return r.ok() ? std::to_string(r->status) + " " + r->body.substr(0, 300)
                : r.status().message();
}

struct Idle {
  MemoryUsage memory;
  double cores = 0;
};

// Waits `settle`, then measures `pids`' summed CPU over `window`, and their
// memory at its end. Zeros when interrupted.
Idle MeasureIdle(const std::vector<pid_t>& pids, std::chrono::seconds settle,
                 std::chrono::seconds window) {
  Idle out;
  if (!Pause(settle)) return out;
  auto cpu = [&] {
    double s = 0;
    for (pid_t p : pids) s += CpuSecondsOf(p);
    return s;
  };
  const double before = cpu();
  const auto start = Clock::now();
  if (!Pause(window)) return out;
  out.cores = (cpu() - before) /
              std::chrono::duration<double>(Clock::now() - start).count();
  for (pid_t p : pids) {
    const MemoryUsage m = MemoryOf(p);
    out.memory.rss_kib += m.rss_kib;
    out.memory.pss_kib += m.pss_kib;
  }
  return out;
}

std::string Describe(const Idle& idle) {
  return "VmRSS " + Mib(idle.memory.rss_kib) + ", PSS " +
         Mib(idle.memory.pss_kib) + ", CPU " + Fixed(idle.cores * 100, 2) +
         "% of one core";
}

struct Options {
  NodeServerConfig server;
  int pods = 100;
  int clients = 10;
  double qps = 0;  // 0: all at once
  std::chrono::seconds idle{30};
  std::chrono::seconds settle{5};
  std::chrono::seconds timeout{300};
  bool baseline = true;
};

// The pod body: busybox `sleep` for even `i`, `httpd` for odd.
std::string PodJson(int i) {
  char name[16];
  std::snprintf(name, sizeof(name), "p%03d", i);
  const char* command =
      i % 2 == 0 ? R"(["sleep","3600"])" : R"(["httpd","-f","-p","8080"])";
  return std::string(
             R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":")") +
         name +
         R"(","labels":{"app":"podbench"}},"spec":{)"
         R"("terminationGracePeriodSeconds":1,"containers":[{"name":"c",)"
         R"("image":"busybox:1.35","imagePullPolicy":"IfNotPresent",)"
         R"("command":)" +
         command + "}]}}";
}

// `berth agent` with oci, cni and node (another machine's node: its own
// process against the baseline server), idle with no pods. Prints one line;
// a failure to start is reported on that line, not fatal.
void MeasureAgent(const Options& o, const std::string& dir,
                  const std::string& kubeconfig) {
  Progress("berth agent (oci, cni, node) against the baseline server");
  const std::string config = dir + "/agent.yaml";
  std::ofstream(config) << "plugins:\n  - name: oci\n    settings: {root: "
                        << dir << "/agent-oci, imageRoot: " << dir
                        << "/images}\n  - name: cni\n    settings: {cacheDir: "
                        << dir << "/agent-cni}\n  - name: node\n    settings: "
                        << "{runtime: " << o.server.runtime
                        << ", network: cni, rootDir: " << dir
                        << "/agent-node}\n";
  testing::BerthAgent agent(dir + "/agent");
  if (!agent.Start({"--kubeconfig", kubeconfig, "--config", config,
                    "--node-name", "bench-agent"})) {
    std::printf("berth agent as its own process: did not start: %s\n",
                agent.log().c_str());
    return;
  }
  const Idle idle = MeasureIdle({agent.pid()}, o.settle, o.idle);
  agent.Stop();
  if (Interrupted()) return;
  std::printf(
      "berth agent as its own process (oci, cni, node; no pods) idle over "
      "%lld s: %s\n",
      static_cast<long long>(o.idle.count()), Describe(idle).c_str());
}

// Step 1: the server without node plugins; nullopt when it did not run.
std::optional<Idle> Baseline(const Options& o, const std::string& dir) {
  Progress("baseline: a server without oci, cni and node");
  auto server = NodeServer::Start(o.server, dir, "baseline", false);
  if (!server.ok()) {
    Progress(server.status().ToString());
    return std::nullopt;
  }
  const Idle idle = MeasureIdle({(*server)->pid()}, o.settle, o.idle);
  if (Interrupted()) return std::nullopt;
  std::printf(
      "idle server without node plugins (core, auth, storage, workloads, "
      "scheduler) over %lld s: %s\n",
      static_cast<long long>(o.idle.count()), Describe(idle).c_str());
  MeasureAgent(o, dir, dir + "/baseline/admin.kubeconfig");
  (*server)->Finish();
  if (Interrupted()) return std::nullopt;
  return idle;
}

// Step 2: the image the pods use, in the node's store.
Status ImportImage(const Options& o, const std::string& dir) {
  // The archive's file name names the image ("busybox" + its ref tag).
  const std::string archive = dir + "/busybox.tar";
  if (std::string err = testing::BuildOciImage(
          dir + "/busybox",
          {"--busybox", "--tag", "1.35", "--archive", archive});
      !err.empty()) {
    return Status::Internal("building the busybox image: " + err);
  }
  const std::string root = " --root " + dir + "/images";
  auto imported =
      RunCommand(o.server.berth + " image import " + archive + root);
  if (imported.exit_code != 0) {
    return Status::Internal("berth image import: " + imported.err);
  }
  auto ls = RunCommand(o.server.berth + " image ls" + root);
  if (ls.out.find("docker.io/library/busybox") == std::string::npos ||
      ls.out.find("1.35") == std::string::npos) {
    return Status::Internal("busybox:1.35 is not in the store after import:\n" +
                            ls.out);
  }
  return {};
}

// Step 4: creates the pods and waits until all are Running. True when all
// are.
bool StartPods(const Options& o, NodeServer& server, PodStartTracker& tracker) {
  const Endpoint& ep = server.endpoint();
  auto admin = ep.NewConnection();
  auto list = admin->Request("GET", std::string(kBenchPods) + "?limit=1");
  if (!Ok(list)) {
    Progress("listing pods failed: " + Why(list));
    return false;
  }
  auto doc = ParseJson(list->body);
  if (!doc.ok()) return false;
  WatchLineReader watch(ep.NewConnection(),
                        std::string(kBenchPods) + "?watch=1&resourceVersion=" +
                            GetString(*doc, {"metadata", "resourceVersion"}),
                        [&](const std::string& line) { tracker.OnLine(line); });
  if (Status s = watch.Start(); !s.ok()) {
    Progress("pod watch: " + s.ToString());
    return false;
  }

  Progress("creating " + std::to_string(o.pods) + " pods from " +
           std::to_string(o.clients) + " clients" +
           (o.qps > 0 ? " at " + Fixed(o.qps, 1) + " pods/s" : " at once"));
  std::atomic<int> next{0}, failed{0};
  std::mutex mu;
  std::map<std::string, Clock::time_point> sent;
  const auto start = Clock::now();
  std::atomic<int64_t> posted_ns{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < o.clients; ++t) {
    clients.emplace_back([&] {
      auto c = ep.NewConnection();
      for (int i = next++; i < o.pods && !Interrupted(); i = next++) {
        if (o.qps > 0 && !Pause(start +
                                std::chrono::duration_cast<Clock::duration>(
                                    std::chrono::duration<double>(i / o.qps)) -
                                Clock::now())) {
          break;
        }
        const std::string body = PodJson(i);
        const auto at = Clock::now();
        auto r = c->Request("POST", kBenchPods, kJson, body);
        if (!Ok(r)) {
          if (failed++ == 0) Progress("create failed: " + Why(r));
          continue;
        }
        auto created = ParseJson(r->body);
        std::lock_guard<std::mutex> lock(mu);
        if (created.ok()) {
          sent[GetString(*created, {"metadata", "name"})] = at;
        }
        posted_ns =
            std::max<int64_t>(posted_ns, (Clock::now() - start).count());
      }
    });
  }
  for (auto& t : clients) t.join();
  const double posts_s = posted_ns.load() / 1e9;

  const int want = o.pods - failed;
  auto last_report = Clock::now();
  while (static_cast<int>(tracker.running()) < want && !Interrupted() &&
         !watch.failed() && Clock::now() - start < o.timeout) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (Clock::now() - last_report > std::chrono::seconds(10)) {
      last_report = Clock::now();
      Progress(tracker.StateCounts());
    }
  }
  watch.Stop();
  const auto pods = tracker.Snapshot();

  std::vector<double> seen_ms, post_ms, created_ms, ready_s;
  Clock::time_point last = start;
  for (const auto& [name, p] : pods) {
    if (!p.running) continue;
    last = std::max(last, *p.running);
    if (p.seen) seen_ms.push_back(Ms(*p.running - *p.seen));
    if (auto it = sent.find(name); it != sent.end()) {
      post_ms.push_back(Ms(*p.running - it->second));
    }
    if (p.created && p.running_wall) {
      created_ms.push_back(Ms(*p.running_wall - *p.created));
    }
    if (p.created && p.ready) {
      ready_s.push_back(
          std::chrono::duration<double>(*p.ready - *p.created).count());
    }
  }
  std::printf(
      "pod start: %d pods (busybox sleep and httpd, image present, "
      "IfNotPresent), runtime %s, %d clients, %s\n",
      o.pods, o.server.runtime.c_str(), o.clients,
      o.qps > 0 ? (Fixed(o.qps, 1) + " pods/s").c_str() : "all at once");
  std::printf("  first watch event -> watch sees Running:  %s\n",
              Percentiles(seen_ms, "ms").c_str());
  std::printf("  POST sent -> watch sees Running:          %s\n",
              Percentiles(post_ms, "ms").c_str());
  std::printf(
      "  creationTimestamp -> watch sees Running:  %s "
      "(creationTimestamp is whole seconds: up to 1 s more)\n",
      Percentiles(created_ms, "ms").c_str());
  std::printf(
      "  creationTimestamp -> Ready lastTransitionTime (agent): %s "
      "(both whole seconds)\n",
      Percentiles(ready_s, "s").c_str());
  std::printf(
      "  all %zu Running %.2f s after the first POST (the POSTs took "
      "%.2f s; %d failed); load average now %s",
      seen_ms.size(), Ms(last - start) / 1000, posts_s, failed.load(),
      RunCommand("cut -d' ' -f1-3 /proc/loadavg").out.c_str());
  if (static_cast<int>(seen_ms.size()) < o.pods) {
    std::printf("  NOT all Running%s: %s\n",
                Interrupted()    ? " (interrupted)"
                : watch.failed() ? " (the watch broke)"
                                 : "",
                tracker.StateCounts().c_str());
  }
  std::fflush(stdout);
  return static_cast<int>(seen_ms.size()) == o.pods;
}

int Run(const Options& o) {
  if (geteuid() != 0) {
    std::cerr << "pod_start_bench needs root (namespaces, cgroups, mounts)\n";
    return 2;
  }
  for (const char* tool : {o.server.runtime.c_str(), "setsid", "ip"}) {
    if (RunCommand(std::string("command -v ") + tool).exit_code != 0) {
      std::cerr << tool << " is not installed (scripts/install-deps.sh)\n";
      return 2;
    }
  }
  testing::NodeNetns netns("berth-bench");
  if (!netns.ok()) {
    std::cerr << "cannot create network namespace " << netns.name() << "\n";
    return 2;
  }
  EnteredNetns entered(netns.name());
  if (!entered.ok()) {
    std::cerr << "cannot enter network namespace " << netns.name() << "\n";
    return 2;
  }
  StartInterruptionThread();
  BenchDir bench_dir;
  const std::string dir = bench_dir.path();
  if (dir.empty()) {
    std::cerr << "cannot make a temp dir\n";
    return 2;
  }
  Progress("network namespace " + netns.name() + ", files under " + dir);
  std::printf("machine: %u cpus, load average at start %s\n",
              std::thread::hardware_concurrency(),
              RunCommand("cut -d' ' -f1-3 /proc/loadavg").out.c_str());

  std::optional<Idle> baseline;
  if (o.baseline) baseline = Baseline(o, dir);
  if (Interrupted()) return 1;
  if (Status s = ImportImage(o, dir); !s.ok()) {
    std::cerr << s.ToString() << "\n";
    return 1;
  }

  Progress("starting the server with the node agent");
  auto started = NodeServer::Start(o.server, dir, "node", true);
  if (!started.ok()) {
    std::cerr << started.status().ToString() << "\n";
    RemoveLeftovers(dir);
    return 1;
  }
  NodeServer& run = **started;
  const pid_t pid = run.pid();
  {
    const auto start = Clock::now();
    while (!run.NodeReady()) {
      if (Interrupted() || Clock::now() - start > std::chrono::seconds(60)) {
        std::cerr << "node " << o.server.node_name << " not Ready after 60 s\n";
        run.Finish();
        return 1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    Progress("node Ready " + Fixed(Ms(Clock::now() - start), 0) +
             " ms after the server was");
  }
  const Idle empty = MeasureIdle({pid}, o.settle, o.idle);
  if (Interrupted()) {
    run.Finish();
    return 1;
  }
  std::printf(
      "idle server with the node agent (+ oci, cni, node), no pods, "
      "over %lld s: %s\n",
      static_cast<long long>(o.idle.count()), Describe(empty).c_str());
  if (baseline) {
    // No PSS difference: PSS moves with whatever else maps the same files.
    std::printf(
        "  the node plugins' in-process cost: VmRSS +%s, CPU +%s%% of one "
        "core\n",
        Mib(empty.memory.rss_kib - baseline->memory.rss_kib).c_str(),
        Fixed((empty.cores - baseline->cores) * 100, 2).c_str());
  }

  PodStartTracker tracker;
  const bool all_running = StartPods(o, run, tracker);
  if (all_running) {
    std::vector<pid_t> shims = PidsMentioning("berth-shim", dir);
    std::vector<pid_t> both = shims;
    both.push_back(pid);
    // One window for the server and the shims together.
    Idle server_idle, shims_idle;
    if (Pause(o.settle)) {
      const double s0 = CpuSecondsOf(pid);
      double h0 = 0;
      for (pid_t p : shims) h0 += CpuSecondsOf(p);
      const auto start = Clock::now();
      if (Pause(o.idle)) {
        const double secs =
            std::chrono::duration<double>(Clock::now() - start).count();
        server_idle.cores = (CpuSecondsOf(pid) - s0) / secs;
        double h1 = 0;
        for (pid_t p : shims) h1 += CpuSecondsOf(p);
        shims_idle.cores = (h1 - h0) / secs;
        server_idle.memory = MemoryOf(pid);
        for (pid_t p : shims) {
          const MemoryUsage m = MemoryOf(p);
          shims_idle.memory.rss_kib += m.rss_kib;
          shims_idle.memory.pss_kib += m.pss_kib;
        }
        std::printf(
            "idle server with the node agent and %d pods Running, over %lld "
            "s: %s\n",
            o.pods, static_cast<long long>(o.idle.count()),
            Describe(server_idle).c_str());
        std::printf(
            "  %zu berth-shim processes (pause and container), "
            "summed: %s\n",
            shims.size(), Describe(shims_idle).c_str());
      }
    }
  }
  std::fflush(stdout);
  const bool clean = run.Finish();
  return all_running && clean && !Interrupted() ? 0 : 1;
}

}  // namespace
}  // namespace berth::bench

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto flags = berth::cli::ParseFlags(
      args,
      {"pods", "clients", "qps", "runtime", "idle-seconds", "settle-seconds",
       "timeout-seconds", "berth", "log-level"},
      {"skip-baseline"});
  if (!flags.ok()) {
    std::cerr << "pod_start_bench: " << flags.status().message() << "\n"
              << "usage: pod_start_bench [--pods 100] [--clients 10] "
                 "[--qps 0] [--runtime runc] [--idle-seconds 30] "
                 "[--settle-seconds 5] [--timeout-seconds 300] "
                 "[--skip-baseline] [--berth PATH] [--log-level warn]\n";
    return 2;
  }
  auto num = [&](const char* name, double def) {
    return flags->Has(name) ? std::atof(flags->Get(name).c_str()) : def;
  };
  berth::bench::Options o;
  o.server.berth = flags->Get("berth", BERTH_BINARY);
  o.server.runtime = flags->Get("runtime", o.server.runtime);
  o.server.log_level = flags->Get("log-level", o.server.log_level);
  o.pods = static_cast<int>(num("pods", o.pods));
  o.clients = std::max(1, static_cast<int>(num("clients", o.clients)));
  o.qps = num("qps", 0);
  o.idle = std::chrono::seconds(static_cast<int>(num("idle-seconds", 30)));
  o.settle = std::chrono::seconds(static_cast<int>(num("settle-seconds", 5)));
  o.timeout =
      std::chrono::seconds(static_cast<int>(num("timeout-seconds", 300)));
  o.baseline = !flags->Has("skip-baseline");
  return berth::bench::Run(o);
}
