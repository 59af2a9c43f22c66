// RunClosedLoop: N clients, each with its own keep-alive HTTPS connection,
// issuing one request after another (the next as soon as the last answers)
// for a fixed time or a fixed total count. Connections are made before the
// clock starts, so handshakes are not measured.
//
// Thread safety: RunClosedLoop blocks its caller and runs `op` on one thread
// per client; `op` must be safe to call concurrently with itself.
#ifndef BERTH_BENCH_API_CLOSED_LOOP_H_
#define BERTH_BENCH_API_CLOSED_LOOP_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bench/api/https_connection.h"
#include "bench/api/latency_summary.h"
#include "berth/status.h"

namespace berth::bench {

struct LoadOptions {
  int clients = 64;
  uint64_t count = 0;   // stop after this many requests in all; 0: no limit
  double seconds = 10;  // stop after this long; 0: no limit (count must be)
};

struct LoadResult {
  uint64_t ok = 0;
  uint64_t errors = 0;
  double seconds = 0;
  LatencySummary latency;                  // of successful requests
  std::map<std::string, uint64_t> causes;  // error text -> how often

  double PerSecond() const { return seconds > 0 ? ok / seconds : 0; }
};

// One request: `client` is the client's index, `index` the request's
// global sequence number (unique across clients). Returns OK when the
// request counts as done, else the error to report.
using Operation =
    std::function<Status(HttpsConnection& conn, int client, uint64_t index)>;
using ConnectionFactory = std::function<std::unique_ptr<HttpsConnection>()>;

// Runs the load and returns its tally. A client whose first connection
// fails counts one error and still takes part (each request reconnects).
LoadResult RunClosedLoop(const LoadOptions& options,
                         const ConnectionFactory& connect, const Operation& op);

}  // namespace berth::bench

#endif  // BERTH_BENCH_API_CLOSED_LOOP_H_
