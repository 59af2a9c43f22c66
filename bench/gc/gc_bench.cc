// gc_bench [FREE] [OWNERS] [PER_OWNER]: the garbage collector at scale, in
// process over LevelDB. Fills a store with FREE objects outside any
// ownership (default 100,000) and OWNERS owners with PER_OWNER dependents
// each (default 100 x 100), then reports: the start-up list-and-graph time,
// the graph's node count and resident memory, and the time from deleting
// every owner (Background) to the last dependent collected (sync=true).
#include <spdlog/spdlog.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "kernel/gc/garbage_collector.h"

namespace {

using Clock = std::chrono::steady_clock;

class BenchKind : public berth::Kind {
 public:
  BenchKind(std::string kind, std::string plural) {
    info_.group = "bench.example.com";
    info_.version = "v1";
    info_.kind = std::move(kind);
    info_.plural = std::move(plural);
    info_.singular = info_.plural;
  }
  const berth::KindInfo& Info() const override { return info_; }

 private:
  berth::KindInfo info_;
};

double Seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

long RssKiB() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

std::string Create(berth::api::ResourceService& svc, const berth::Kind& kind,
                   const std::string& name, const std::string& owner_refs) {
  auto doc = berth::ParseJson(
      R"({"metadata":{"name":")" + name + R"(","labels":{"app":"bench"},)" +
      R"("ownerReferences":[)" + owner_refs + R"(]},"data":{"k":")" +
      std::string(200, 'v') + R"("}})");
  auto r = svc.Create(kind, "default", std::move(doc).value(), {});
  if (!r.ok()) {
    std::fprintf(stderr, "create %s: %s\n", name.c_str(),
                 r.status().message().c_str());
    std::exit(1);
  }
  berth::JsonDoc d;
  d.Parse(r->object.data->data(), r->object.data->size());
  return berth::GetString(d, {"metadata", "uid"});
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);
  const int free_objects = argc > 1 ? std::atoi(argv[1]) : 100000;
  const int owners = argc > 2 ? std::atoi(argv[2]) : 100;
  const int per_owner = argc > 3 ? std::atoi(argv[3]) : 100;
  char tmpl[] = "/tmp/berth-gc-bench-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return 1;
  const std::string dir = tmpl;
  berth::KindRegistry kinds;
  auto kind = std::make_shared<BenchKind>("Item", "items");
  // Dependents are their own kind so that counting them is cheap.
  auto dep_kind = std::make_shared<BenchKind>("Part", "parts");
  if (!kinds.Add(kind, "bench").ok() || !kinds.Add(dep_kind, "bench").ok()) {
    return 1;
  }
  kinds.Freeze();
  {
    // Filling is not what is measured: no fsync per write.
    berth::store::Options fill;
    fill.sync = false;
    auto store = berth::store::OpenLevelDbStore(dir, fill);
    if (!store.ok()) return 1;
    berth::api::ResourceService svc(store->get());
    for (int i = 0; i < free_objects; ++i) {
      Create(svc, *kind, "free-" + std::to_string(i), "");
    }
    for (int o = 0; o < owners; ++o) {
      const std::string name = "owner-" + std::to_string(o);
      std::string uid = Create(svc, *kind, name, "");
      std::string ref = R"({"apiVersion":"bench.example.com/v1","kind":"Item",)"
                        R"("name":")" +
                        name + R"(","uid":")" + uid + R"("})";
      for (int d = 0; d < per_owner; ++d) {
        Create(svc, *dep_kind, name + "-dep-" + std::to_string(d), ref);
      }
    }
  }
  auto store = berth::store::OpenLevelDbStore(dir, {});
  if (!store.ok()) return 1;
  berth::api::ResourceService svc(store->get());
  const size_t total = (*store)->Count("/registry/");
  const long rss_before = RssKiB();
  auto t0 = Clock::now();
  berth::gc::GarbageCollector gc(store->get(), &svc, &kinds);
  gc.Start();
  while (!gc.synced())
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const double sync_s = Seconds(Clock::now() - t0);
  const long rss_after = RssKiB();
  std::printf("objects in store: %zu (%d owners x %d dependents)\n", total,
              owners, per_owner);
  std::printf("start-up list + graph: %.3f s, graph nodes: %zu, RSS +%ld KiB\n",
              sync_s, gc.GraphSize(), rss_after - rss_before);

  t0 = Clock::now();
  for (int o = 0; o < owners; ++o) {
    berth::api::DeleteOptions d;
    auto r = svc.Delete(*kind, "default", "owner-" + std::to_string(o), d);
    if (!r.ok()) return 1;
  }
  while ((*store)->Count("/registry/bench.example.com/parts/") > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const double collect_s = Seconds(Clock::now() - t0);
  std::printf(
      "collect %d dependents after deleting their owners: %.3f s "
      "(%.0f deletes/s, durable)\n",
      owners * per_owner, collect_s, owners * per_owner / collect_s);
  gc.Stop();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return 0;
}
