// store_crash_writer DIR N_THREADS: creates objects in the store at DIR from
// N_THREADS threads until killed, printing each key to stdout (one per line,
// flushed) once Create acknowledged it. store_crash_test kill -9's it and
// checks that every printed key survived. The data of key K is
// "payload-of:" + K, so the test can check the bytes too.
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "kernel/store/store.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s DIR N_THREADS\n", argv[0]);
    return 2;
  }
  const int threads = std::atoi(argv[2]);
  auto store = berth::store::OpenLevelDbStore(argv[1], {});
  if (!store.ok()) {
    std::fprintf(stderr, "open: %s\n", store.status().ToString().c_str());
    return 1;
  }
  std::mutex out_mu;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0;; ++i) {
        const std::string key =
            "/crash/" + std::to_string(t) + "/" + std::to_string(i);
        auto created = (*store)->Create(key, [&](uint64_t) {
          return berth::StatusOr<berth::store::NewValue>(
              berth::store::NewValue{"payload-of:" + key, {}, false});
        });
        if (!created.ok()) {
          std::fprintf(stderr, "create %s: %s\n", key.c_str(),
                       created.status().ToString().c_str());
          std::_Exit(1);
        }
        std::lock_guard<std::mutex> lock(out_mu);
        std::fputs((key + "\n").c_str(), stdout);
        std::fflush(stdout);
      }
    });
  }
  for (std::thread& w : workers) w.join();
  return 0;
}
