#include "stateful_set_plan.h"

#include <gtest/gtest.h>

namespace berth::workloads {
namespace {

StatefulPod Pod(int64_t ordinal, bool ready, const std::string& rev = "r2") {
  StatefulPod p;
  p.ordinal = ordinal;
  p.running_ready = ready;
  p.revision = rev;
  return p;
}

StatefulSetPlanInput Input(int64_t replicas, std::vector<StatefulPod> pods) {
  StatefulSetPlanInput in;
  in.replicas = replicas;
  in.update_revision = "r2";
  in.pods = std::move(pods);
  return in;
}

using Ordinals = std::vector<int64_t>;

TEST(StatefulSetPlan, OrderedReadyCreatesOnePodAtATimeInOrder) {
  EXPECT_EQ(PlanStatefulSet(Input(3, {})).create, Ordinals{0});
  // 0 exists but is not Running and Ready yet: wait.
  auto plan = PlanStatefulSet(Input(3, {Pod(0, false)}));
  EXPECT_TRUE(plan.create.empty());
  EXPECT_TRUE(plan.remove.empty());
  EXPECT_EQ(PlanStatefulSet(Input(3, {Pod(0, true)})).create, Ordinals{1});
  EXPECT_EQ(PlanStatefulSet(Input(3, {Pod(0, true), Pod(1, true)})).create,
            Ordinals{2});
  plan = PlanStatefulSet(Input(3, {Pod(0, true), Pod(1, true), Pod(2, true)}));
  EXPECT_TRUE(plan.create.empty());
  EXPECT_TRUE(plan.remove.empty());
}

TEST(StatefulSetPlan, OrderedReadyRecreatesAMissingLowOrdinalFirst) {
  EXPECT_EQ(PlanStatefulSet(Input(3, {Pod(1, true), Pod(2, true)})).create,
            Ordinals{0});
}

TEST(StatefulSetPlan, ParallelCreatesAllAtOnce) {
  auto in = Input(3, {Pod(1, false)});
  in.parallel = true;
  EXPECT_EQ(PlanStatefulSet(in).create, (Ordinals{0, 2}));
}

TEST(StatefulSetPlan, ScaleDownRemovesFromTheHighestOrdinalOneAtATime) {
  auto in = Input(1, {Pod(0, true), Pod(1, true), Pod(2, true)});
  EXPECT_EQ(PlanStatefulSet(in).remove, Ordinals{2});
  // While 2 terminates, 1 waits.
  in.pods[2].terminating = true;
  EXPECT_TRUE(PlanStatefulSet(in).remove.empty());
  // Not while a kept pod is unhealthy.
  auto unhealthy = Input(1, {Pod(0, false), Pod(1, true)});
  EXPECT_TRUE(PlanStatefulSet(unhealthy).remove.empty());
  // Parallel removes them all.
  auto parallel = Input(1, {Pod(0, true), Pod(1, true), Pod(2, true)});
  parallel.parallel = true;
  EXPECT_EQ(PlanStatefulSet(parallel).remove, (Ordinals{2, 1}));
}

TEST(StatefulSetPlan, FailedPodIsDeletedToBeRecreated) {
  auto in = Input(2, {Pod(0, true), Pod(1, false)});
  in.pods[1].failed = true;
  EXPECT_EQ(PlanStatefulSet(in).remove, Ordinals{1});
}

TEST(StatefulSetPlan, RollingUpdateGoesFromTheHighestOrdinalDown) {
  auto in =
      Input(3, {Pod(0, true, "r1"), Pod(1, true, "r1"), Pod(2, true, "r1")});
  EXPECT_EQ(PlanStatefulSet(in).remove, Ordinals{2});
  // 2 recreated at the new revision but not ready: wait.
  in.pods[2] = Pod(2, false, "r2");
  EXPECT_TRUE(PlanStatefulSet(in).remove.empty());
  in.pods[2] = Pod(2, true, "r2");
  EXPECT_EQ(PlanStatefulSet(in).remove, Ordinals{1});
}

TEST(StatefulSetPlan, RollingUpdateStopsAtThePartition) {
  auto in =
      Input(3, {Pod(0, true, "r1"), Pod(1, true, "r1"), Pod(2, true, "r2")});
  in.partition = 2;
  EXPECT_TRUE(PlanStatefulSet(in).remove.empty());
  in.partition = 1;
  EXPECT_EQ(PlanStatefulSet(in).remove, Ordinals{1});
}

TEST(StatefulSetPlan, OnDeleteLeavesOldPodsAlone) {
  auto in = Input(2, {Pod(0, true, "r1"), Pod(1, true, "r1")});
  in.rolling_update = false;
  EXPECT_TRUE(PlanStatefulSet(in).remove.empty());
}

TEST(StatefulSetPlan, OrdinalOfParsesOnlyTheSetsOwnNames) {
  EXPECT_EQ(OrdinalOf("web", "web-0"), 0);
  EXPECT_EQ(OrdinalOf("web", "web-12"), 12);
  EXPECT_EQ(OrdinalOf("web", "web-x"), -1);
  EXPECT_EQ(OrdinalOf("web", "webby-1"), -1);
  EXPECT_EQ(OrdinalOf("web", "web-01"), -1);
  EXPECT_EQ(OrdinalOf("web", "web-"), -1);
}

}  // namespace
}  // namespace berth::workloads
