// berth_cluster_bench: issue #3's whole-cluster figures against a real
// `berth server` with the core, workloads, scheduler and sim plugins,
// everything through the HTTPS API as a client would see it.
//
//   --scale (default): a Deployment created with replicas 0 on --nodes sim
//     nodes (default 100), scaled to --replicas (default 1,000) through its
//     /scale subresource; times until a Deployment watch sees
//     status.availableReplicas reach it, and when a pod watch first saw all
//     pods created, bound and Running (the split into ReplicaSet creates,
//     scheduling, sim and the status roll-up).
//   --memory: --nodes sim nodes (default 5,000), then --pods pods (default
//     150,000) created directly with POST from --clients connections, bound
//     by the scheduler and Running via the sim; prints how long loading
//     took and the server's VmRSS/VmHWM once all are Running and
//     --settle-seconds (default 10) have passed.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "bench/api/berth_process.h"
#include "bench/api/https_connection.h"
#include "bench/api/watch_line_reader.h"
#include "berth/json.h"
#include "kernel/cli/flags.h"

namespace berth::bench {
namespace {

using Clock = std::chrono::steady_clock;

const char kJson[] = "Content-Type: application/json\r\n";
const char kMergePatch[] = "Content-Type: application/merge-patch+json\r\n";

double Seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

bool Ok(const StatusOr<HttpResponse>& r, const char* what) {
  if (r.ok() && r->status >= 200 && r->status < 300) return true;
  std::cerr << what << " failed: "
            << (r.ok()
                    ? std::to_string(r->status) + " " + r->body.substr(0, 300)
                    : r.status().message())
            << "\n";
  return false;
}

// The server configuration: the shipped plugins that matter here plus sim.
std::string WriteConfig(const std::string& dir, int nodes) {
  const std::string path = dir + "/berth.yaml";
  std::ofstream(path)
      << "plugins:\n"
         "  - core\n"
         "  - workloads\n"
         "  - name: scheduler\n"
         "    settings: {percentageOfNodesToScore: 0}\n"
         "  - name: sim\n"
         "    settings:\n"
         "      nodes:\n"
         "        - {count: "
      << nodes
      << ", namePrefix: sim-, capacity: {cpu: 32, memory: 128Gi, pods: "
         "110}}\n";
  return path;
}

// The value of the number after `"key":` in `line`, -1 when absent.
long NumberAfter(const std::string& line, const std::string& key) {
  size_t at = line.find("\"" + key + "\":");
  if (at == std::string::npos) return -1;
  return std::strtol(line.c_str() + at + key.size() + 3, nullptr, 10);
}

// "namespace/name" of the object in a watch event line ("" when it does not
// parse). A full parse: ownerReferences also carry names, and the scale-up
// sees only a few thousand events.
std::string KeyOf(const std::string& line) {
  auto doc = ParseJson(line);
  if (!doc.ok()) return "";
  return GetString(*doc, {"object", "metadata", "namespace"}) + "/" +
         GetString(*doc, {"object", "metadata", "name"});
}

// Pods seen by a watch: created, bound (spec.nodeName), Running; the time
// each count first reached `target`.
class PodProgress {
 public:
  explicit PodProgress(size_t target) : target_(target) {}

  void OnLine(const std::string& line) {
    if (line.find("\"type\":\"ADDED\"") == std::string::npos &&
        line.find("\"type\":\"MODIFIED\"") == std::string::npos) {
      return;
    }
    const std::string key = KeyOf(line);
    if (key.empty()) return;
    const Clock::time_point now = Clock::now();
    std::lock_guard<std::mutex> lock(mu_);
    Note(created_, key, now, &created_at_);
    if (line.find("\"nodeName\":\"") != std::string::npos) {
      Note(bound_, key, now, &bound_at_);
    }
    if (line.find("\"phase\":\"Running\"") != std::string::npos) {
      Note(running_, key, now, &running_at_);
    }
  }

  // Times the counts reached the target (time_point{} when not yet).
  Clock::time_point created_at() const { return Get(created_at_); }
  Clock::time_point bound_at() const { return Get(bound_at_); }
  Clock::time_point running_at() const { return Get(running_at_); }
  std::string Counts() const {
    std::lock_guard<std::mutex> lock(mu_);
    return std::to_string(created_.size()) + " created, " +
           std::to_string(bound_.size()) + " bound, " +
           std::to_string(running_.size()) + " Running";
  }

 private:
  void Note(std::unordered_set<std::string>& set, const std::string& key,
            Clock::time_point now, Clock::time_point* at) {
    if (set.insert(key).second && set.size() == target_) *at = now;
  }
  Clock::time_point Get(const Clock::time_point& t) const {
    std::lock_guard<std::mutex> lock(mu_);
    return t;
  }

