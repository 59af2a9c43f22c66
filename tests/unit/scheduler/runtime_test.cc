// The scheduler runtime's parts: the queue's order, backoff and
// unschedulable rules, the cache's assumed pods, the FitError message,
// profiles from settings, and node sampling.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "default_binder/default_binder.h"
#include "node_affinity/node_affinity.h"
#include "node_name/node_name.h"
#include "node_resources_fit/node_resources_fit.h"
#include "runtime/fit_error.h"
#include "runtime/profile.h"
#include "runtime/scheduler.h"
#include "runtime/scheduler_cache.h"
#include "runtime/scheduling_queue.h"
#include "taint_toleration/taint_toleration.h"
#include "tests/unit/scheduler/test_cluster.h"

namespace berth::scheduler {
namespace {

using ::testing::ElementsAre;

std::shared_ptr<PodInfo> Named(const std::string& name, int priority = 0) {
  auto p = std::make_shared<PodInfo>();
  p->ns = "default";
  p->name = name;
  p->priority = priority;
  return p;
}

TEST(SchedulingQueueTest, PopsByPriorityThenArrival) {
  SchedulingQueue q;
  q.AddOrUpdate(Named("low-1", 0));
  q.AddOrUpdate(Named("high", 10));
  q.AddOrUpdate(Named("low-2", 0));
  EXPECT_EQ(q.Pop()->pod->name, "high");
  EXPECT_EQ(q.Pop()->pod->name, "low-1");
  EXPECT_EQ(q.Pop()->pod->name, "low-2");
}

TEST(SchedulingQueueTest, UnschedulablePodWaitsForAClusterEvent) {
  SchedulingQueue q;
  q.AddOrUpdate(Named("p"));
  auto qp = q.Pop();
  ASSERT_TRUE(qp.has_value());
  q.AddUnschedulable(*qp);
  EXPECT_EQ(q.UnschedulableSize(), 1u);
  EXPECT_EQ(q.ActiveSize(), 0u);
  // A node was added: the pod backs off (1 s after its attempt), then is
  // active again.
  q.MoveAllToActiveOrBackoff();
  EXPECT_EQ(q.UnschedulableSize(), 0u);
  EXPECT_EQ(q.BackoffSize(), 1u);
  q.FlushForTest(Clock::now() + std::chrono::seconds(2));
  EXPECT_EQ(q.ActiveSize(), 1u);
  auto again = q.Pop();
  EXPECT_EQ(again->attempts, 2);
}

TEST(SchedulingQueueTest, EventDuringTheAttemptSendsThePodToBackoff) {
  SchedulingQueue q;
  q.AddOrUpdate(Named("p"));
  auto qp = q.Pop();
  q.MoveAllToActiveOrBackoff();  // e.g. a node added while it was scheduled
  q.AddUnschedulable(*qp);
  EXPECT_EQ(q.UnschedulableSize(), 0u);
  EXPECT_EQ(q.BackoffSize(), 1u);
}

TEST(SchedulingQueueTest, BackoffDoublesUpToTenSeconds) {
  SchedulingQueue q;
  q.AddOrUpdate(Named("p"));
  QueuedPod qp = *q.Pop();
  for (int i = 0; i < 6; ++i) {
    q.AddBackoff(qp);
    Clock::time_point queued = Clock::now();
    q.FlushForTest(queued + std::chrono::milliseconds(900));
    ASSERT_EQ(q.ActiveSize(), 0u) << "attempt " << qp.attempts;
    int64_t want_s = std::min<int64_t>(10, int64_t{1} << (qp.attempts - 1));
    q.FlushForTest(queued + std::chrono::seconds(want_s) +
                   std::chrono::milliseconds(100));
    ASSERT_EQ(q.ActiveSize(), 1u) << "attempt " << qp.attempts;
    if (want_s > 1) {
      EXPECT_EQ(q.BackoffSize(), 0u);
    }
    qp = *q.Pop();
  }
  EXPECT_EQ(qp.attempts, 7);
}

TEST(SchedulingQueueTest, UpdateMovesAnUnschedulablePodAndDeleteForgetsIt) {
  SchedulingQueue q;
  q.AddOrUpdate(Named("p"));
  q.AddUnschedulable(*q.Pop());
  q.AddOrUpdate(Named("p"));  // e.g. its tolerations were edited
  EXPECT_EQ(q.ActiveSize(), 1u);
  q.Delete("default/p");
  EXPECT_EQ(q.ActiveSize(), 0u);
  q.Close();
  EXPECT_FALSE(q.Pop().has_value());
}

TEST(SchedulerCacheTest, AssumedPodHoldsResourcesUntilConfirmedOrExpired) {
  SchedulerCache cache(std::chrono::milliseconds(0));
  cache.AddOrUpdateNode(Node(R"({"metadata":{"name":"n1"},
    "status":{"allocatable":{"cpu":"2","pods":"10"}}})"));
  auto pod =
      Pod(R"({"metadata":{"name":"p","namespace":"d"},"spec":{"containers":[
    {"name":"c","resources":{"requests":{"cpu":"1"}}}]}})");
  pod->node_name = "n1";
  cache.AssumePod(pod);
  {
    auto lock = cache.Lock();
    EXPECT_EQ(cache.NodesLocked()[0]->requested.milli_cpu, 1000);
  }
  EXPECT_TRUE(cache.IsAssumed("d/p"));
  // Binding not finished: never expires.
  EXPECT_EQ(cache.CleanupExpired(SchedulerCache::Clock::now()), 0u);
  cache.FinishBinding("d/p");
  cache.AddOrUpdateBoundPod(pod);  // the watch shows it bound
  EXPECT_FALSE(cache.IsAssumed("d/p"));
  EXPECT_EQ(cache.CleanupExpired(SchedulerCache::Clock::now() +
                                 std::chrono::seconds(1)),
            0u);
  // A second pod assumed and never confirmed expires.
  auto other = std::make_shared<PodInfo>(*pod);
  other->name = "q";
  cache.AssumePod(other);
  cache.FinishBinding("d/q");
  EXPECT_EQ(cache.CleanupExpired(SchedulerCache::Clock::now() +
                                 std::chrono::seconds(1)),
            1u);
  auto lock = cache.Lock();
  EXPECT_EQ(cache.NodesLocked()[0]->requested.milli_cpu, 1000);
  EXPECT_EQ(cache.NodesLocked()[0]->pods.size(), 1u);
}

