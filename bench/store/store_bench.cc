// store_bench [SECONDS]: durable creates/s from 64 threads with 1 KB values,
// Get/s from memory, and the time to List 10k objects. Uses a temp dir.
#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "kernel/store/store.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

}  // namespace

int main(int argc, char** argv) {
  const double run_seconds = argc > 1 ? std::atof(argv[1]) : 2.0;
  char tmpl[] = "/tmp/berth-store-bench-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return 1;
  const std::string dir = tmpl;
  {
    auto opened = berth::store::OpenLevelDbStore(dir, {});
    if (!opened.ok()) {
      std::fprintf(stderr, "%s\n", opened.status().ToString().c_str());
      return 1;
    }
    berth::store::Store& store = **opened;
    const std::string value(1024, 'x');

    constexpr int kWriters = 64;
    std::atomic<bool> stop{false};
    std::atomic<uint64_t> created{0};
    std::vector<std::thread> writers;
    const auto start = Clock::now();
    for (int t = 0; t < kWriters; ++t) {
      writers.emplace_back([&, t] {
        for (int i = 0; !stop; ++i) {
          auto r = store.Create(
              "/bench/" + std::to_string(t) + "/" + std::to_string(i),
              [&](uint64_t) {
                return berth::StatusOr<berth::store::NewValue>(
                    berth::store::NewValue{value, {}, false});
              });
          if (r.ok()) ++created;
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(run_seconds));
    stop = true;
    for (std::thread& w : writers) w.join();
    const double create_s = Seconds(Clock::now() - start);
    std::printf(
        "durable creates/s (64 threads, 1 KB, sync): %.0f (%llu in %.2fs)\n",
        created / create_s, static_cast<unsigned long long>(created.load()),
        create_s);

    std::vector<std::string> keys;
    auto all = store.List("/bench/", nullptr, 0, "");
    for (const auto& o : all->items) keys.push_back(o.key);
    constexpr int kGets = 1000000;
    auto get_start = Clock::now();
    size_t found = 0;
    for (int i = 0; i < kGets; ++i) {
      found += store.Get(keys[static_cast<size_t>(i) % keys.size()]).ok();
    }
    const double get_s = Seconds(Clock::now() - get_start);
    std::printf("Get/s (1 thread): %.0f (%zu found)\n", kGets / get_s, found);

    // List exactly 10k objects.
    auto list_start = Clock::now();
    auto page = store.List("/bench/", nullptr, 10000, "");
    const double list_s = Seconds(Clock::now() - list_start);
    std::printf("List of %zu objects: %.2f ms\n", page->items.size(),
                list_s * 1000);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
