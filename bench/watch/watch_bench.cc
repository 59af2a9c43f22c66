// Watch fan-out benchmark: starts a `berth server`, opens N HTTPS watches on
// configmaps (default 10,000), creates one configmap per round and measures
// how long each watcher takes to receive it. Prints the watches open, the
// server's threads and RSS with them open, and the delivery latency p50 /
// p99 / max (from the moment the create request is sent to the moment the
// client has read the event; it includes the durable commit and this
// client's own TLS decryption on the same machine).
//
// Usage: watch_bench [watches] [rounds]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "tests/support/https_stream.h"
#include "tests/support/process.h"

namespace {

using berth::testing::HttpsStream;
using berth::testing::StreamPoller;
using Clock = std::chrono::steady_clock;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

long StatusField(pid_t pid, const std::string& label) {
  std::istringstream in(ReadFile("/proc/" + std::to_string(pid) + "/status"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(label, 0) == 0)
      return std::atol(line.c_str() + label.size());
  }
  return -1;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1));
  return v[i];
}

double Ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

}  // namespace

int main(int argc, char** argv) {
  const int watches = argc > 1 ? std::atoi(argv[1]) : 10000;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 20;
  rlimit lim{};
  getrlimit(RLIMIT_NOFILE, &lim);
  lim.rlim_cur = lim.rlim_max;
  setrlimit(RLIMIT_NOFILE, &lim);
  if (lim.rlim_max < static_cast<rlim_t>(watches) + 256) {
    std::cerr << "the hard open file limit " << lim.rlim_max
              << " is too low for " << watches << " watches\n";
    return 1;
  }

  berth::testing::TempDir dir;
  berth::testing::BerthServer server(dir.path() + "/data");
  if (!server.Start()) {
    std::cerr << "server did not start:\n" << server.log();
    return 1;
  }
  const int port = berth::testing::PortOf(server.url());
  std::string tokens = ReadFile(server.data_dir() + "/tokens.csv");
  const std::string token = tokens.substr(0, tokens.find(','));
  const pid_t pid = server.pid();
  const long idle_rss = StatusField(pid, "VmRSS:");
  const long idle_threads = StatusField(pid, "Threads:");

  StreamPoller poller;
  std::vector<std::unique_ptr<HttpsStream>> streams;
  const auto open_start = Clock::now();
  for (int i = 0; i < watches; ++i) {
    std::string error;
    auto s = HttpsStream::Open(port, "GET",
                               "/api/v1/namespaces/default/configmaps?watch=1",
                               token, "", &error);
    if (!s) {
      std::cerr << "watch " << i << ": " << error << "\n";
      return 1;
    }
    poller.Add(s.get());
    streams.push_back(std::move(s));
    if (i % 512 == 0) poller.Poll(0, [](HttpsStream*) {});
  }
  // Every response head received.
  for (auto until = Clock::now() + std::chrono::seconds(120);
       Clock::now() < until;) {
    bool all = true;
    for (auto& s : streams) {
      if (s->received().find("200 OK") == std::string::npos) {
        all = false;
        break;
      }
    }
    if (all) break;
    poller.Poll(100, [](HttpsStream*) {});
  }
  const double open_ms = Ms(Clock::now() - open_start);
  int open = 0;
  for (auto& s : streams) {
    if (!s->closed() && s->received().find("200 OK") != std::string::npos) {
      ++open;
    }
    s->received().clear();
  }
  const long threads = StatusField(pid, "Threads:");
  const long rss = StatusField(pid, "VmRSS:");

  std::vector<double> latencies;
  std::vector<double> round_max;
  int missed = 0;
  for (int r = 0; r < rounds; ++r) {
    const std::string name = "bench-" + std::to_string(r);
    const std::string marker = "\"name\":\"" + name + "\"";
    std::vector<char> got(streams.size(), 0);
    size_t done = 0;
    std::string error;
    auto create = HttpsStream::Open(
        port, "POST", "/api/v1/namespaces/default/configmaps", token,
        R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":")" + name +
            R"("}})",
        &error);
    const auto t0 = Clock::now();
    if (!create) {
      std::cerr << "create: " << error << "\n";
      return 1;
    }
    std::unordered_map<HttpsStream*, size_t> where;
    where.reserve(streams.size());
    for (size_t i = 0; i < streams.size(); ++i) where[streams[i].get()] = i;
    double slowest = 0;
    for (auto until = t0 + std::chrono::seconds(60);
         done < streams.size() && Clock::now() < until;) {
      poller.Poll(100, [&](HttpsStream* s) {
        auto it = where.find(s);
        if (it == where.end() || got[it->second]) return;
        if (s->received().find(marker) == std::string::npos) return;
        got[it->second] = 1;
        ++done;
        const double ms = Ms(Clock::now() - t0);
        latencies.push_back(ms);
        slowest = std::max(slowest, ms);
        s->received().clear();
      });
    }
    missed += static_cast<int>(streams.size() - done);
    round_max.push_back(slowest);
  }

  std::printf("watches requested:            %d\n", watches);
  std::printf("watches open:                 %d (opened in %.0f ms)\n", open,
              open_ms);
  std::printf("server threads idle / open:   %ld / %ld\n", idle_threads,
              threads);
  std::printf("server RSS idle / open:       %.1f MiB / %.1f MiB\n",
              static_cast<double>(idle_rss) / 1024,
              static_cast<double>(rss) / 1024);
  std::printf("rounds:                       %d (one create each)\n", rounds);
  std::printf("deliveries:                   %zu (missed %d)\n",
              latencies.size(), missed);
  std::printf("delivery latency p50:         %.1f ms\n",
              Percentile(latencies, 0.50));
  std::printf("delivery latency p99:         %.1f ms\n",
              Percentile(latencies, 0.99));
  std::printf("time to reach all, median:    %.1f ms\n",
              Percentile(round_max, 0.50));
  std::printf("time to reach all, max:       %.1f ms\n",
              Percentile(round_max, 1.0));
  streams.clear();
  int code = server.Stop();
  if (code != 0) {
    std::cerr << "server exit code " << code << "\n" << server.log();
    return 1;
  }
  return missed == 0 ? 0 : 1;
}