TEST(SchedulerCacheTest, ForgetReleasesAndHeartbeatsAreNotChanges) {
  SchedulerCache cache;
  const std::string node = R"({"metadata":{"name":"n1"},
    "status":{"allocatable":{"cpu":"2"}}})";
  EXPECT_TRUE(cache.AddOrUpdateNode(Node(node)));
  EXPECT_FALSE(cache.AddOrUpdateNode(Node(node)));
  auto pod = Named("p");
  pod->node_name = "n1";
  pod->requests.milli_cpu = 500;
  cache.AssumePod(pod);
  cache.ForgetPod("default/p");
  EXPECT_FALSE(cache.Has("default/p"));
  auto lock = cache.Lock();
  EXPECT_EQ(cache.NodesLocked()[0]->requested.milli_cpu, 0);
}

TEST(FitErrorTest, CountsReasonsAndSortsThemAsKubeScheduler) {
  std::map<std::string, SchedulingStatus> r;
  r["n1"] = SchedulingStatus::Unschedulable("Insufficient cpu");
  r["n2"] = SchedulingStatus::Unschedulable("Insufficient cpu");
  r["n2"].AddReason("Insufficient memory");
  r["n3"] = SchedulingStatus::Unresolvable(
      "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: "
      "}");
  EXPECT_EQ(FitErrorMessage(3, r),
            "0/3 nodes are available: 1 Insufficient memory, 1 node(s) had "
            "untolerated taint {node-role.kubernetes.io/control-plane: }, 2 "
            "Insufficient cpu.");
  EXPECT_EQ(FitErrorMessage(0, {}), "no nodes available to schedule pods");
}

