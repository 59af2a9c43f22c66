#include "env/expansion.h"

#include <gtest/gtest.h>

namespace berth::node {
namespace {

const EnvList kEnv = {{"VAR_A", "A"}, {"VAR_B", "B"}, {"EMPTY", ""}};

// The cases of Kubernetes' expansion_test.go that users meet.
TEST(ExpansionTest, ReplacesKnownReferences) {
  EXPECT_EQ(ExpandWithEnv("$(VAR_A)", kEnv), "A");
  EXPECT_EQ(ExpandWithEnv("___$(VAR_B)___", kEnv), "___B___");
  EXPECT_EQ(ExpandWithEnv("$(VAR_A)-$(VAR_B)", kEnv), "A-B");
  EXPECT_EQ(ExpandWithEnv("x$(EMPTY)y", kEnv), "xy");
}

TEST(ExpansionTest, KeepsUnknownAndMalformedReferences) {
  EXPECT_EQ(ExpandWithEnv("$(UNKNOWN)", kEnv), "$(UNKNOWN)");
  EXPECT_EQ(ExpandWithEnv("$(VAR_A", kEnv), "$(VAR_A");
  EXPECT_EQ(ExpandWithEnv("$VAR_A", kEnv), "$VAR_A");
  EXPECT_EQ(ExpandWithEnv("trailing $", kEnv), "trailing $");
  EXPECT_EQ(ExpandWithEnv("$()", kEnv), "$()");
}

TEST(ExpansionTest, DoubleDollarEscapes) {
  EXPECT_EQ(ExpandWithEnv("$$(VAR_A)", kEnv), "$(VAR_A)");
  EXPECT_EQ(ExpandWithEnv("$$$(VAR_A)", kEnv), "$A");
  EXPECT_EQ(ExpandWithEnv("$$$$(VAR_A)", kEnv), "$$(VAR_A)");
  EXPECT_EQ(ExpandWithEnv("cost $$5", kEnv), "cost $5");
}

TEST(ExpansionTest, ExpandCommandExpandsEachArgument) {
  EXPECT_EQ(ExpandCommand({"echo", "$(VAR_A)", "$$(VAR_B)", "$(NOPE)"}, kEnv),
            (std::vector<std::string>{"echo", "A", "$(VAR_B)", "$(NOPE)"}));
}

}  // namespace
}  // namespace berth::node
