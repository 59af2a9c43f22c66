#include "kernel/controller/workqueue.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <string>

#include "kernel/controller/rate_limiter.h"

namespace berth {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

std::string MustGet(WorkQueue& q) {
  std::string key;
  EXPECT_TRUE(q.Get(&key));
  return key;
}

TEST(WorkQueueTest, HandsOutKeysInOrderOnceEach) {
  WorkQueue q;
  q.Add("a");
  q.Add("b");
  q.Add("a");
  q.Add("a");
  EXPECT_EQ(q.Len(), 2u);
  EXPECT_EQ(MustGet(q), "a");
  EXPECT_EQ(MustGet(q), "b");
  EXPECT_EQ(q.Len(), 0u);
}

TEST(WorkQueueTest, AddDuringProcessingComesBackAfterDone) {
  WorkQueue q;
  q.Add("a");
  ASSERT_EQ(MustGet(q), "a");
  q.Add("a");
  q.Add("a");
  EXPECT_EQ(q.Len(), 0u);  // not handed out while processing
  q.Done("a");
  EXPECT_EQ(q.Len(), 1u);
  EXPECT_EQ(MustGet(q), "a");
  q.Done("a");
  EXPECT_EQ(q.Len(), 0u);
}

TEST(WorkQueueTest, NeverHandsOneKeyToTwoWorkers) {
  WorkQueue q;
  q.Add("a");
  ASSERT_EQ(MustGet(q), "a");
  q.Add("a");
  auto second = std::async(std::launch::async, [&] { return MustGet(q); });
  EXPECT_EQ(second.wait_for(milliseconds(50)), std::future_status::timeout);
  q.Done("a");
  ASSERT_EQ(second.wait_for(milliseconds(5000)), std::future_status::ready);
  EXPECT_EQ(second.get(), "a");
}

TEST(WorkQueueTest, AddAfterWaitsAndKeepsTheEarliestTime) {
  WorkQueue q;
  Clock::time_point start = Clock::now();
  q.AddAfter("a", milliseconds(500));
  q.AddAfter("a", milliseconds(40));
  q.AddAfter("a", milliseconds(300));
  EXPECT_EQ(q.Len(), 0u);
  EXPECT_EQ(MustGet(q), "a");
  auto waited = Clock::now() - start;
  EXPECT_GE(waited, milliseconds(40));
  EXPECT_LT(waited, milliseconds(300));
  q.Done("a");
  EXPECT_EQ(q.Len(), 0u);
}

TEST(WorkQueueTest, DelayedKeyWakesAWaitingWorker) {
  WorkQueue q;
  auto got = std::async(std::launch::async, [&] { return MustGet(q); });
  std::this_thread::sleep_for(milliseconds(20));  // let it block in Get
  q.AddAfter("late", milliseconds(30));
  ASSERT_EQ(got.wait_for(milliseconds(5000)), std::future_status::ready);
  EXPECT_EQ(got.get(), "late");
}

TEST(WorkQueueTest, ShutDownWakesGetAndDropsKeys) {
  WorkQueue q;
  auto got = std::async(std::launch::async, [&] {
    std::string key;
    return q.Get(&key);
  });
  std::this_thread::sleep_for(milliseconds(20));
  q.ShutDown();
  ASSERT_EQ(got.wait_for(milliseconds(5000)), std::future_status::ready);
  EXPECT_FALSE(got.get());
  EXPECT_TRUE(q.ShuttingDown());
  q.Add("a");
  std::string key;
  EXPECT_FALSE(q.Get(&key));
}

TEST(WorkQueueTest, AddRateLimitedBacksOffPerKey) {
  WorkQueue q(milliseconds(20), milliseconds(1000));
  Clock::time_point last = Clock::now();
  for (int attempt = 0; attempt < 3; ++attempt) {
    q.AddRateLimited("a");
    EXPECT_EQ(MustGet(q), "a");
    Clock::time_point now = Clock::now();
    EXPECT_GE(now - last, milliseconds(20 << attempt)) << attempt;
    last = now;
    q.Done("a");
  }
  EXPECT_EQ(q.NumRequeues("a"), 3);
  EXPECT_EQ(q.NumRequeues("b"), 0);
  q.Forget("a");
  EXPECT_EQ(q.NumRequeues("a"), 0);
}

TEST(ItemBackoffTest, DoublesFromFiveMillisecondsUpToTheCap) {
  ItemBackoff backoff;
  EXPECT_EQ(backoff.When("a"), milliseconds(5));
  EXPECT_EQ(backoff.When("a"), milliseconds(10));
  EXPECT_EQ(backoff.When("a"), milliseconds(20));
  EXPECT_EQ(backoff.When("a"), milliseconds(40));
  EXPECT_EQ(backoff.When("b"), milliseconds(5));  // per key
  for (int i = 0; i < 100; ++i) backoff.When("a");
  EXPECT_EQ(backoff.When("a"), milliseconds(1000 * 1000));
  EXPECT_EQ(backoff.NumRequeues("a"), 105);
  backoff.Forget("a");
  EXPECT_EQ(backoff.NumRequeues("a"), 0);
  EXPECT_EQ(backoff.When("a"), milliseconds(5));
}

}  // namespace
}  // namespace berth
