#include "label_selector.h"

#include <gtest/gtest.h>

#include "tests/unit/core/test_util.h"

namespace berth::workloads {
namespace {

using core::Parse;

TEST(LabelSelector, RendersTheListQuery) {
  JsonDoc s = Parse(
      R"({"matchLabels":{"tier":"fe","app":"web"},"matchExpressions":[)"
      R"({"key":"env","operator":"In","values":["prod","dev"]},)"
      R"({"key":"gone","operator":"DoesNotExist"},{"key":"has","operator":"Exists"}]})");
  EXPECT_EQ(*SelectorString(&s), "app=web,tier=fe,env in (dev,prod),!gone,has");
  JsonDoc bad = Parse(
      R"({"matchExpressions":[{"key":"a","operator":"Near","values":["b"]}]})");
  EXPECT_FALSE(SelectorString(&bad).ok());
}

TEST(LabelSelector, MatchesLabelsAndEmptyMatchesNothing) {
  JsonDoc s = Parse(
      R"({"matchLabels":{"app":"web"},"matchExpressions":[{"key":"env","operator":"NotIn","values":["dev"]}]})");
  JsonDoc yes = Parse(R"({"app":"web","env":"prod"})");
  JsonDoc no = Parse(R"({"app":"web","env":"dev"})");
  EXPECT_TRUE(SelectorMatches(&s, &yes));
  EXPECT_FALSE(SelectorMatches(&s, &no));
  EXPECT_FALSE(SelectorMatches(&s, nullptr));
  JsonDoc empty = Parse("{}");
  EXPECT_FALSE(SelectorMatches(&empty, &yes));
}

TEST(LabelSelector, GoRendering) {
  JsonDoc s = Parse(R"({"matchLabels":{"b":"2","a":"1"}})");
  EXPECT_EQ(GoLabelSelector(&s),
            "v1.LabelSelector{MatchLabels:map[string]string{\"a\":\"1\", "
            "\"b\":\"2\"}, MatchExpressions:[]v1.LabelSelectorRequirement("
            "nil)}");
  EXPECT_EQ(GoStringMap(nullptr), "map[string]string(nil)");
}

}  // namespace
}  // namespace berth::workloads
