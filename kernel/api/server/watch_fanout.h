// WatchFanout: serves every open watch from one event-loop thread, so a
// watch costs a socket and a queue instead of a server thread. The request
// handler decides the response head (200, chunked, application/json), takes
// the connection away from Poco and hands it over with the store watcher;
// the loop then encodes and writes events as they are published (chunked
// framing, Table rows, BOOKMARKs), ends the stream at its timeoutSeconds
// with the last chunk, notices a peer that went away, and drops a consumer
// that does not read (more than max_pending_bytes waiting) rather than let
// it hold up the others. Connections are closed at the end of a watch; no
// keep-alive. Events wait per stream as pointers to the store's shared
// events and are encoded into a small out buffer as the socket drains it,
// so a stream that falls behind costs pointers, not copies; after a burst
// the loop hands freed memory back to the OS (malloc_trim).
//
// Thread safety: Add and open_watches are safe from any thread; Start and
// Stop from one thread. Stop ends every stream with the last chunk (as far
// as the socket takes it without blocking) and joins the loop.
#ifndef BERTH_KERNEL_API_SERVER_WATCH_FANOUT_H_
#define BERTH_KERNEL_API_SERVER_WATCH_FANOUT_H_

#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "berth/kind.h"
#include "berth/status.h"
#include "kernel/api/server/metrics.h"
#include "kernel/api/server/table.h"
#include "kernel/store/store.h"

namespace berth::api {

// One watch handed over to the fan-out.
struct WatchStreamSpec {
  Poco::Net::StreamSocket socket;  // detached from its HTTP session
  std::string response_head;       // status line and headers, not yet sent
  std::unique_ptr<store::Watcher> watcher;
  const Kind* kind = nullptr;  // outlives the server
  std::string version;         // "" or another version the kind is served in
  bool table = false;          // Accept asked for as=Table
  IncludeObject include = IncludeObject::kMetadata;
  bool bookmarks = false;                          // allowWatchBookmarks
  std::chrono::steady_clock::time_point deadline;  // timeoutSeconds
};

struct WatchFanoutOptions {
  // A consumer with more than this many bytes unsent (encoded or still
  // waiting as events) is disconnected.
  size_t max_pending_bytes = 8 * 1024 * 1024;
  // An idle stream gets a BOOKMARK this often (when it asked for them).
  std::chrono::milliseconds bookmark_interval{30000};
};

class WatchFanout {
 public:
  // `metrics` must outlive the fan-out; every stream closed counts one
  // WatchClosed (the handler counted WatchOpened).
  WatchFanout(Metrics* metrics, WatchFanoutOptions options = {});
  ~WatchFanout();
  WatchFanout(const WatchFanout&) = delete;
  WatchFanout& operator=(const WatchFanout&) = delete;

  // Starts the loop. Internal when epoll or eventfd cannot be created.
  Status Start();
  // Ends every stream and stops the loop. Idempotent.
  void Stop();

  // Takes over a watch. After Stop (or when the connection cannot be taken
  // over) the stream is closed at once, counted as closed.
  void Add(WatchStreamSpec spec);

  // Streams being served (for tests and metrics).
  size_t open_watches() const { return open_; }

 private:
  struct Stream;
  using Clock = std::chrono::steady_clock;

  void Loop();
  void Adopt(std::unique_ptr<WatchStreamSpec> spec);
  void MarkReady(uint64_t id);
  void Wake();
  // Takes the stream's new events (shared pointers) and writes what it can.
  void Pump(Stream& s);
  // Encodes waiting events into the (sent) out buffer, up to a bound.
  void Fill(Stream& s);
  // Writes pending bytes, encoding more as the socket takes them; false
  // when the stream was closed.
  bool Flush(Stream& s);
  void Sweep(Clock::time_point now);
  void Remove(uint64_t id);

  Metrics* const metrics_;
  const WatchFanoutOptions options_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<size_t> open_{0};

  std::mutex mu_;  // guards the hand-over lists and started_/stopped_
  bool started_ = false;
  bool stopped_ = false;
  bool wake_pending_ = false;
  std::vector<std::unique_ptr<WatchStreamSpec>> incoming_;
  std::vector<uint64_t> ready_;

  // Loop thread only.
  uint64_t next_id_ = 1;
  std::unordered_map<uint64_t, std::unique_ptr<Stream>> streams_;
  // Memory was freed since the last malloc_trim, last at last_busy_.
  bool trim_due_ = false;
  Clock::time_point last_busy_;
};

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_WATCH_FANOUT_H_
