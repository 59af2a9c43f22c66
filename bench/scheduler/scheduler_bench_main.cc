// berth_scheduler_bench: kube-scheduler's scheduler_perf workloads against a
// real `berth server`, everything through the HTTPS API: create the nodes
// (node-default.yaml: 4 cpu, 32Gi, 110 pods), create the initial pods and
// wait until they are bound, then create the measured pods and time from the
// first create until the last is seen bound on a pod watch.
//
//   SchedulingBasic:        --nodes 5000 --init-pods 1000 --measure-pods 10000
//   SchedulingPodAntiAffinity (required, hostname):
//                           --anti-affinity --nodes 5000 --init-pods 1000
//                           --measure-pods 1000
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "bench/api/berth_process.h"
#include "bench/api/https_connection.h"
#include "bench/scheduler/bound_pod_counter.h"
#include "berth/json.h"
#include "kernel/cli/flags.h"

namespace berth::bench {
namespace {

using Clock = std::chrono::steady_clock;

const char kJson[] = "Content-Type: application/json\r\n";
const char kMergePatch[] = "Content-Type: application/merge-patch+json\r\n";

std::string NodeJson(int i) {
  return R"({"apiVersion":"v1","kind":"Node","metadata":{"name":"node-)" +
         std::to_string(i) + R"(","labels":{"kubernetes.io/hostname":"node-)" +
         std::to_string(i) + R"("}}})";
}

const char kNodeStatus[] =
    R"({"status":{"capacity":{"cpu":"4","memory":"32Gi","pods":"110"},)"
    R"("allocatable":{"cpu":"4","memory":"32Gi","pods":"110"},)"
    R"("conditions":[{"type":"Ready","status":"True"}]}})";

// scheduler_perf's pod-default.yaml, or pod-with-pod-anti-affinity.yaml.
std::string PodJson(const std::string& ns, const std::string& name,
                    bool anti_affinity) {
  std::string affinity;
  if (anti_affinity) {
    affinity =
        R"("affinity":{"podAntiAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[)"
        R"({"labelSelector":{"matchLabels":{"color":"green"}},)"
        R"("topologyKey":"kubernetes.io/hostname","namespaces":["sched-0","sched-1"]}]}},)";
  }
  return R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":")" + name +
         R"(","namespace":")" + ns + R"(")" +
         (anti_affinity ? R"(,"labels":{"color":"green","name":"test"})" : "") +
         R"(},"spec":{)" + affinity +
         R"("containers":[{"name":"pause","image":"registry.k8s.io/pause:3.10",)"
         R"("ports":[{"containerPort":80}],"resources":{)"
         R"("limits":{"cpu":"100m","memory":"500Mi"},)"
         R"("requests":{"cpu":"100m","memory":"500Mi"}}}]}})";
}

// Runs `count` requests made by `make(i)` over `clients` connections; returns
// the number of failures.
template <typename F>
int Parallel(const Endpoint& ep, int clients, int count, F make) {
  std::atomic<int> next{0}, failures{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&] {
      auto conn = ep.NewConnection();
      for (int i; (i = next++) < count;) {
        if (!make(*conn, i)) failures++;
      }
    });
  }
  for (auto& t : threads) t.join();
  return failures;
}

bool Created(const StatusOr<HttpResponse>& r) {
  if (r.ok() && (r->status == 201 || r->status == 200)) return true;
  std::cerr << "request failed: "
            << (r.ok()
                    ? std::to_string(r->status) + " " + r->body.substr(0, 200)
                    : r.status().message())
            << "\n";
  return false;
}

// Waits until `counter` has seen `target` bound pods or nothing moved for
// `stall`. Returns whether the target was reached.
bool WaitBound(const BoundPodCounter& counter, size_t target,
               std::chrono::seconds stall) {
  size_t last = counter.bound();
  Clock::time_point moved = Clock::now();
  while (counter.bound() < target && !counter.failed()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    size_t now = counter.bound();
    if (now != last) {
      last = now;
      moved = Clock::now();
    } else if (Clock::now() - moved > stall) {
      return false;
    }
  }
  return counter.bound() >= target;
}

