#include "kernel/api/server/deletion_propagation.h"

#include <gtest/gtest.h>

namespace berth::api {
namespace {

using V = std::vector<std::string>;

TEST(DeletionPropagation, ParsesPoliciesAndTheDeprecatedFlag) {
  EXPECT_EQ(*ParsePropagation("", std::nullopt), Propagation::kUnset);
  EXPECT_EQ(*ParsePropagation("Background", std::nullopt),
            Propagation::kBackground);
  EXPECT_EQ(*ParsePropagation("Foreground", std::nullopt),
            Propagation::kForeground);
  EXPECT_EQ(*ParsePropagation("Orphan", std::nullopt), Propagation::kOrphan);
  EXPECT_EQ(*ParsePropagation("", true), Propagation::kOrphan);
  EXPECT_EQ(*ParsePropagation("", false), Propagation::kBackground);
}

TEST(DeletionPropagation, RefusesUnknownPolicyAndBothOptions) {
  auto bad = ParsePropagation("Sideways", std::nullopt);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Status::Code::kInvalid);
  EXPECT_NE(bad.status().message().find("supported values"), std::string::npos)
      << bad.status().message();
  auto both = ParsePropagation("Orphan", true);
  ASSERT_FALSE(both.ok());
  EXPECT_EQ(both.status().code(), Status::Code::kInvalid);
}

TEST(DeletionPropagation, PolicyBecomesFinalizers) {
  const V user = {"example.com/hold"};
  EXPECT_EQ(FinalizersForDeletion(user, Propagation::kForeground),
            (V{"example.com/hold", "foregroundDeletion"}));
  EXPECT_EQ(FinalizersForDeletion(user, Propagation::kOrphan),
            (V{"example.com/hold", "orphan"}));
  EXPECT_EQ(FinalizersForDeletion(user, Propagation::kBackground), user);
  EXPECT_EQ(FinalizersForDeletion({}, Propagation::kUnset), V{});
}

TEST(DeletionPropagation, NewPolicyReplacesTheOldOne) {
  EXPECT_EQ(FinalizersForDeletion({"foregroundDeletion"}, Propagation::kOrphan),
            V{"orphan"});
  EXPECT_EQ(FinalizersForDeletion({"orphan", "x"}, Propagation::kForeground),
            (V{"x", "foregroundDeletion"}));
  EXPECT_EQ(
      FinalizersForDeletion({"foregroundDeletion"}, Propagation::kBackground),
      V{});
  // No policy given: the earlier choice stands.
  EXPECT_EQ(FinalizersForDeletion({"foregroundDeletion"}, Propagation::kUnset),
            V{"foregroundDeletion"});
}

}  // namespace
}  // namespace berth::api
