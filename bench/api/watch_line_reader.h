// WatchLineReader: follows one watch stream (chunked JSON lines over HTTPS)
// on its own thread and hands every event line to a callback, for
// benchmarks that time what a client of the API sees.
//
// Thread safety: Start/Stop from one thread; the callback runs on the
// reader's thread; failed() may be read from any thread.
#ifndef BERTH_BENCH_API_WATCH_LINE_READER_H_
#define BERTH_BENCH_API_WATCH_LINE_READER_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "bench/api/https_connection.h"
#include "berth/status.h"

namespace berth::bench {

class WatchLineReader {
 public:
  using LineFn = std::function<void(const std::string& line)>;

  // `conn` is a connection to the server (connected on Start); `path` the
  // watch URL (with watch=1 and its resourceVersion).
  WatchLineReader(std::unique_ptr<HttpsConnection> conn, std::string path,
                  LineFn on_line);
  ~WatchLineReader();

  // Sends the watch and starts reading. Unavailable when the request fails.
  Status Start();
  // Stops reading and closes the connection. Idempotent.
  void Stop();

  // Whether the stream broke, was refused or ended (the server drops a
  // watcher that falls too far behind).
  bool failed() const { return failed_.load(); }

 private:
  void Loop();

  std::unique_ptr<HttpsConnection> conn_;
  std::string path_;
  LineFn on_line_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> failed_{false};
};

}  // namespace berth::bench

#endif  // BERTH_BENCH_API_WATCH_LINE_READER_H_