  const size_t target_;
  mutable std::mutex mu_;
  std::unordered_set<std::string> created_, bound_, running_;
  Clock::time_point created_at_{}, bound_at_{}, running_at_{};
};

StatusOr<std::string> ResourceVersionOf(HttpsConnection& c,
                                        const std::string& path) {
  auto r = c.Request("GET", path);
  if (!Ok(r, "GET")) return Status::Unavailable("GET " + path);
  auto doc = ParseJson(r->body);
  if (!doc.ok()) return doc.status();
  return GetString(*doc, {"metadata", "resourceVersion"});
}

int RunScale(const Endpoint& ep, int nodes, int replicas) {
  auto admin = ep.NewConnection();
  const std::string deployments =
      "/apis/apps/v1/namespaces/default/deployments";
  auto created = admin->Request(
      "POST", deployments, kJson,
      R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},)"
      R"("spec":{"replicas":0,"selector":{"matchLabels":{"app":"web"}},)"
      R"("template":{"metadata":{"labels":{"app":"web"}},"spec":{)"
      R"("containers":[{"name":"web","image":"nginx:1.27",)"
      R"("resources":{"requests":{"cpu":"10m","memory":"16Mi"}}}]}}}})");
  if (!Ok(created, "create Deployment")) return 1;
  // Observed: the controller has written status for generation 1 (and made
  // its empty ReplicaSet), so the scale-up below is all that is timed.
  std::string rv;
  for (int i = 0;; ++i) {
    auto r = admin->Request("GET", deployments + "/web");
    if (!Ok(r, "GET Deployment")) return 1;
    if (NumberAfter(r->body, "observedGeneration") >= 1) {
      auto doc = ParseJson(r->body);
      if (!doc.ok()) return 1;
      rv = GetString(*doc, {"metadata", "resourceVersion"});
      break;
    }
    if (i > 1000) {
      std::cerr << "the Deployment was never observed\n";
      return 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto pods_rv = ResourceVersionOf(*admin, "/api/v1/pods?limit=1");
  if (!pods_rv.ok()) return 1;

  PodProgress pods(replicas);
  WatchLineReader pod_watch(
      ep.NewConnection(),
      "/api/v1/namespaces/default/pods?watch=1&resourceVersion=" + *pods_rv,
      [&](const std::string& line) { pods.OnLine(line); });
  std::atomic<long> available{-1};
  std::atomic<int64_t> available_ns{0};
  WatchLineReader deployment_watch(
      ep.NewConnection(),
      deployments + "?watch=1&fieldSelector=metadata.name%3Dweb&" +
          "resourceVersion=" + rv,
      [&](const std::string& line) {
        long n = NumberAfter(line, "availableReplicas");
        if (n < 0) return;
        available = n;
        if (n == replicas && available_ns == 0) {
          available_ns = Clock::now().time_since_epoch().count();
        }
      });
  if (!pod_watch.Start().ok() || !deployment_watch.Start().ok()) return 1;

  const Clock::time_point start = Clock::now();
  auto scaled = admin->Request(
      "PATCH", deployments + "/web/scale", kMergePatch,
      R"({"spec":{"replicas":)" + std::to_string(replicas) + "}}");
  if (!Ok(scaled, "PATCH scale")) return 1;
  const double patch_s = Seconds(Clock::now() - start);
  while (available_ns == 0 && Clock::now() - start < std::chrono::seconds(60) &&
         !deployment_watch.failed()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  pod_watch.Stop();
  deployment_watch.Stop();
  if (available_ns == 0) {
    std::cerr << "availableReplicas " << available.load() << "/" << replicas
              << " after 60 s; pods: " << pods.Counts() << "\n";
    auto r = admin->Request("GET", deployments + "/web");
    if (r.ok()) std::cerr << "the Deployment now: " << r->body << "\n";
    auto rs =
        admin->Request("GET", "/apis/apps/v1/namespaces/default/replicasets");
    if (rs.ok()) std::cerr << "its ReplicaSets: " << rs->body << "\n";
    return 1;
  }
  const Clock::time_point done{Clock::duration(available_ns.load())};
  auto at = [&](Clock::time_point t) {
    return t == Clock::time_point{} ? -1.0 : Seconds(t - start);
  };
  std::printf(
      "workload:            Deployment scaled 0 -> %d on %d sim nodes\n",
      replicas, nodes);
  std::printf("scale PATCH answered: %.3f s\n", patch_s);
  std::printf("all pods created:    %.3f s\n", at(pods.created_at()));
  std::printf("all pods bound:      %.3f s\n", at(pods.bound_at()));
  std::printf("all pods Running:    %.3f s\n", at(pods.running_at()));
  std::printf("availableReplicas:   %.3f s (target <= 5 s)\n", at(done));
  return 0;
}

// VmRSS and VmHWM lines of /proc/PID/status.
std::string MemoryOf(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line, out;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS", 0) == 0 || line.rfind("VmHWM", 0) == 0) {
      out += "  " + line + "\n";
    }
  }
  return out;
}

// Whether a list of pods in `ns` matching `field_selector` is empty.
bool NoneLeft(HttpsConnection& c, const std::string& ns,
              const std::string& field_selector) {
  auto r =
      c.Request("GET", "/api/v1/namespaces/" + ns +
                           "/pods?limit=1&fieldSelector=" + field_selector);
  return r.ok() && r->status == 200 &&
         r->body.find("\"items\":[]") != std::string::npos;
}

int RunMemory(const Endpoint& ep, pid_t pid, int nodes, int pods, int clients,
              int settle_seconds, double ready_s) {
  auto admin = ep.NewConnection();
  std::printf("workload:            %d sim nodes, %d pods (direct POSTs)\n",
              nodes, pods);
  std::printf("nodes registered:    %.1f s (server start to ready)\n", ready_s);
  std::printf("memory, nodes only:\n%s", MemoryOf(pid).c_str());
  std::fflush(stdout);
  if (!Ok(admin->Request(
              "POST", "/api/v1/namespaces", kJson,
              R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"load"}})"),
          "create Namespace")) {
    return 1;
  }
  const Clock::time_point start = Clock::now();
  std::atomic<int> next{0}, failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < clients; ++t) {
    threads.emplace_back([&] {
      auto c = ep.NewConnection();
      for (int i; (i = next++) < pods;) {
        const std::string body =
            R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"pod-)" +
            std::to_string(i) +
            R"(","labels":{"app":"load"}},"spec":{"containers":[{"name":"c",)"
            R"("image":"registry.k8s.io/pause:3.10","resources":{"requests":)"
            R"({"cpu":"10m","memory":"16Mi"}}}]}})";
        if (!Ok(c->Request("POST", "/api/v1/namespaces/load/pods", kJson, body),
                "create Pod")) {
          failures++;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  if (failures) return 1;
  const double created_s = Seconds(Clock::now() - start);
  std::printf("pods created:        %.1f s (%d clients, %.0f pods/s)\n",
              created_s, clients, pods / created_s);
  std::fflush(stdout);
  double bound_s = -1, running_s = -1;
  while (Clock::now() - start < std::chrono::minutes(30)) {
    if (bound_s < 0 && NoneLeft(*admin, "load", "spec.nodeName%3D")) {
      bound_s = Seconds(Clock::now() - start);
    }
    if (bound_s >= 0 && NoneLeft(*admin, "load", "status.phase%21%3DRunning")) {
      running_s = Seconds(Clock::now() - start);
      break;
    }
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  if (running_s < 0) {
    std::cerr << "not all pods Running after 30 min\n" << MemoryOf(pid);
    return 1;
  }
  std::printf("all bound by:        %.1f s (polled each second)\n", bound_s);
  std::printf("all Running by:      %.1f s (polled each second)\n", running_s);
  std::printf("memory, all Running:\n%s", MemoryOf(pid).c_str());
  std::this_thread::sleep_for(std::chrono::seconds(settle_seconds));
  std::printf("memory, %d s later (target VmRSS <= 1.5 GiB):\n%s",
              settle_seconds, MemoryOf(pid).c_str());
  return 0;
}

int Run(const cli::Flags& flags) {
  auto num = [&](const std::string& name, int def) {
    return flags.Has(name) ? std::atoi(flags.Get(name).c_str()) : def;
  };
  const bool memory = flags.Has("memory");
  const int nodes = num("nodes", memory ? 5000 : 100);
  char dir_template[] = "/tmp/berth-cluster-bench-XXXXXX";
  if (!mkdtemp(dir_template)) {
    std::cerr << "cannot create a temp dir\n";
    return 1;
  }
  const std::string dir = dir_template;
  std::vector<std::string> server_args = {"--config", WriteConfig(dir, nodes)};
  if (flags.Has("watch-window-events")) {
    server_args.push_back("--watch-window-events");
    server_args.push_back(flags.Get("watch-window-events"));
  }
  const Clock::time_point start = Clock::now();
  auto server =
      BerthProcess::Start(flags.Get("berth", BERTH_BINARY), dir + "/data",
                          server_args, std::chrono::seconds(600));
  if (!server.ok()) {
    std::cerr << server.status().message() << "\n";
    return 1;
  }
  const double ready_s = Seconds(Clock::now() - start);
  int rc = memory
               ? RunMemory((*server)->endpoint(), (*server)->pid(), nodes,
                           num("pods", 150000), num("clients", 16),
                           num("settle-seconds", 10), ready_s)
               : RunScale((*server)->endpoint(), nodes, num("replicas", 1000));
  (*server)->Stop();
  const std::string cmd = "rm -rf '" + dir + "'";
  if (std::system(cmd.c_str()) != 0) {
    std::cerr << "could not remove " << dir << "\n";
  }
  return rc;
}

}  // namespace
}  // namespace berth::bench

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto flags =
      berth::cli::ParseFlags(args,
                             {"berth", "nodes", "replicas", "pods", "clients",
                              "settle-seconds", "watch-window-events"},
                             {"scale", "memory"});
  if (!flags.ok()) {
    std::cerr << "berth_cluster_bench: " << flags.status().message() << "\n";
    return 2;
  }
  return berth::bench::Run(*flags);
}
