// berth_api_bench: the issue #2 figures for a real `berth server` over HTTPS,
// side by side with etcd: durable creates/s (64 keep-alive clients), the same
// creates against etcd's JSON gateway, GETs/s, LIST of 10k objects (JSON and
// Table), watch delivery latency with 1,000 watchers under 1k updates/s, idle
// RSS, and start-to-/readyz. Starts and stops every server itself in one temp
// dir, which it removes, also on SIGINT/SIGTERM. Prints a Markdown table on
// stdout (progress on stderr); exits 0 only when nothing failed or got lost.
// See bench/api/README.md.
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/api/bench_phases.h"
#include "bench/api/berth_process.h"
#include "bench/api/child_process.h"
#include "bench/api/etcd_process.h"
#include "kernel/cli/flags.h"

namespace berth::bench {
namespace {

namespace fs = std::filesystem;

// The root of every temp file, removed on exit and by the signal thread.
std::string g_root;

void Progress(const std::string& line) { std::cerr << "# " << line << "\n"; }

// Lifts the open-file limit to its hard maximum: 1,000 watch sockets here,
// and the children inherit it.
void RaiseFileLimit() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
}

// SIGINT/SIGTERM go to one thread that kills the servers and removes the
// temp dir, so an interrupted run leaves nothing behind.
void StartSignalThread() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
  std::thread([set] {
    int sig = 0;
    sigwait(&set, &sig);
    KillAllChildren();
    std::error_code ec;
    if (!g_root.empty()) fs::remove_all(g_root, ec);
    _exit(128 + sig);
  }).detach();
}

std::string Fixed(double v, int digits = 0) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", digits, v);
  return buf;
}

std::string Mib(int64_t kib) { return Fixed(kib / 1024.0, 1) + " MiB"; }

class Table {
 public:
  void Row(const std::string& figure, const std::string& value,
           const std::string& target) {
    rows_.push_back({figure, value, target});
  }
  void Print() const {
    std::cout << "| figure | value | target |\n|---|---|---|\n";
    for (const auto& r : rows_) {
      std::cout << "| " << r[0] << " | " << r[1] << " | " << r[2] << " |\n";
    }
  }

 private:
  std::vector<std::array<std::string, 3>> rows_;
};

std::string Causes(const std::map<std::string, uint64_t>& causes) {
  std::string out;
  for (const auto& [c, n] : causes)
    out += "\n#   " + std::to_string(n) + "x " + c;
  return out;
}

void Report(const std::string& what, const LoadResult& r) {
  Progress(what + ": " + std::to_string(r.ok) + " ok, " +
           std::to_string(r.errors) + " errors in " + Fixed(r.seconds, 2) +
           " s = " + Fixed(r.PerSecond()) + "/s, p50 " +
           Fixed(r.latency.p50_ms, 2) + " ms, p99 " +
           Fixed(r.latency.p99_ms, 2) + " ms" + Causes(r.causes));
}

std::string LoadCell(const LoadResult& r) {
  return Fixed(r.PerSecond()) + "/s (p50 " + Fixed(r.latency.p50_ms, 1) +
         " ms, p99 " + Fixed(r.latency.p99_ms, 1) + " ms, " +
         std::to_string(r.ok) + " ok, " + std::to_string(r.errors) + " errors)";
}

