// EventCorrelator: which recorded events become new Events and which count
// up an existing one, with client-go's names and the ten-minute window.
#include "kernel/events/event_correlator.h"

#include <gtest/gtest.h>

#include <regex>

namespace berth::events {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

EventRecord Scheduled(const std::string& message = "assigned to n1") {
  EventRecord e;
  e.component = "default-scheduler";
  e.regarding.api_version = "v1";
  e.regarding.kind = "Pod";
  e.regarding.ns = "team";
  e.regarding.name = "web-1";
  e.regarding.uid = "uid-1";
  e.type = "Normal";
  e.reason = "Scheduled";
  e.message = message;
  return e;
}

const Clock::time_point kT0 = Clock::time_point(seconds(1800000000));

TEST(EventCorrelatorTest, FirstEventIsCreatedWithClientGoName) {
  EventCorrelator c;
  Correlation r = c.Observe(Scheduled(), kT0);
  EXPECT_TRUE(r.create);
  EXPECT_EQ(r.ns, "team");
  EXPECT_EQ(r.count, 1);
  EXPECT_EQ(r.first_timestamp, kT0);
  EXPECT_TRUE(std::regex_match(r.name, std::regex(R"(web-1\.[0-9a-f]{16})")))
      << r.name;
}

TEST(EventCorrelatorTest, RepeatWithinWindowCountsUpTheSameEvent) {
  EventCorrelator c;
  Correlation first = c.Observe(Scheduled(), kT0);
  Correlation second = c.Observe(Scheduled(), kT0 + minutes(3));
  Correlation third = c.Observe(Scheduled(), kT0 + minutes(9));
  EXPECT_FALSE(second.create);
  EXPECT_FALSE(third.create);
  EXPECT_EQ(third.name, first.name);
  EXPECT_EQ(third.count, 3);
  EXPECT_EQ(third.first_timestamp, kT0);
  EXPECT_EQ(third.last_timestamp, kT0 + minutes(9));
}

TEST(EventCorrelatorTest, RepeatAfterTheWindowIsANewEvent) {
  EventCorrelator c;
  Correlation first = c.Observe(Scheduled(), kT0);
  Correlation later = c.Observe(Scheduled(), kT0 + minutes(10));
  EXPECT_TRUE(later.create);
  EXPECT_NE(later.name, first.name);
  EXPECT_EQ(later.count, 1);
}

TEST(EventCorrelatorTest, AnotherMessageReasonTypeOrObjectIsANewEvent) {
  EventCorrelator c;
  c.Observe(Scheduled(), kT0);
  EXPECT_TRUE(c.Observe(Scheduled("assigned to n2"), kT0).create);
  EventRecord warning = Scheduled();
  warning.type = "Warning";
  EXPECT_TRUE(c.Observe(warning, kT0).create);
  EventRecord other_pod = Scheduled();
  other_pod.regarding.uid = "uid-2";
  EXPECT_TRUE(c.Observe(other_pod, kT0).create);
  EXPECT_EQ(c.size(), 4u);
}

TEST(EventCorrelatorTest, SameInstantStillGivesDistinctNames) {
  EventCorrelator c;
  Correlation a = c.Observe(Scheduled("a"), kT0);
  Correlation b = c.Observe(Scheduled("b"), kT0);
  EXPECT_NE(a.name, b.name);
}

TEST(EventCorrelatorTest, ForgetMakesTheNextRepeatNew) {
  EventCorrelator c;
  c.Observe(Scheduled(), kT0);
  c.Forget(Scheduled());
  EXPECT_TRUE(c.Observe(Scheduled(), kT0 + seconds(1)).create);
}

TEST(EventCorrelatorTest, LeastRecentlySeenEntryIsEvictedAtCapacity) {
  EventCorrelator c(minutes(10), 2);
  c.Observe(Scheduled("a"), kT0);
  c.Observe(Scheduled("b"), kT0);
  c.Observe(Scheduled("a"), kT0 + seconds(1));  // a is now the most recent
  c.Observe(Scheduled("c"), kT0 + seconds(2));  // evicts b
  EXPECT_EQ(c.size(), 2u);
  EXPECT_FALSE(c.Observe(Scheduled("a"), kT0 + seconds(3)).create);
  EXPECT_TRUE(c.Observe(Scheduled("b"), kT0 + seconds(3)).create);
}

TEST(EventCorrelatorTest, ClusterScopedObjectsGetEventsInDefault) {
  EventCorrelator c;
  EventRecord node = Scheduled();
  node.regarding.kind = "Node";
  node.regarding.ns = "";
  EXPECT_EQ(c.Observe(node, kT0).ns, "default");
}

}  // namespace
}  // namespace berth::events
