// The sim's work queue: one copy of a key, never two workers on one key.
#include "key_queue.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace berth::kubelet
