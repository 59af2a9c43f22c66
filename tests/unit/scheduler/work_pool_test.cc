// The scheduler's WorkPool starts threads only for work: an idle scheduler
// holds none of its 64 binder threads, and a burst of tasks that block gets
// as many threads as it needs, up to the limit.
#include "runtime/work_pool.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

namespace berth::scheduler {
namespace {

TEST(WorkPoolTest, StartsNoThreadUntilATaskComes) {
  WorkPool pool(64, 0);
  EXPECT_EQ(pool.Threads(), 0u);
}

TEST(WorkPoolTest, BlockedTasksGetThreadsUpToTheLimit) {
  WorkPool pool(3, 0);
  std::mutex mu;
  std::condition_variable cv;
  int running = 0;
  bool release = false;
  auto task = [&] {
    std::unique_lock<std::mutex> lock(mu);
    ++running;
    cv.notify_all();
    cv.wait(lock, [&] { return release; });
  };
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(pool.Submit(task));
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return running == 3; });
  }
  EXPECT_EQ(pool.Threads(), 3u);
  {
    std::lock_guard<std::mutex> lock(mu);
    release = true;
  }
  cv.notify_all();
  pool.Stop();
  EXPECT_EQ(running, 5);
  EXPECT_EQ(pool.Threads(), 3u);
}

}  // namespace
}  // namespace berth::scheduler