TEST(NodeSamplingTest, MatchesKubeSchedulerNumFeasibleNodesToFind) {
  EXPECT_EQ(NumFeasibleNodesToFind(0, 50), 50u);
  EXPECT_EQ(NumFeasibleNodesToFind(0, 1000), 420u);   // 50 - 8 = 42%
  EXPECT_EQ(NumFeasibleNodesToFind(0, 5000), 500u);   // 50 - 40 = 10%
  EXPECT_EQ(NumFeasibleNodesToFind(0, 10000), 500u);  // at least 5%
  EXPECT_EQ(NumFeasibleNodesToFind(0, 150), 100u);    // at least 100
  EXPECT_EQ(NumFeasibleNodesToFind(100, 5000), 5000u);
  EXPECT_EQ(NumFeasibleNodesToFind(30, 5000), 1500u);
}

class ProfileTest : public ::testing::Test {
 protected:
  StatusOr<std::vector<Profile>> Build(const std::string& settings) {
    auto d = ParseJson(settings);
    EXPECT_TRUE(d.ok());
    return BuildProfiles(*d, registered_, cluster_);
  }
  static std::vector<std::string> Names(
      const std::vector<std::shared_ptr<SchedulerPlugin>>& ps) {
    std::vector<std::string> out;
    for (const auto& p : ps) out.push_back(p->Name());
    return out;
  }
  TestCluster cluster_;
  std::vector<std::shared_ptr<SchedulerPlugin>> registered_ = {
      std::make_shared<NodeName>(), std::make_shared<TaintToleration>(),
      std::make_shared<NodeAffinity>(), std::make_shared<NodeResourcesFit>(),
      std::make_shared<DefaultBinder>()};
};

TEST_F(ProfileTest, DefaultProfileHasKubeSchedulerDefaultsAndWeights) {
  auto ps = Build("{}");
  ASSERT_TRUE(ps.ok()) << ps.status().message();
  ASSERT_EQ(ps->size(), 1u);
  const Profile& p = (*ps)[0];
  EXPECT_EQ(p.scheduler_name, "default-scheduler");
  EXPECT_THAT(Names(p.filter), ElementsAre("NodeName", "TaintToleration",
                                           "NodeAffinity", "NodeResourcesFit"));
  ASSERT_EQ(p.score.size(), 3u);
  EXPECT_EQ(p.score[0].plugin->Name(), "TaintToleration");
  EXPECT_EQ(p.score[0].weight, 3);
  EXPECT_EQ(p.score[1].weight, 2);
  EXPECT_EQ(p.score[2].weight, 1);
  EXPECT_THAT(Names(p.bind), ElementsAre("DefaultBinder"));
}

TEST_F(ProfileTest, ProfilesDisableEnableAndReweight) {
  auto ps = Build(R"({"profiles":[{"schedulerName":"default-scheduler"},
    {"schedulerName":"packer","plugins":{
       "filter":{"disabled":[{"name":"TaintToleration"}]},
       "score":{"disabled":[{"name":"*"}],"enabled":[{"name":"NodeResourcesFit","weight":5}]}},
     "pluginConfig":[{"name":"NodeResourcesFit","args":{"scoringStrategy":{"type":"MostAllocated"}}}]}]})");
  ASSERT_TRUE(ps.ok()) << ps.status().message();
  ASSERT_EQ(ps->size(), 2u);
  const Profile& packer = (*ps)[1];
  EXPECT_EQ(packer.scheduler_name, "packer");
  EXPECT_THAT(Names(packer.filter),
              ElementsAre("NodeName", "NodeAffinity", "NodeResourcesFit"));
  ASSERT_EQ(packer.score.size(), 1u);
  EXPECT_EQ(packer.score[0].weight, 5);
}

TEST_F(ProfileTest, RefusesUnknownPluginsBadArgsAndDuplicateNames) {
  EXPECT_FALSE(
      Build(
          R"({"profiles":[{"plugins":{"filter":{"enabled":[{"name":"Nope"}]}}}]})")
          .ok());
  EXPECT_FALSE(
      Build(R"({"profiles":[{"pluginConfig":[{"name":"NodeResourcesFit",
    "args":{"scoringStrategy":{"type":"Bogus"}}}]}]})")
          .ok());
  EXPECT_FALSE(
      Build(R"({"profiles":[{"schedulerName":"a"},{"schedulerName":"a"}]})")
          .ok());
  EXPECT_FALSE(
      Build(
          R"({"profiles":[{"plugins":{"bind":{"disabled":[{"name":"*"}]}}}]})")
          .ok());
}

}  // namespace
}  // namespace berth::scheduler