int Run(const cli::Flags& flags) {
  auto num = [&](const std::string& name, int def) {
    return flags.Has(name) ? std::atoi(flags.Get(name).c_str()) : def;
  };
  const int nodes = num("nodes", 5000);
  const int init_pods = num("init-pods", 1000);
  const int measure_pods = num("measure-pods", 10000);
  const int clients = num("clients", 16);
  const bool anti = flags.Has("anti-affinity");
  const std::string workload =
      anti ? "SchedulingPodAntiAffinity" : "SchedulingBasic";

  char dir_template[] = "/tmp/berth-sched-bench-XXXXXX";
  if (!mkdtemp(dir_template)) {
    std::cerr << "cannot create a temp dir\n";
    return 1;
  }
  const std::string dir = dir_template;
  auto server =
      BerthProcess::Start(flags.Get("berth", BERTH_BINARY), dir + "/data");
  if (!server.ok()) {
    std::cerr << server.status().message() << "\n";
    return 1;
  }
  const Endpoint& ep = (*server)->endpoint();
  auto admin = ep.NewConnection();
  for (const char* ns : {"sched-0", "sched-1"}) {
    auto r = admin->Request(
        "POST", "/api/v1/namespaces", kJson,
        std::string(
            R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":")") +
            ns + R"("}})");
    if (!Created(r)) return 1;
  }

  Clock::time_point t = Clock::now();
  int failed = Parallel(ep, clients, nodes, [&](HttpsConnection& c, int i) {
    if (!Created(c.Request("POST", "/api/v1/nodes", kJson, NodeJson(i)))) {
      return false;
    }
    return Created(c.Request(
        "PATCH", "/api/v1/nodes/node-" + std::to_string(i) + "/status",
        kMergePatch, kNodeStatus));
  });
  double node_s = std::chrono::duration<double>(Clock::now() - t).count();
  if (failed) return 1;

  auto rv = admin->Request("GET", "/api/v1/pods?limit=1");
  if (!rv.ok()) return 1;
  auto doc = ParseJson(rv->body);
  if (!doc.ok()) return 1;
  BoundPodCounter counter(ep.NewConnection(),
                          GetString(*doc, {"metadata", "resourceVersion"}));
  if (!counter.Start().ok()) return 1;

  // Initial pods (namespace sched-0), then the measured ones (sched-1).
  t = Clock::now();
  failed = Parallel(ep, clients, init_pods, [&](HttpsConnection& c, int i) {
    return Created(
        c.Request("POST", "/api/v1/namespaces/sched-0/pods", kJson,
                  PodJson("sched-0", "init-" + std::to_string(i), anti)));
  });
  if (failed || !WaitBound(counter, init_pods, std::chrono::seconds(30))) {
    std::cerr << "initial pods: " << counter.bound() << "/" << init_pods
              << " bound; " << counter.lines()
              << " watch lines read; not seen bound:";
    for (int i = 0; i < init_pods; ++i) {
      const std::string name = "init-" + std::to_string(i);
      if (!counter.Seen("sched-0/" + name)) std::cerr << " " << name;
    }
    std::cerr << "\n";
    return 1;
  }
  double init_s = std::chrono::duration<double>(Clock::now() - t).count();

  const Clock::time_point start = Clock::now();
  failed = Parallel(ep, clients, measure_pods, [&](HttpsConnection& c, int i) {
    return Created(
        c.Request("POST", "/api/v1/namespaces/sched-1/pods", kJson,
                  PodJson("sched-1", "pod-" + std::to_string(i), anti)));
  });
  const double create_s =
      std::chrono::duration<double>(Clock::now() - start).count();
  bool all = !failed &&
             WaitBound(counter, static_cast<size_t>(init_pods) + measure_pods,
                       std::chrono::seconds(30));
  Clock::time_point end_time;
  bool polled = false;
  if (!failed && !all && counter.failed()) {
    // The watch stream ended (the server drops a watcher that falls too far
    // behind): count the still unbound pods by listing until none is left.
    // The end time is then when a list first came back empty, a little
    // later than the last bind.
    std::cerr << "pod watch ended after " << counter.bound()
              << " bound pods; polling\n";
    for (int i = 0; i < 600 && !all; ++i) {
      auto r = admin->Request(
          "GET",
          "/api/v1/namespaces/sched-1/pods?fieldSelector=spec.nodeName%3D");
      if (r.ok() && r->status == 200 &&
          r->body.find("\"items\":[]") != std::string::npos) {
        all = true;
        polled = true;
        end_time = Clock::now();
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
  }
  std::vector<Clock::time_point> times = counter.BindTimes();
  counter.Stop();
  if (!all) {
    std::cerr << "measured pods: " << counter.bound() - init_pods << "/"
              << measure_pods << " seen bound; the unbound ones:\n";
    auto unbound = admin->Request(
        "GET",
        "/api/v1/namespaces/sched-1/pods?fieldSelector=spec.nodeName%3D");
    if (unbound.ok()) std::cerr << unbound->body.substr(0, 4000) << "\n";
    // Which bound pods the watch never showed bound, to tell a lost event
    // from a slow scheduler.
    std::cerr << counter.lines() << " watch lines read; bound but not seen:";
    for (int i = 0; i < measure_pods; ++i) {
      const std::string name = "pod-" + std::to_string(i);
      if (!counter.Seen("sched-1/" + name)) std::cerr << " " << name;
    }
    std::cerr << "\n";
    (*server)->Stop();
    return 1;
  }
  (*server)->Stop();
  if (!polled) end_time = times.back();
  const double total_s =
      std::chrono::duration<double>(end_time - start).count();
  // kube-scheduler's SchedulingThroughput samples pods bound per second.
  std::vector<double> per_second;
  size_t i = init_pods;
  for (double edge = 1.0; i < times.size(); edge += 1.0) {
    size_t n = 0;
    while (i < times.size() &&
           std::chrono::duration<double>(times[i] - start).count() < edge) {
      ++i;
      ++n;
    }
    per_second.push_back(static_cast<double>(n));
  }
  double sum = 0;
  for (double v : per_second) sum += v;

  std::printf("workload:            %s\n", workload.c_str());
  std::printf("nodes:               %d (created in %.1f s)\n", nodes, node_s);
  std::printf("initial pods:        %d (bound in %.1f s)\n", init_pods, init_s);
  std::printf("measured pods:       %d (created in %.2f s, %d clients)\n",
              measure_pods, create_s, clients);
  std::printf("last bound after:    %.2f s%s\n", total_s,
              polled ? " (by polling: the watch ended)" : "");
  std::printf(
      "throughput:          %.0f pods/s (measured pods / time to last bind)\n",
      measure_pods / total_s);
  std::printf("per-second average:  %.0f pods/s over %zu samples\n",
              per_second.empty() ? 0.0 : sum / per_second.size(),
              per_second.size());
  std::error_code ec;
  std::string cmd = "rm -rf '" + dir + "'";
  if (std::system(cmd.c_str()) != 0)
    std::cerr << "could not remove " << dir << "\n";
  return 0;
}

}  // namespace
}  // namespace berth::bench

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto flags = berth::cli::ParseFlags(
      args, {"berth", "nodes", "init-pods", "measure-pods", "clients"},
      {"anti-affinity"});
  if (!flags.ok()) {
    std::cerr << "berth_scheduler_bench: " << flags.status().message() << "\n";
    return 2;
  }
  return berth::bench::Run(*flags);
}
