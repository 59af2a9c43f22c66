#include "bench/api/closed_loop.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

namespace berth::bench {

LoadResult RunClosedLoop(const LoadOptions& options,
                         const ConnectionFactory& connect,
                         const Operation& op) {
  using Clock = std::chrono::steady_clock;
  std::atomic<uint64_t> next{0};
  std::atomic<int> connected{0};
  std::atomic<bool> go{false};
  std::atomic<bool> stop{false};
  std::mutex mu;
  LoadResult result;
  std::vector<uint32_t> latencies;

  auto client = [&](int c) {
    std::unique_ptr<HttpsConnection> conn = connect();
    std::map<std::string, uint64_t> causes;
    if (Status s = conn->Connect(); !s.ok()) ++causes[s.ToString()];
    ++connected;
    while (!go) std::this_thread::yield();
    std::vector<uint32_t> mine;
    uint64_t ok = 0, errors = causes.empty() ? 0 : 1;
    while (!stop) {
      uint64_t i = next.fetch_add(1);
      if (options.count > 0 && i >= options.count) break;
      auto start = Clock::now();
      Status s = op(*conn, c, i);
      auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                    Clock::now() - start)
                    .count();
      if (s.ok()) {
        ++ok;
        mine.push_back(static_cast<uint32_t>(us));
      } else {
        ++errors;
        ++causes[s.ToString()];
      }
    }
    std::lock_guard<std::mutex> lock(mu);
    result.ok += ok;
    result.errors += errors;
    latencies.insert(latencies.end(), mine.begin(), mine.end());
    for (const auto& [cause, n] : causes) result.causes[cause] += n;
  };

  std::vector<std::thread> threads;
  for (int c = 0; c < options.clients; ++c) threads.emplace_back(client, c);
  while (connected < options.clients) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const auto start = Clock::now();
  go = true;
  if (options.seconds > 0) {
    const auto end = start + std::chrono::duration<double>(options.seconds);
    // Also wake up to notice a count-limited run that ended early.
    while (Clock::now() < end &&
           (options.count == 0 || next.load() < options.count)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    stop = true;
  }
  for (auto& t : threads) t.join();
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.latency = Summarize(&latencies);
  return result;
}

}  // namespace berth::bench