int Run(const cli::Flags& flags) {
  auto num = [&](const char* name, double def) {
    return flags.Has(name) ? std::atof(flags.Get(name).c_str()) : def;
  };
  const std::string berth = flags.Get("berth", BERTH_BINARY);
  const std::string etcd = flags.Get("etcd", "/usr/bin/etcd");
  const int clients = std::max(1, static_cast<int>(num("clients", 64)));
  const std::string value =
      PayloadValue(static_cast<size_t>(num("value-bytes", 1024)));
  LoadOptions create_load{clients,
                          static_cast<uint64_t>(num("create-count", 0)),
                          num("create-seconds", 10)};
  LoadOptions get_load{clients, static_cast<uint64_t>(num("get-count", 0)),
                       num("get-seconds", 10)};
  const int list_objects = static_cast<int>(num("list-objects", 10000));
  const int list_runs = std::max(1, static_cast<int>(num("list-runs", 5)));
  WatchOptions watch;
  watch.watchers = static_cast<int>(num("watchers", 1000));
  watch.rate = num("watch-rate", 1000);
  watch.seconds = num("watch-seconds", 10);
  watch.writers = std::max(1, static_cast<int>(num("watch-writers", 20)));
  const int ready_runs = static_cast<int>(num("ready-runs", 5));
  const double settle_s = num("settle-seconds", 3);

  RaiseFileLimit();
  char tmpl[] = "/tmp/berth-api-bench-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) {
    std::cerr << "berth_api_bench: cannot make a temp dir\n";
    return 2;
  }
  g_root = tmpl;
  StartSignalThread();
  struct RemoveRoot {
    ~RemoveRoot() {
      std::error_code ec;
      fs::remove_all(g_root, ec);
    }
  } remove_root;

  uint64_t failures = 0;
  Table table;
  Progress("starting " + berth + " server");
  auto server_or = BerthProcess::Start(berth, g_root + "/berth");
  if (!server_or.ok()) {
    std::cerr << server_or.status().ToString() << "\n";
    return 2;
  }
  std::unique_ptr<BerthProcess> server = std::move(server_or).value();
  const Endpoint& api = server->endpoint();
  const int64_t rss_start = VmRssKib(server->pid());
  Progress("ready in " + Fixed(server->ready_ms(), 1) + " ms, RSS " +
           Mib(rss_start));

  // 1. Durable creates. A phase with neither a count nor a duration is
  // skipped.
  const auto skipped = [](const LoadOptions& o) {
    return o.count == 0 && o.seconds <= 0;
  };
  std::vector<std::string> created;
  LoadResult creates;
  if (!skipped(create_load)) {
    creates = RunBerthCreates(api, create_load, "default", value, &created);
    Report("berth creates", creates);
    failures += creates.errors;
    table.Row("Berth durable creates/s, " + std::to_string(clients) +
                  " HTTPS clients, " + std::to_string(value.size()) +
                  " B ConfigMap data",
              LoadCell(creates), "≥ 10,000/s");
  }

  // 2. The same creates against etcd, while Berth sits idle.
  std::string etcd_version;
  if (skipped(create_load)) {
    // Nothing to compare.
  } else if (!etcd.empty() && access(etcd.c_str(), X_OK) == 0) {
    etcd_version = EtcdVersion(etcd);
    Progress("starting " + etcd_version);
    auto etcd_or = EtcdProcess::Start(etcd, g_root + "/etcd");
    if (!etcd_or.ok()) {
      std::cerr << etcd_or.status().ToString() << "\n";
      ++failures;
    } else {
      LoadResult e =
          RunEtcdCreates((*etcd_or)->endpoint(), create_load, "default", value);
      Report("etcd creates", e);
      failures += e.errors;
      (*etcd_or)->Stop();
      table.Row(etcd_version +
                    " creates/s (txn mod_revision==0 → put, JSON "
                    "gateway /v3/kv/txn, TLS)",
                LoadCell(e), "—");
      table.Row("ratio Berth/etcd creates",
                e.PerSecond() > 0
                    ? Fixed(creates.PerSecond() / e.PerSecond(), 2) + "×"
                    : "n/a",
                "—");
    }
  } else {
    Progress("no etcd at '" + etcd + "': skipping the etcd side");
  }

  // 3. GETs by name.
  if (!skipped(get_load) && !created.empty()) {
    LoadResult gets = RunGets(api, get_load, "default", created);
    Report("gets", gets);
    failures += gets.errors;
    table.Row("GETs/s by name, " + std::to_string(clients) + " HTTPS clients",
              LoadCell(gets), "≥ 50,000/s");
  }

  // 4. LIST.
  if (list_objects > 0) {
    if (Status s = EnsureNamespace(api, "bench-list"); !s.ok()) {
      std::cerr << "namespace bench-list: " << s.ToString() << "\n";
      return 2;
    }
    LoadOptions fill{clients, static_cast<uint64_t>(list_objects), 0};
    LoadResult filled =
        RunBerthCreates(api, fill, "bench-list", value, nullptr);
    Report("list fill", filled);
    failures += filled.errors;
    ListResult list = RunLists(api, "bench-list", list_runs);
    failures += list.errors;
    if (list.objects != list_objects || list.rows != list_objects) {
      Progress("LIST returned " + std::to_string(list.objects) + " items / " +
               std::to_string(list.rows) + " rows, expected " +
               std::to_string(list_objects));
      ++failures;
    }
    for (const auto& c : list.causes) Progress("list error: " + c);
    Progress("list: JSON median " + Fixed(list.json_median_ms, 1) + " ms max " +
             Fixed(list.json_max_ms, 1) + " ms (" +
             Fixed(list.json_bytes / 1e6, 1) + " MB); Table median " +
             Fixed(list.table_median_ms, 1) + " ms max " +
             Fixed(list.table_max_ms, 1) + " ms (" +
             Fixed(list.table_bytes / 1e6, 1) + " MB)");
    const std::string what = "LIST " + std::to_string(list.objects) +
                             " ConfigMaps (" + std::to_string(value.size()) +
                             " B data each), " + std::to_string(list_runs) +
                             " runs";
    table.Row(what + ", JSON (" + Fixed(list.json_bytes / 1e6, 1) + " MB)",
              "median " + Fixed(list.json_median_ms, 1) + " ms, max " +
                  Fixed(list.json_max_ms, 1) + " ms",
              "≤ 100 ms");
    table.Row(what + ", Table (" + Fixed(list.table_bytes / 1e6, 1) + " MB)",
              "median " + Fixed(list.table_median_ms, 1) + " ms, max " +
                  Fixed(list.table_max_ms, 1) + " ms",
              "≤ 100 ms");
  }

  // 5. Watch delivery.
  if (watch.watchers > 0) {
    if (Status s = EnsureNamespace(api, "bench-watch"); !s.ok()) {
      std::cerr << "namespace bench-watch: " << s.ToString() << "\n";
      return 2;
    }
    Progress("opening " + std::to_string(watch.watchers) + " watches");
    WatchResult w = RunWatch(api, "bench-watch", watch);
    for (const auto& c : w.causes) Progress("watch error: " + c);
    Progress("watch: " + std::to_string(w.watchers_open) + " open, " +
             std::to_string(w.updates_ok) + " updates (" +
             Fixed(w.update_rate) + "/s, p99 " + Fixed(w.update.p99_ms, 1) +
             " ms), " + std::to_string(w.update_errors) + " update errors, " +
             std::to_string(w.received) + "/" + std::to_string(w.expected) +
             " delivered, " + std::to_string(w.streams_failed) +
             " streams failed; delivery p50 " + Fixed(w.delivery.p50_ms, 1) +
             " p99 " + Fixed(w.delivery.p99_ms, 1) + " max " +
             Fixed(w.delivery.max_ms, 1) + " ms");
    failures += w.update_errors + w.lost +
                static_cast<uint64_t>(w.streams_failed) +
                static_cast<uint64_t>(watch.watchers - w.watchers_open) +
                (w.updates_ok == 0 ? 1 : 0);
    table.Row("watch delivery, " + std::to_string(w.watchers_open) +
                  " watchers, " + Fixed(w.update_rate) + " updates/s for " +
                  Fixed(watch.seconds) + " s",
              "p50 " + Fixed(w.delivery.p50_ms, 1) + " ms, p99 " +
                  Fixed(w.delivery.p99_ms, 1) + " ms, max " +
                  Fixed(w.delivery.max_ms, 1) + " ms; " +
                  std::to_string(w.lost) + " of " + std::to_string(w.expected) +
                  " events lost",
              "p99 ≤ 50 ms, 0 lost");
  }

  // 6. Memory after the load, once it settles.
  std::this_thread::sleep_for(std::chrono::duration<double>(settle_s));
  const int64_t rss_after = VmRssKib(server->pid());
  table.Row("server RSS right after start (empty data dir)", Mib(rss_start),
            "≤ 60 MiB idle");
  table.Row("server RSS " + Fixed(settle_s) + " s after the load (" +
                std::to_string(created.size() + list_objects) + " objects)",
            Mib(rss_after), "≤ 60 MiB idle");
  if (int code = server->Stop(); code != 0) {
    Progress("berth server exited with " + std::to_string(code));
    ++failures;
  }

  // 7. Start to /readyz on fresh data dirs.
  if (ready_runs > 0) {
    std::vector<double> ready, self;
    for (int i = 0; i < ready_runs; ++i) {
      const std::string dir = g_root + "/ready-" + std::to_string(i);
      auto s = BerthProcess::Start(berth, dir);
      if (!s.ok()) {
        std::cerr << s.status().ToString() << "\n";
        ++failures;
        continue;
      }
      ready.push_back((*s)->ready_ms());
      self.push_back((*s)->self_reported_ms());
      (*s)->Stop();
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
    std::string all, all_self;
    for (size_t i = 0; i < ready.size(); ++i) {
      all += (i ? ", " : "") + Fixed(ready[i], 1);
      all_self += (i ? ", " : "") + Fixed(self[i], 0);
    }
    Progress("ready ms: " + all +
             "; the server's own ready lines: " + all_self);
    std::sort(ready.begin(), ready.end());
    std::sort(self.begin(), self.end());
    if (!ready.empty()) {
      table.Row("fork/exec to first 200 from /readyz, fresh data dir, " +
                    std::to_string(ready.size()) + " starts",
                "median " + Fixed(ready[ready.size() / 2], 1) + " ms (" + all +
                    "; the server's own count from main(): median " +
                    Fixed(self[self.size() / 2], 0) + " ms)",
                "≤ 300 ms");
    }
  }

  table.Print();
  std::cout << "\nerrors and lost events: " << failures << "\n";
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace berth::bench

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto flags = berth::cli::ParseFlags(
      args,
      {"berth", "etcd", "clients", "value-bytes", "create-seconds",
       "create-count", "get-seconds", "get-count", "list-objects", "list-runs",
       "watchers", "watch-rate", "watch-seconds", "watch-writers", "ready-runs",
       "settle-seconds"},
      {});
  if (!flags.ok()) {
    std::cerr << "berth_api_bench: " << flags.status().message()
              << "\nsee bench/api/README.md for the flags\n";
    return 2;
  }
  return berth::bench::Run(*flags);
}
