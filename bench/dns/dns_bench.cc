// dns_bench: how fast the dns plugin's listeners answer a cluster name.
// Builds the zone of N Services (ClusterIP, one named port each; default
// 1,000), serves it with the plugin's DnsServer and DnsResponder on
// 127.0.0.1, and runs C closed-loop UDP clients (default 1 and 4) that
// each send a query for one Service's A record, wait for the reply and
// send the next, for S seconds (default 5). Prints queries per second and
// the p50/p99/max latency of each run. Then a name outside the zone,
// forwarded to an upstream DnsServer on 127.0.0.1 (the best case for a
// forward: no network), with the forward cache off and on (cacheSeconds 0
// and 30), one client each.
//
// Usage: dns_bench [services] [seconds] [clients...]
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cluster_zone.h"
#include "dns_responder.h"
#include "dns_server.h"
#include "forward_cache.h"
#include "socket_address.h"
#include "upstream_forwarder.h"

namespace {

using berth::JsonDoc;
using Clock = std::chrono::steady_clock;

std::shared_ptr<const berth::dns::ClusterZone> Zone(
    int services, const std::string& domain = "cluster.local") {
  std::vector<JsonDoc> docs;
  for (int i = 0; i < services; ++i) {
    auto d = berth::ParseJson(
        R"({"metadata":{"name":"svc-)" + std::to_string(i) +
        R"(","namespace":"bench"},"spec":{"clusterIP":"10.96.)" +
        std::to_string(1 + i / 250) + "." + std::to_string(i % 250 + 1) +
        R"(","ports":[{"name":"http","port":80,"protocol":"TCP"}]}})");
    docs.push_back(std::move(*d));
  }
  std::vector<const berth::Json*> ptrs;
  for (const auto& d : docs) ptrs.push_back(&d);
  berth::dns::ZoneConfig config;
  config.zone = domain;
  return std::make_shared<const berth::dns::ClusterZone>(
      config, ptrs, std::vector<const berth::Json*>{});
}

// One client: queries until `stop`, recording each latency in ns.
void Client(int port, const std::string& name, const std::atomic<bool>& stop,
            std::vector<int64_t>* latencies) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(port));
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof(to));
  berth::dns::DnsMessage q;
  q.recursion_desired = true;
  q.questions.push_back({name, berth::dns::kTypeA, berth::dns::kClassIn});
  char buf[1500];
  uint16_t id = 0;
  while (!stop.load(std::memory_order_relaxed)) {
    q.id = ++id;
    const std::string wire = berth::dns::SerializeDnsMessage(q);
    const auto start = Clock::now();
    send(fd, wire.data(), wire.size(), 0);
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 1000) <= 0) continue;  // lost: not counted
    if (recv(fd, buf, sizeof(buf), 0) < 4) continue;
    latencies->push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(
                             Clock::now() - start)
                             .count());
  }
  close(fd);
}

// Runs `clients` closed-loop clients asking `name` of the server on
// `port` for `seconds`, and prints the figures labelled `label`.
void Run(int port, const std::string& name, int clients, int seconds,
         const std::string& label) {
  std::atomic<bool> stop{false};
  std::vector<std::vector<int64_t>> per(static_cast<size_t>(clients));
  std::vector<std::thread> threads;
  for (auto& l : per) {
    l.reserve(1 << 20);
    threads.emplace_back(Client, port, name, std::cref(stop), &l);
  }
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  stop = true;
  for (auto& t : threads) t.join();
  std::vector<int64_t> all;
  for (const auto& l : per) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  if (all.empty()) {
    std::printf("%d clients: no replies\n", clients);
    return;
  }
  auto pct = [&](double p) {
    return all[std::min(all.size() - 1, size_t(p * all.size()))] / 1000.0;
  };
  std::printf(
      "%s%s%d client(s), %s: %.0f queries/s, latency p50 %.0f us, p99 %.0f us, "
      "max %.0f us (%zu replies in %d s)\n",
      label.c_str(), label.empty() ? "" : ", ", clients, name.c_str(),
      double(all.size()) / seconds, pct(0.50), pct(0.99), all.back() / 1000.0,
      all.size(), seconds);
}

}  // namespace

int main(int argc, char** argv) {
  const int services = argc > 1 ? std::atoi(argv[1]) : 1000;
  const int seconds = argc > 2 ? std::atoi(argv[2]) : 5;
  std::vector<int> client_counts;
  for (int i = 3; i < argc; ++i) client_counts.push_back(std::atoi(argv[i]));
  if (client_counts.empty()) client_counts = {1, 4};

  const auto built_at = Clock::now();
  auto zone = Zone(services);
  const double build_ms =
      std::chrono::duration<double, std::milli>(Clock::now() - built_at)
          .count();
  berth::dns::DnsResponder responder([zone] { return zone; }, nullptr);
  berth::dns::DnsServer server(responder);
  if (auto s = server.Start("127.0.0.1", 0); !s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  std::printf("zone: %d Services, %zu names, built in %.1f ms\n", services,
              zone->names(), build_ms);
  const std::string name =
      "svc-" + std::to_string(services - 1) + ".bench.svc.cluster.local";
  for (int clients : client_counts)
    Run(server.port(), name, clients, seconds, "");

  // A forwarded name, without and with the forward cache.
  auto upstream_zone = Zone(services, "upstream.test");
  berth::dns::DnsResponder upstream_responder(
      [upstream_zone] { return upstream_zone; }, nullptr);
  berth::dns::DnsServer upstream(upstream_responder);
  if (auto s = upstream.Start("127.0.0.1", 0); !s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  auto addr = berth::dns::ParseSocketAddress("127.0.0.1", upstream.port());
  berth::dns::UpstreamForwarder forwarder({*addr},
                                          std::chrono::milliseconds(2000));
  const std::string outside =
      "svc-" + std::to_string(services - 1) + ".bench.svc.upstream.test";
  for (uint32_t cache_seconds : {0u, 30u}) {
    berth::dns::ForwardCache cache(cache_seconds);
    berth::dns::DnsResponder forwarding([zone] { return zone; }, &forwarder,
                                        &cache);
    berth::dns::DnsServer front(forwarding);
    if (auto s = front.Start("127.0.0.1", 0); !s.ok()) {
      std::fprintf(stderr, "%s\n", s.ToString().c_str());
      return 1;
    }
    Run(front.port(), outside, 1, seconds,
        cache_seconds ? "forwarded, cache on" : "forwarded, cache off");
    front.Stop();
  }
  upstream.Stop();
  server.Stop();
  return 0;
}
