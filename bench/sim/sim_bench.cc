// sim_bench [NODES] [PODS] [THREADS]: the sim plugin under load, against a
// real `berth server` with core and sim enabled. Reports:
//  - registration: the server's own start-to-ready time with NODES sim
//    nodes (default 5,000), which includes registering every Node, its
//    status and its Lease;
//  - pods: PODS pods (default 1,000) created unbound, then bound all at once
//    (a merge patch of spec.nodeName each, from THREADS clients, default 16,
//    spread over the first 10 nodes), and the time from the first bind to
//    every pod listed with status.phase=Running.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "berth/json.h"
#include "tests/support/api_client.h"
#include "tests/support/process.h"

namespace {

using Clock = std::chrono::steady_clock;
using berth::testing::ApiClient;

double Ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

// Items in a List response, -1 when it is not one.
int CountItems(const std::string& body) {
  auto doc = berth::ParseJson(body);
  if (!doc.ok()) return -1;
  const berth::Json* items = berth::Member(*doc, "items");
  return items && items->IsArray() ? static_cast<int>(items->Size()) : -1;
}

// Runs fn(i) for i in [0, n) on `threads` threads, each with its client.
template <typename Fn>
int Parallel(const std::string& url, const std::string& data_dir, int n,
             int threads, Fn fn) {
  std::atomic<int> next{0}, errors{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      ApiClient client(url, data_dir);
      for (int i = next++; i < n; i = next++) {
        if (!fn(client, i)) ++errors;
      }
    });
  }
  for (auto& t : pool) t.join();
  return errors;
}

}  // namespace

int main(int argc, char** argv) {
  const int nodes = argc > 1 ? std::atoi(argv[1]) : 5000;
  const int pods = argc > 2 ? std::atoi(argv[2]) : 1000;
  const int threads = argc > 3 ? std::atoi(argv[3]) : 16;
  berth::testing::TempDir dir;
  const std::string config = dir.path() + "/berth.yaml";
  std::ofstream(config) << "plugins:\n  - core\n  - name: sim\n"
                        << "    settings: {nodes: [{count: " << nodes
                        << "}]}\n";
  berth::testing::BerthServer server(dir.path() + "/data");
  const auto start = Clock::now();
  if (!server.Start({"--config", config})) {
    std::fprintf(stderr, "server did not start:\n%s\n", server.log().c_str());
    return 1;
  }
  const double start_ms = Ms(Clock::now() - start);
  std::string log = server.log();
  const size_t in = log.find(" in ");
  std::printf(
      "nodes: %d registered; fork to ready line %.0f ms; server's "
      "own count: %s\n",
      nodes, start_ms,
      in == std::string::npos
          ? "?"
          : log.substr(in + 4, log.find(" ms", in) - in - 1).c_str());
  ApiClient client(server.url(), server.data_dir());
  int listed = CountItems(client.Request("GET", "/api/v1/nodes").body);
  std::printf("nodes listed: %d\n", listed);

  const std::string base = "/api/v1/namespaces/default/pods";
  const auto create_start = Clock::now();
  int errors = Parallel(
      server.url(), server.data_dir(), pods, threads, [&](ApiClient& c, int i) {
        auto r = c.Request(
            "POST", base,
            R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p)" +
                std::to_string(i) +
                R"("},"spec":{"containers":[{"name":"c","image":"nginx"}]}})");
        return r.status == 201;
      });
  std::printf("pods: %d created unbound in %.0f ms (%d errors)\n", pods,
              Ms(Clock::now() - create_start), errors);

  const int spread = std::min(nodes, 10);
  const auto bind_start = Clock::now();
  errors = Parallel(
      server.url(), server.data_dir(), pods, threads, [&](ApiClient& c, int i) {
        auto r = c.Request("PATCH", base + "/p" + std::to_string(i),
                           R"({"spec":{"nodeName":"sim-)" +
                               std::to_string(i % spread) + R"("}})",
                           "application/merge-patch+json");
        return r.status == 200;
      });
  const auto bound = Clock::now();
  int running = 0;
  while (Ms(Clock::now() - bind_start) < 60000) {
    running = CountItems(
        client.Request("GET", base + "?fieldSelector=status.phase%3DRunning")
            .body);
    if (running == pods) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const auto all_running = Clock::now();
  std::printf(
      "pods: %d bound in %.0f ms (%d errors); %d Running %.0f ms "
      "after the first bind\n",
      pods, Ms(bound - bind_start), errors, running,
      Ms(all_running - bind_start));
  server.Stop();
  return running == pods ? 0 : 1;
}
