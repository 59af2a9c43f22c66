// The sim's work queue: one copy of a key, never two workers on one key.
#include "key_queue.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace berth::kubelet {
namespace {

TEST(KeyQueue, AddTwiceQueuesOnce) {
  KeyQueue q;
  q.Add("a");
  q.Add("a");
  q.Add("b");
  std::string k;
  ASSERT_TRUE(q.Get(&k));
  EXPECT_EQ(k, "a");
  ASSERT_TRUE(q.Get(&k));
  EXPECT_EQ(k, "b");
  q.Done("a");
  q.Done("b");
  q.ShutDown();
  EXPECT_FALSE(q.Get(&k));
}

TEST(KeyQueue, AddDuringProcessingComesBackAfterDone) {
  KeyQueue q;
  q.Add("a");
  std::string k;
  ASSERT_TRUE(q.Get(&k));
  q.Add("a");  // not handed out while "a" is processed
  q.Add("b");
  std::string next;
  ASSERT_TRUE(q.Get(&next));
  EXPECT_EQ(next, "b");
  q.Done("b");
  q.Done("a");
  ASSERT_TRUE(q.Get(&next));
  EXPECT_EQ(next, "a");
}

TEST(KeyQueue, AddAfterDelivers) {
  KeyQueue q;
  q.AddAfter("later", std::chrono::milliseconds(1));
  std::string k;
  ASSERT_TRUE(q.Get(&k));  // blocks until due
  EXPECT_EQ(k, "later");
}

// Two requeues of one key (a sync's back-off, then another sync's) make
// one: the second does not come due while the first is processed and sync
// the key again at once (which hid a pod's ErrImagePull behind
// ImagePullBackOff right after the pull failed).
TEST(KeyQueue, AKeyWaitsOnceAtItsEarliestTime) {
  KeyQueue q;
  q.AddAfter("a", std::chrono::milliseconds(1));
  q.AddAfter("a", std::chrono::milliseconds(20));
  std::string k;
  ASSERT_TRUE(q.Get(&k));
  EXPECT_EQ(k, "a");
  // Long enough for the 20 ms requeue to be due, had it been kept.
  std::this_thread::sleep_for(std::chrono::milliseconds(40));
  q.Done("a");
  q.Add("b");
  ASSERT_TRUE(q.Get(&k));  // a kept 20 ms requeue would queue "a" here
  EXPECT_EQ(k, "b");
  q.Add("c");
  ASSERT_TRUE(q.Get(&k));
  EXPECT_EQ(k, "c");
}

}  // namespace
}  // namespace berth::kubelet
