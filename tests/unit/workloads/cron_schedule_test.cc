#include "cron_schedule.h"

#include <gtest/gtest.h>

#include "age.h"
#include "owned_objects.h"

namespace berth::workloads {
namespace {

CronSchedule::TimePoint At(const std::string& text) {
  auto t = core::ParseTimestamp(text);
  EXPECT_TRUE(t.has_value()) << text;
  return t.value_or(CronSchedule::TimePoint{});
}

// The next activation after `after` as RFC 3339 text, "none" if none.
std::string Next(const std::string& spec, const std::string& after,
                 const std::string& zone = "") {
  auto s = CronSchedule::Parse(spec, zone);
  EXPECT_TRUE(s.ok()) << spec << ": " << s.status().message();
  if (!s.ok()) return "parse error";
  auto next = s->Next(At(after));
  return next ? FormatTimestamp(*next) : "none";
}

std::string ParseError(const std::string& spec) {
  auto s = CronSchedule::Parse(spec);
  return s.ok() ? "ok" : s.status().message();
}

TEST(CronSchedule, EveryMinuteFiresAtTheNextWholeMinute) {
  EXPECT_EQ(Next("*/1 * * * *", "2026-11-22T03:04:05Z"),
            "2026-11-22T03:05:00Z");
  EXPECT_EQ(Next("* * * * *", "2026-11-22T03:05:00Z"), "2026-11-22T03:06:00Z");
}

TEST(CronSchedule, RangesStepsAndLists) {
  EXPECT_EQ(Next("*/15 * * * *", "2026-11-22T03:16:00Z"),
            "2026-11-22T03:30:00Z");
  EXPECT_EQ(Next("5,35 9-17/4 * * *", "2026-11-22T09:40:00Z"),
            "2026-11-22T13:05:00Z");
  // "a/n" means from a to the maximum, every n.
  EXPECT_EQ(Next("50/5 * * * *", "2026-11-22T03:56:00Z"),
            "2026-11-22T04:50:00Z");
  EXPECT_EQ(Next("0 0 1 1 *", "2026-11-22T00:00:00Z"), "2027-01-01T00:00:00Z");
}

TEST(CronSchedule, MonthAndWeekdayNames) {
  // 2026-11-22 is a Sunday.
  EXPECT_EQ(Next("30 8 * * MON-FRI", "2026-11-22T12:00:00Z"),
            "2026-11-23T08:30:00Z");
  EXPECT_EQ(Next("0 12 1 jun *", "2026-11-22T12:00:00Z"),
            "2027-06-01T12:00:00Z");
  // 7 is Sunday as well as 0.
  EXPECT_EQ(Next("0 0 * * 7", "2026-11-23T00:00:00Z"), "2026-11-29T00:00:00Z");
}

TEST(CronSchedule, DayOfMonthOrDayOfWeekWhenBothRestricted) {
  // The 1st of the month or any Friday, whichever comes first.
  EXPECT_EQ(Next("0 0 1 * FRI", "2026-11-22T00:00:00Z"),
            "2026-11-27T00:00:00Z");
  // With the weekday a star, only the day of month counts.
  EXPECT_EQ(Next("0 0 1 * *", "2026-11-22T00:00:00Z"), "2026-12-01T00:00:00Z");
}

TEST(CronSchedule, Descriptors) {
  EXPECT_EQ(Next("@hourly", "2026-11-22T03:04:05Z"), "2026-11-22T04:00:00Z");
  EXPECT_EQ(Next("@daily", "2026-11-22T03:04:05Z"), "2026-11-23T00:00:00Z");
  EXPECT_EQ(Next("@midnight", "2026-11-22T03:04:05Z"), "2026-11-23T00:00:00Z");
  EXPECT_EQ(Next("@weekly", "2026-11-23T03:04:05Z"), "2026-11-29T00:00:00Z");
  EXPECT_EQ(Next("@monthly", "2026-11-22T03:04:05Z"), "2026-12-01T00:00:00Z");
  EXPECT_EQ(Next("@yearly", "2026-11-22T03:04:05Z"), "2027-01-01T00:00:00Z");
  EXPECT_EQ(Next("@annually", "2026-11-22T03:04:05Z"), "2027-01-01T00:00:00Z");
}

TEST(CronSchedule, ImpossibleDateHasNoNextTime) {
  EXPECT_EQ(Next("0 0 30 2 *", "2026-11-22T00:00:00Z"), "none");
  // Leap day: the next 29 February.
  EXPECT_EQ(Next("0 0 29 2 *", "2026-11-22T00:00:00Z"), "2028-02-29T00:00:00Z");
}

TEST(CronSchedule, RejectsBadSpecsWithRobfigWording) {
  EXPECT_EQ(ParseError("* * *"), "expected exactly 5 fields, found 3: [* * *]");
  EXPECT_EQ(ParseError("0-70 * * * *"),
            "end of range (70) above maximum (59): 0-70");
  EXPECT_EQ(ParseError("* * 0 * *"),
            "beginning of range (0) below minimum (1): 0");
  EXPECT_EQ(ParseError("5-1 * * * *"),
            "beginning of range (5) beyond end of range (1): 5-1");
  EXPECT_EQ(ParseError("*/0 * * * *"),
            "step of range should be a positive number: */0");
  EXPECT_EQ(ParseError("x * * * *"), "failed to parse int from x");
  EXPECT_EQ(ParseError("@sometimes"), "unrecognized descriptor: @sometimes");
}

TEST(CronSchedule, TimeZoneShiftsTheScheduleAndFollowsDaylightSaving) {
  if (!CronSchedule::Parse("* * * * *", "America/New_York").ok()) {
    GTEST_SKIP() << "no zoneinfo for America/New_York on this machine";
  }
  // 09:00 in New York is 14:00 UTC in winter (EST) ...
  EXPECT_EQ(Next("0 9 * * *", "2026-11-22T12:00:00Z", "America/New_York"),
            "2026-11-22T14:00:00Z");
  // ... and 13:00 UTC in summer (EDT).
  EXPECT_EQ(Next("0 9 * * *", "2026-07-01T12:00:00Z", "America/New_York"),
            "2026-07-01T13:00:00Z");
  EXPECT_EQ(Next("0 9 * * *", "2026-11-22T12:00:00Z", "UTC"),
            "2026-11-23T09:00:00Z");
}

TEST(CronSchedule, UnknownTimeZoneIsNotFound) {
  auto s = CronSchedule::Parse("* * * * *", "Mars/Olympus_Mons");
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.status().IsNotFound());
  EXPECT_FALSE(CronSchedule::Parse("* * * * *", "../../etc/passwd").ok());
}

}  // namespace
}  // namespace berth::workloads
