// WatchReceiver: reads many open watch streams (chunked JSON lines) on a
// few epoll threads, so 1,000 watchers cost the benchmark two threads, not a
// thousand. Every event line that carries data.sent (steady-clock
// nanoseconds of this process, stamped by the update driver) yields one
// delivery latency sample.
//
// Thread safety: Add before Start; Start/Stop/results from one thread.
// Counters may be read at any time.
#ifndef BERTH_BENCH_API_WATCH_RECEIVER_H_
#define BERTH_BENCH_API_WATCH_RECEIVER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench/api/https_connection.h"

namespace berth::bench {

class WatchReceiver {
 public:
  explicit WatchReceiver(int threads = 2);
  ~WatchReceiver();

  // Takes a connection on which a watch GET has just been sent.
  void Add(std::unique_ptr<HttpsConnection> conn);
  void Start();
  // Stops reading and closes every stream.
  void Stop();

  // Streams whose response head said 200 / something else or broke.
  int heads_ok() const { return heads_ok_; }
  int failed() const { return failed_; }
  // Stamped events received over all streams.
  uint64_t events() const { return events_; }
  // The smallest number of stamped events any one stream has received.
  uint64_t MinEventsPerStream() const;
  // Latency samples (microseconds) of every stamped event; call after Stop.
  std::vector<uint32_t> TakeLatencies();

 private:
  struct Stream;
  void Loop(int epoll_fd, std::vector<uint32_t>* latencies);
  // Consumes what `s` has buffered; false when the stream ended or failed.
  bool Parse(Stream* s, int64_t now_ns, std::vector<uint32_t>* latencies);

  int threads_;
  std::vector<std::unique_ptr<Stream>> streams_;
  std::vector<int> epoll_fds_;
  std::vector<std::thread> loops_;
  std::vector<std::vector<uint32_t>> latencies_;
  std::atomic<bool> stop_{false};
  std::atomic<int> heads_ok_{0};
  std::atomic<int> failed_{0};
  std::atomic<uint64_t> events_{0};
};

// Steady-clock nanoseconds, the timebase of data.sent.
int64_t NowNs();

}  // namespace berth::bench

#endif  // BERTH_BENCH_API_WATCH_RECEIVER_H_
