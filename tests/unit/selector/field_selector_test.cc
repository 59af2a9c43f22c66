#include "kernel/api/selector/field_selector.h"

#include <gtest/gtest.h>

namespace berth::selector {
namespace {

FieldSelector MustParse(const std::string& text) {
  StatusOr<FieldSelector> s = FieldSelector::Parse(text);
  EXPECT_TRUE(s.ok()) << text << ": " << s.status().ToString();
  return s.ok() ? *s : FieldSelector();
}

TEST(FieldSelectorTest, ParsesOperators) {
  EXPECT_EQ(MustParse("a=b").String(), "a=b");
  EXPECT_EQ(MustParse("a==b").String(), "a=b");
  EXPECT_EQ(MustParse("a!=b").String(), "a!=b");
  EXPECT_EQ(MustParse("x=a,y=b").String(), "x=a,y=b");
  EXPECT_EQ(MustParse("y=b,x=a").String(), "x=a,y=b");
  EXPECT_EQ(MustParse("").String(), "");
  EXPECT_TRUE(MustParse("").Empty());
  EXPECT_EQ(MustParse("a=").String(), "a=");
  EXPECT_EQ(MustParse("a=b,,c=d").String(), "a=b,c=d");
}

TEST(FieldSelectorTest, EscapedValues) {
  FieldSelector s = MustParse(R"(a=b\,c\=d\\e)");
  ASSERT_EQ(s.terms().size(), 1u);
  EXPECT_EQ(s.terms()[0].value, R"(b,c=d\e)");
  EXPECT_EQ(s.String(), R"(a=b\,c\=d\\e)");
  EXPECT_TRUE(s.Matches({{"a", R"(b,c=d\e)"}}));
}

TEST(FieldSelectorTest, RejectsMalformed) {
  StatusOr<FieldSelector> s = FieldSelector::Parse("a");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kBadRequest);
  EXPECT_EQ(s.status().message(),
            "invalid selector: 'a'; can't understand 'a'");
  s = FieldSelector::Parse(R"(a=b\x)");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(),
            "invalid field selector: invalid escape sequence: \\x");
  s = FieldSelector::Parse("a=b=c");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(),
            "invalid field selector: unescaped character in value: 61");
  EXPECT_FALSE(FieldSelector::Parse("a=b\\").ok());
}

TEST(FieldSelectorTest, Matches) {
  Fields pod = {{"metadata.name", "web-1"},
                {"spec.nodeName", "n1"},
                {"status.phase", "Running"}};
  EXPECT_TRUE(MustParse("spec.nodeName=n1").Matches(pod));
  EXPECT_FALSE(MustParse("spec.nodeName=n2").Matches(pod));
  EXPECT_TRUE(MustParse("status.phase!=Failed,spec.nodeName==n1").Matches(pod));
  EXPECT_FALSE(MustParse("status.phase!=Running").Matches(pod));
  // kubectl's unscheduled-pods query: a missing field is "".
  EXPECT_TRUE(MustParse("spec.nodeName=").Matches({}));
  EXPECT_FALSE(MustParse("spec.nodeName=").Matches(pod));
  EXPECT_TRUE(MustParse("spec.schedulerName!=x").Matches(pod));
}

TEST(FieldSelectorTest, FieldNamesAndExactMatch) {
  FieldSelector s = MustParse(
      "status.phase!=Failed,spec.nodeName=n1,"
      "spec.nodeName!=n2");
  EXPECT_EQ(s.FieldNames(),
            (std::vector<std::string>{"spec.nodeName", "status.phase"}));
  EXPECT_EQ(s.RequiresExactMatch("spec.nodeName"), "n1");
  EXPECT_EQ(s.RequiresExactMatch("status.phase"), std::nullopt);
}

}  // namespace
}  // namespace berth::selector
