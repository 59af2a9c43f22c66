#include "rolling_update.h"

#include <gtest/gtest.h>

#include "tests/unit/core/test_util.h"

namespace berth::workloads {
namespace {

using core::Parse;

TEST(RollingUpdate, PercentagesRoundSurgeUpAndUnavailableDown) {
  JsonDoc pct = Parse(R"("25%")");
  EXPECT_EQ(*ScaledValue(&pct, 10, true), 3);
  EXPECT_EQ(*ScaledValue(&pct, 10, false), 2);
  EXPECT_EQ(*ScaledValue(&pct, 1, true), 1);
  EXPECT_EQ(*ScaledValue(&pct, 1, false), 0);
  JsonDoc number = Parse("4");
  EXPECT_EQ(*ScaledValue(&number, 10, true), 4);
  EXPECT_EQ(*ScaledValue(nullptr, 10, true), 0);
  JsonDoc bad = Parse(R"("25")");
  EXPECT_FALSE(ScaledValue(&bad, 10, true).ok());
}

TEST(RollingUpdate, FencepostsNeverBothZero) {
  JsonDoc zero = Parse("0");
  JsonDoc zero_pct = Parse(R"("0%")");
  Fenceposts f = ResolveFenceposts(&zero, &zero_pct, 5);
  EXPECT_EQ(f.max_surge, 0);
  EXPECT_EQ(f.max_unavailable, 1);
  // 25% of 1 replica: surge rounds up to 1, unavailable down to 0.
  JsonDoc quarter = Parse(R"("25%")");
  f = ResolveFenceposts(&quarter, &quarter, 1);
  EXPECT_EQ(f.max_surge, 1);
  EXPECT_EQ(f.max_unavailable, 0);
}

TEST(RollingUpdate, NewReplicaSetGrowsWithinSurge) {
  // 5 desired, surge 1: with 5 old pods the new one may take 1.
  EXPECT_EQ(NewReplicaSetReplicas(5, 1, 5, 0), 1);
  // Already at 6 pods: no growth.
  EXPECT_EQ(NewReplicaSetReplicas(5, 1, 6, 1), 1);
  // Never beyond desired.
  EXPECT_EQ(NewReplicaSetReplicas(5, 10, 3, 3), 5);
}

TEST(RollingUpdate, OldReplicaSetsShrinkWithinUnavailability) {
  // 6 pods, 5 desired, maxUnavailable 0, the new pod not yet available:
  // nothing may go.
  EXPECT_EQ(MaxScaledDown(6, 5, 0, 1), 0);
  // The new pod is available: one old pod may go.
  EXPECT_EQ(MaxScaledDown(6, 5, 0, 0), 1);
}

TEST(RollingUpdate, ProportionalFractions) {
  // A ReplicaSet of 5 sized for 12 grows to 10 of 24 (+5 of 12 more).
  EXPECT_EQ(ReplicaSetFraction(5, 20, 24, 12), 5);
  // Scaling to zero empties it.
  EXPECT_EQ(ReplicaSetFraction(5, 0, 0, 12), -5);
}

}  // namespace
}  // namespace berth::workloads
