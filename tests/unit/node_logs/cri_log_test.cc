#include "logs/cri_log.h"

#include <gtest/gtest.h>

namespace berth::node {
namespace {

TEST(CriLogTest, ParsesRecords) {
  auto r =
      ParseCriLogLine("2026-01-02T15:04:05.123456789Z stdout F hello world");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->stream, "stdout");
  EXPECT_FALSE(r->partial);
  EXPECT_EQ(r->text, "hello world");
  EXPECT_EQ(FormatRfc3339Nano(r->time_ns), "2026-01-02T15:04:05.123456789Z");
  auto p = ParseCriLogLine("2026-01-02T15:04:05Z stderr P part");
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->partial);
  EXPECT_EQ(p->stream, "stderr");
  auto empty = ParseCriLogLine("2026-01-02T15:04:05Z stdout F ");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->text, "");
  EXPECT_FALSE(ParseCriLogLine("garbage"));
  EXPECT_FALSE(ParseCriLogLine("2026-01-02T15:04:05Z stdin F x"));
}

TEST(CriLogTest, Rfc3339LikeGo) {
  EXPECT_EQ(*ParseRfc3339("1970-01-01T00:00:01Z"), 1000000000);
  EXPECT_EQ(*ParseRfc3339("1970-01-01T01:00:00+01:00"), 0);
  EXPECT_EQ(*ParseRfc3339("1970-01-01T00:00:00.5Z"), 500000000);
  EXPECT_FALSE(ParseRfc3339("1970-01-01 00:00:00Z"));
  EXPECT_EQ(FormatRfc3339Nano(1500000000), "1970-01-01T00:00:01.5Z");
  EXPECT_EQ(FormatRfc3339Nano(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatCriLogLine(0, "stdout", true, "x"),
            "1970-01-01T00:00:00Z stdout P x\n");
}

}  // namespace
}  // namespace berth::node
