#include "deployment_conditions.h"

#include <gtest/gtest.h>

#include "tests/unit/core/test_util.h"

namespace berth::workloads {
namespace {

using core::Parse;

TEST(DeploymentConditions, SameStatusAndReasonChangesNothing) {
  JsonDoc st = Parse("{}");
  auto& a = st.GetAllocator();
  EXPECT_TRUE(SetCondition(st, kAvailable, "True", kMinimumReplicasAvailable,
                           "m", "t1", a));
  EXPECT_FALSE(SetCondition(st, kAvailable, "True", kMinimumReplicasAvailable,
                            "m", "t2", a));
  EXPECT_EQ(GetString(*GetCondition(st, kAvailable), {"lastUpdateTime"}), "t1");
}

TEST(DeploymentConditions, NewReasonKeepsTransitionTimeWhileStatusHolds) {
  JsonDoc st = Parse("{}");
  auto& a = st.GetAllocator();
  SetCondition(st, kProgressing, "True", kNewReplicaSetCreated, "m", "t1", a);
  SetCondition(st, kAvailable, "False", kMinimumReplicasUnavailable, "m", "t1",
               a);
  EXPECT_TRUE(SetCondition(st, kProgressing, "True", kNewReplicaSetAvailable,
                           "m", "t2", a));
  const Json* p = GetCondition(st, kProgressing);
  EXPECT_EQ(GetString(*p, {"lastTransitionTime"}), "t1");
  EXPECT_EQ(GetString(*p, {"lastUpdateTime"}), "t2");
  EXPECT_EQ(GetString(*p, {"reason"}), kNewReplicaSetAvailable);
  // The set condition moved to the end.
  EXPECT_EQ(GetString((*Member(st, "conditions"))[1], {"type"}), kProgressing);
  EXPECT_TRUE(SetCondition(st, kProgressing, "False", kProgressDeadlineExceeded,
                           "m", "t3", a));
  EXPECT_EQ(GetString(*GetCondition(st, kProgressing), {"lastTransitionTime"}),
            "t3");
  EXPECT_TRUE(RemoveCondition(st, kProgressing));
  EXPECT_EQ(GetCondition(st, kProgressing), nullptr);
}

}  // namespace
}  // namespace berth::workloads
