// The measured phases of berth_api_bench, each against an already running
// server: durable creates (Berth, and etcd the way kube-apiserver creates),
// GETs by name, LIST of many objects, and watch delivery under updates.
//
// Thread safety: each phase blocks its caller and uses its own threads;
// run one phase at a time against a server.
#ifndef BERTH_BENCH_API_BENCH_PHASES_H_
#define BERTH_BENCH_API_BENCH_PHASES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "bench/api/closed_loop.h"
#include "bench/api/https_connection.h"
#include "bench/api/latency_summary.h"
#include "berth/status.h"

namespace berth::bench {

// The ConfigMap every create sends: `value_bytes` of printable data under
// data.value, so Berth and etcd store the same bytes.
std::string ConfigMapJson(const std::string& ns, const std::string& name,
                          const std::string& value);
// `n` printable bytes, the same on every call.
std::string PayloadValue(size_t n);

// Creates ConfigMaps bench-<i> in `ns` (POST, every 201 counts). The names
// of created objects are appended to `created` when it is not null.
LoadResult RunBerthCreates(const Endpoint& server, const LoadOptions& load,
                           const std::string& ns, const std::string& value,
                           std::vector<std::string>* created);

// The same creates against etcd's JSON gateway: POST /v3/kv/txn with
// "if mod_revision(/registry/configmaps/NS/NAME) == 0 then put", the value
// being the ConfigMap JSON Berth receives. Counts succeeded transactions.
LoadResult RunEtcdCreates(const Endpoint& etcd, const LoadOptions& load,
                          const std::string& ns, const std::string& value);

// GETs objects of `names` in `ns`, spread over all of them; 200 counts.
LoadResult RunGets(const Endpoint& server, const LoadOptions& load,
                   const std::string& ns,
                   const std::vector<std::string>& names);

struct ListResult {
  int objects = 0;  // bench-* items in the JSON list (checked each run)
  int rows = 0;     // bench-* rows in the Table form
  double json_median_ms = 0, json_max_ms = 0;
  double table_median_ms = 0, table_max_ms = 0;
  double json_bytes = 0, table_bytes = 0;
  uint64_t errors = 0;
  std::vector<std::string> causes;
};

// Times `runs` full LISTs of the ConfigMaps in `ns`, as JSON and as the
// Table kubectl asks for, on one warm keep-alive connection.
ListResult RunLists(const Endpoint& server, const std::string& ns, int runs);

struct WatchOptions {
  int watchers = 1000;
  double rate = 1000;         // updates per second, all writers together
  double seconds = 10;        // how long updates are driven
  int writers = 16;           // objects (and connections) the updates go to
  double drain_seconds = 30;  // at most this long to wait for stragglers
};

struct WatchResult {
  int watchers_open = 0;
  uint64_t updates_ok = 0;
  uint64_t update_errors = 0;
  double update_rate = 0;  // achieved updates/s
  uint64_t expected = 0;   // updates_ok * watchers
  uint64_t received = 0;
  uint64_t lost = 0;
  int streams_failed = 0;
  LatencySummary delivery;
  LatencySummary update;  // PATCH round trips
  std::vector<std::string> causes;
};

// Opens `watchers` watches on ConfigMaps in `ns` from the current revision,
// then PATCHes `writers` objects at `rate` per second, each update carrying
// its send time, and measures every delivery to every watcher.
WatchResult RunWatch(const Endpoint& server, const std::string& ns,
                     const WatchOptions& options);

// POSTs a Namespace; OK also when it exists.
Status EnsureNamespace(const Endpoint& server, const std::string& name);

}  // namespace berth::bench

#endif  // BERTH_BENCH_API_BENCH_PHASES_H_
