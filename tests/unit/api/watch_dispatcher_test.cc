#include "kernel/api/server/watch_dispatcher.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "kernel/store/store.h"
#include "tests/support/temp_dir.h"

namespace berth::api {
namespace {

using std::chrono::milliseconds;

using ::berth::testing::TempDir;

int ThreadCount() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Threads:", 0) == 0) return std::atoi(line.c_str() + 8);
  }
  return -1;
}

void Create(store::Store& s, const std::string& key) {
  auto r = s.Create(key, [](uint64_t) {
    return StatusOr<store::NewValue>(store::NewValue{"{}", {}, false});
  });
  ASSERT_TRUE(r.ok()) << r.status().ToString();
}

std::unique_ptr<store::Store> Open(const std::string& dir) {
  store::Options options;
  options.sync = false;
  auto s = store::OpenLevelDbStore(dir, options);
  EXPECT_TRUE(s.ok());
  return s.ok() ? std::move(s).value() : nullptr;
}

template <typename F>
bool WaitFor(F done) {
  for (int i = 0; i < 2000 && !done(); ++i) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  return done();
}

// Plugins open many watches inside the server: they must not cost a thread
// each, and each must still see every event.
TEST(WatchDispatcherTest, ManyWatchesShareOneThread) {
  TempDir dir;
  auto store = Open(dir.path());
  ASSERT_TRUE(store);
  const int threads_before = ThreadCount();
  WatchDispatcher dispatcher;
  constexpr int kWatches = 300;
  std::vector<std::atomic<int>> seen(kWatches);
  std::vector<std::unique_ptr<WatchHandle>> handles;
  for (int i = 0; i < kWatches; ++i) {
    auto w = store->Watch("/k/", store->CurrentRevision(), nullptr);
    ASSERT_TRUE(w.ok());
    handles.push_back(
        dispatcher.Add(std::move(w).value(), [&seen, i](const WatchEvent& e) {
          if (e.type == "ADDED") ++seen[i];
        }));
  }
  EXPECT_LE(ThreadCount(), threads_before + 2);
  Create(*store, "/k/a");
  Create(*store, "/k/b");
  EXPECT_TRUE(WaitFor([&] {
    for (auto& n : seen) {
      if (n < 2) return false;
    }
    return true;
  }));
  for (auto& n : seen) EXPECT_EQ(n, 2);
}

TEST(WatchDispatcherTest, NoCallbackAfterTheHandleIsGoneEvenFromItsOwn) {
  TempDir dir;
  auto store = Open(dir.path());
  ASSERT_TRUE(store);
  WatchDispatcher dispatcher;
  std::mutex mu;
  std::unique_ptr<WatchHandle> self_closing;
  std::atomic<int> calls{0};
  auto w = store->Watch("/k/", store->CurrentRevision(), nullptr);
  ASSERT_TRUE(w.ok());
  {
    std::lock_guard<std::mutex> lock(mu);
    self_closing = dispatcher.Add(std::move(w).value(), [&](const WatchEvent&) {
      ++calls;
      std::lock_guard<std::mutex> lock(mu);
      self_closing.reset();  // closes its own watch from the callback
    });
  }
  Create(*store, "/k/a");
  EXPECT_TRUE(WaitFor([&] { return calls == 1; }));
  Create(*store, "/k/b");
  // A watch closed from outside gets nothing after the handle is gone.
  std::atomic<int> other_calls{0};
  auto w2 = store->Watch("/k/", store->CurrentRevision(), nullptr);
  ASSERT_TRUE(w2.ok());
  auto handle = dispatcher.Add(std::move(w2).value(),
                               [&](const WatchEvent&) { ++other_calls; });
  handle.reset();
  Create(*store, "/k/c");
  // A third watch proves the thread went past both events.
  std::atomic<int> probe{0};
  auto w3 = store->Watch("/k/", store->CurrentRevision(), nullptr);
  ASSERT_TRUE(w3.ok());
  auto probe_handle = dispatcher.Add(std::move(w3).value(),
                                     [&](const WatchEvent&) { ++probe; });
  Create(*store, "/k/d");
  EXPECT_TRUE(WaitFor([&] { return probe == 1; }));
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(other_calls, 0);
}

TEST(WatchDispatcherTest, StoreClosingTheWatchIsAnError) {
  TempDir dir;
  auto store = Open(dir.path());
  ASSERT_TRUE(store);
  WatchDispatcher dispatcher;
  std::mutex mu;
  std::vector<std::string> types;
  auto w = store->Watch("/k/", store->CurrentRevision(), nullptr);
  ASSERT_TRUE(w.ok());
  auto handle = dispatcher.Add(std::move(w).value(), [&](const WatchEvent& e) {
    std::lock_guard<std::mutex> lock(mu);
    types.push_back(e.type);
  });
  store.reset();
  EXPECT_TRUE(WaitFor([&] {
    std::lock_guard<std::mutex> lock(mu);
    return !types.empty();
  }));
  std::lock_guard<std::mutex> lock(mu);
  ASSERT_EQ(types.size(), 1u);
  EXPECT_EQ(types[0], "ERROR");
}

}  // namespace
}  // namespace berth::api
