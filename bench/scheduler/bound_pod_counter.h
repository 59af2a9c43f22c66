// BoundPodCounter: follows one pod watch stream (chunked JSON lines over
// HTTPS) and records when each pod is first seen bound (spec.nodeName set),
// which is what "scheduled" means to a client of the API.
//
// Thread safety: Start/Stop from one thread; the counters may be read from
// any thread while it runs.
#ifndef BERTH_BENCH_SCHEDULER_BOUND_POD_COUNTER_H_
#define BERTH_BENCH_SCHEDULER_BOUND_POD_COUNTER_H_

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

#include "bench/api/https_connection.h"
#include "bench/api/watch_line_reader.h"
#include "berth/status.h"

namespace berth::bench {

class BoundPodCounter {
 public:
  // `conn` is connected to the server; the watch starts at `resource_version`
  // over all namespaces.
  BoundPodCounter(std::unique_ptr<HttpsConnection> conn,
                  std::string resource_version);
  ~BoundPodCounter();

  // Sends the watch and starts reading. Unavailable when the request fails.
  Status Start();
  void Stop();

  // Pods seen bound so far.
  size_t bound() const { return bound_.load(); }
  // Whether the stream broke.
  bool failed() const { return reader_.failed(); }
  // Whether pod "<ns>/<name>" was seen bound.
  bool Seen(const std::string& key) const;
  // Watch lines read so far.
  size_t lines() const { return lines_.load(); }
  // Steady-clock times at which pods were first seen bound, in order.
  std::vector<std::chrono::steady_clock::time_point> BindTimes() const;

 private:
  void OnLine(const std::string& line);

  std::atomic<size_t> bound_{0};
  std::atomic<size_t> lines_{0};
  mutable std::mutex mu_;
  std::unordered_set<std::string> seen_;
  std::vector<std::chrono::steady_clock::time_point> times_;
  // Last: its thread calls OnLine, so it must stop before the rest goes.
  WatchLineReader reader_;
};

}  // namespace berth::bench

#endif  // BERTH_BENCH_SCHEDULER_BOUND_POD_COUNTER_H_
