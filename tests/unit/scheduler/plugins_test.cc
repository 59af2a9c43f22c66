// The in-tree scheduler plugins, each against a small cluster, with the
// reasons and scores kube-scheduler gives.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "balanced_allocation/balanced_allocation.h"
#include "framework/quantity.h"
#include "inter_pod_affinity/inter_pod_affinity.h"
#include "node_affinity/node_affinity.h"
#include "node_name/node_name.h"
#include "node_resources_fit/node_resources_fit.h"
#include "node_unschedulable/node_unschedulable.h"
#include "pod_topology_spread/pod_topology_spread.h"
#include "taint_toleration/taint_toleration.h"
#include "tests/unit/scheduler/test_cluster.h"

namespace berth::scheduler {
namespace {

using ::testing::ElementsAre;

std::string CpuPod(const std::string& name, const std::string& cpu) {
  return R"({"metadata":{"name":")" + name +
         R"(","namespace":"default"},"spec":{"containers":[{"name":"c","resources":{"requests":{"cpu":")" +
         cpu + R"("}}}]}})";
}

TEST(QuantityTest, ParsesKubernetesSuffixes) {
  EXPECT_EQ(ParseMilli("250m"), 250);
  EXPECT_EQ(ParseMilli("2"), 2000);
  EXPECT_EQ(ParseMilli("0.5"), 500);
  EXPECT_EQ(ParseValue("64Mi"), 64 * 1024 * 1024);
  EXPECT_EQ(ParseValue("1G"), 1000000000);
  EXPECT_EQ(ParseValue("2e3"), 2000);
  EXPECT_EQ(ParseValue("100m"), 1);  // rounded up
  EXPECT_FALSE(ParseValue("abc").has_value());
  EXPECT_FALSE(ParseValue("1Qi").has_value());
}

TEST(ObjectParserTest, EffectiveRequestCountsTheLargestInitContainer) {
  auto pod = Pod(R"({"metadata":{"name":"p","namespace":"d"},"spec":{
    "initContainers":[{"name":"i","resources":{"requests":{"cpu":"2","memory":"1Gi"}}}],
    "containers":[{"name":"a","resources":{"requests":{"cpu":"500m","memory":"2Gi"}}},
                  {"name":"b","resources":{"limits":{"cpu":"1"}}}]}})");
  // max(0.5 + 1 (requests defaulted from limits), 2) cpu; max(2Gi, 1Gi).
  EXPECT_EQ(pod->requests.milli_cpu, 2000);
  EXPECT_EQ(pod->requests.memory, 2LL << 30);
  EXPECT_EQ(pod->requests.pods, 1);
  // Container b requests no memory: scoring counts 200Mi for it.
  EXPECT_EQ(pod->non_zero_requests.memory, (2LL << 30) + 200 * 1024 * 1024);
}

TEST(NodeResourcesFitTest, RejectsWithEveryShortResource) {
  TestCluster c;
  c.AddNodeJson(
      R"({"metadata":{"name":"small"},"status":{"allocatable":{"cpu":"1","memory":"1Gi","pods":"1"}}})");
  c.AddNode("big");
  c.Place(Pod(CpuPod("existing", "100m")), "small");
  auto fit = Make<NodeResourcesFit>(c);
  auto pod = Pod(CpuPod("p", "2"));
  CycleState state;
  SchedulingStatus s = fit->Filter(state, *pod, c.node(0));
  EXPECT_EQ(s.code(), SchedulingStatus::Code::kUnschedulable);
  EXPECT_THAT(s.reasons(), ElementsAre("Too many pods", "Insufficient cpu"));
  EXPECT_TRUE(fit->Filter(state, *pod, c.node(1)).ok());
}

TEST(NodeResourcesFitTest, CountsPodsAlreadyOnTheNode) {
  TestCluster c;
  c.AddNode("n");
  c.Place(Pod(CpuPod("a", "3")), "n");
  auto fit = Make<NodeResourcesFit>(c);
  EXPECT_THAT(FilterAll(*fit, *Pod(CpuPod("p", "1")), c), ElementsAre(""));
  EXPECT_THAT(FilterAll(*fit, *Pod(CpuPod("p", "1100m")), c),
              ElementsAre("Insufficient cpu"));
}

TEST(NodeResourcesFitTest, LeastAllocatedPrefersTheEmptierNode) {
  TestCluster c;
  c.AddNode("busy");
  c.AddNode("idle");
  c.Place(Pod(CpuPod("a", "3")), "busy");
  auto fit = Make<NodeResourcesFit>(c);
  auto scores = ScoreAll(*fit, *Pod(CpuPod("p", "1")), c);
  EXPECT_LT(scores[0], scores[1]);
  auto most = Make<NodeResourcesFit>(
      c, R"({"scoringStrategy":{"type":"MostAllocated"}})");
  scores = ScoreAll(*most, *Pod(CpuPod("p", "1")), c);
  EXPECT_GT(scores[0], scores[1]);
  EXPECT_FALSE(NodeResourcesFit()
                   .New(c, R"({"scoringStrategy":{"type":"Random"}})")
                   .ok());
}

TEST(BalancedAllocationTest, PrefersEqualCpuAndMemoryFractions) {
  TestCluster c;
  c.AddNode("a");
  auto pod =
      Pod(R"({"metadata":{"name":"p","namespace":"d"},"spec":{"containers":[
    {"name":"c","resources":{"requests":{"cpu":"2","memory":"4Gi"}}}]}})");
  auto skewed =
      Pod(R"({"metadata":{"name":"q","namespace":"d"},"spec":{"containers":[
    {"name":"c","resources":{"requests":{"cpu":"2","memory":"0"}}}]}})");
  auto p = Make<BalancedAllocation>(c);
  EXPECT_THAT(ScoreAll(*p, *pod, c), ElementsAre(100));    // 1/2 and 1/2
  EXPECT_THAT(ScoreAll(*p, *skewed, c), ElementsAre(75));  // 1/2 and 0
}

TEST(NodeAffinityTest, SelectorRequiredTermsAndMatchFields) {
  TestCluster c;
  c.AddNode("n1", {{"disk", "ssd"}, {"gen", "3"}});
  c.AddNode("n2", {{"disk", "hdd"}, {"gen", "5"}});
  auto p = Make<NodeAffinity>(c);
  const std::string kReason = NodeAffinity::kReason;
  EXPECT_THAT(FilterAll(*p, *Pod(R"({"metadata":{"name":"p"},
      "spec":{"nodeSelector":{"disk":"ssd"}}})"),
                        c),
              ElementsAre("", kReason));
  EXPECT_THAT(FilterAll(*p, *Pod(R"({"metadata":{"name":"p"},"spec":{"affinity":
      {"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":
      {"nodeSelectorTerms":[{"matchExpressions":[{"key":"gen","operator":"Gt","values":["4"]}]}]}}}}})"),
                        c),
              ElementsAre(kReason, ""));
  // DaemonSet pods pin their node with matchFields metadata.name.
  EXPECT_THAT(FilterAll(*p, *Pod(R"({"metadata":{"name":"p"},"spec":{"affinity":
      {"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":
      {"nodeSelectorTerms":[{"matchFields":[{"key":"metadata.name","operator":"In","values":["n2"]}]}]}}}}})"),
                        c),
              ElementsAre(kReason, ""));
  // Terms are ORed; NotIn and DoesNotExist.
  EXPECT_THAT(FilterAll(*p, *Pod(R"({"metadata":{"name":"p"},"spec":{"affinity":
      {"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":
      {"nodeSelectorTerms":[{"matchExpressions":[{"key":"disk","operator":"NotIn","values":["ssd"]}]},
                            {"matchExpressions":[{"key":"zone","operator":"DoesNotExist"},
                                                 {"key":"gen","operator":"In","values":["3"]}]}]}}}}})"),
                        c),
              ElementsAre("", ""));
}

TEST(NodeAffinityTest, PreferredTermsScoreByWeight) {
  TestCluster c;
  c.AddNode("n1", {{"disk", "ssd"}});
  c.AddNode("n2", {{"disk", "hdd"}});
  c.AddNode("n3", {});
  auto p = Make<NodeAffinity>(c);
  auto pod = Pod(R"({"metadata":{"name":"p"},"spec":{"affinity":{"nodeAffinity":
    {"preferredDuringSchedulingIgnoredDuringExecution":[
      {"weight":80,"preference":{"matchExpressions":[{"key":"disk","operator":"In","values":["ssd"]}]}},
      {"weight":20,"preference":{"matchExpressions":[{"key":"disk","operator":"Exists"}]}}]}}}})");
  EXPECT_THAT(ScoreAll(*p, *pod, c), ElementsAre(100, 20, 0));
}

TEST(TaintTolerationTest, FilterNamesTheUntoleratedTaint) {
  TestCluster c;
  c.AddNodeJson(R"({"metadata":{"name":"gpu"},"spec":{"taints":[
    {"key":"dedicated","value":"gpu","effect":"NoSchedule"}]}})");
  c.AddNodeJson(R"({"metadata":{"name":"soft"},"spec":{"taints":[
    {"key":"dedicated","value":"gpu","effect":"PreferNoSchedule"}]}})");
  auto p = Make<TaintToleration>(c);
  EXPECT_THAT(
      FilterAll(*p, *Pod(R"({"metadata":{"name":"p"}})"), c),
      ElementsAre("node(s) had untolerated taint {dedicated: gpu}", ""));
  EXPECT_THAT(
      FilterAll(*p, *Pod(R"({"metadata":{"name":"p"},"spec":{"tolerations":[
      {"key":"dedicated","operator":"Equal","value":"gpu","effect":"NoSchedule"}]}})"),
                c),
      ElementsAre("", ""));
  EXPECT_THAT(
      FilterAll(*p, *Pod(R"({"metadata":{"name":"p"},"spec":{"tolerations":[
      {"operator":"Exists"}]}})"),
                c),
      ElementsAre("", ""));
}

TEST(TaintTolerationTest, ScorePrefersNodesWithoutPreferNoScheduleTaints) {
  TestCluster c;
  c.AddNodeJson(R"({"metadata":{"name":"soft"},"spec":{"taints":[
    {"key":"a","value":"1","effect":"PreferNoSchedule"}]}})");
  c.AddNode("clean");
  auto p = Make<TaintToleration>(c);
  EXPECT_THAT(ScoreAll(*p, *Pod(R"({"metadata":{"name":"p"}})"), c),
              ElementsAre(0, 100));
}

TEST(NodeUnschedulableTest, CordonedNodesTakeOnlyTolerantPods) {
  TestCluster c;
  c.AddNodeJson(
      R"({"metadata":{"name":"cordoned"},"spec":{"unschedulable":true}})");
  auto p = Make<NodeUnschedulable>(c);
  EXPECT_THAT(FilterAll(*p, *Pod(R"({"metadata":{"name":"p"}})"), c),
              ElementsAre("node(s) were unschedulable"));
  EXPECT_THAT(
      FilterAll(*p, *Pod(R"({"metadata":{"name":"p"},"spec":{"tolerations":[
      {"key":"node.kubernetes.io/unschedulable","operator":"Exists","effect":"NoSchedule"}]}})"),
                c),
      ElementsAre(""));
}

TEST(NodeNameTest, PodNamingANodeFitsOnlyThatNode) {
  TestCluster c;
  c.AddNode("n1");
  c.AddNode("n2");
  auto p = Make<NodeName>(c);
  EXPECT_THAT(
      FilterAll(
          *p, *Pod(R"({"metadata":{"name":"p"},"spec":{"nodeName":"n2"}})"), c),
      ElementsAre(NodeName::kReason, ""));
}

const char kAntiAffinityPod[] =
    R"({"metadata":{"name":"%s","namespace":"default",
  "labels":{"app":"db"}},"spec":{"affinity":{"podAntiAffinity":
  {"requiredDuringSchedulingIgnoredDuringExecution":[{"labelSelector":
  {"matchLabels":{"app":"db"}},"topologyKey":"kubernetes.io/hostname"}]}}}})";

std::shared_ptr<PodInfo> Named(const char* tmpl, const std::string& name) {
  std::string s = tmpl;
  s.replace(s.find("%s"), 2, name);
  return Pod(s);
}

TEST(InterPodAffinityTest, RequiredAntiAffinityOnHostname) {
  TestCluster c;
  c.AddNode("n1", {{"kubernetes.io/hostname", "n1"}});
  c.AddNode("n2", {{"kubernetes.io/hostname", "n2"}});
  c.Place(Named(kAntiAffinityPod, "db-0"), "n1");
  auto p = Make<InterPodAffinity>(c);
  // The incoming pod's own anti-affinity (it also matches the existing
  // pod's, which is checked after).
  EXPECT_THAT(FilterAll(*p, *Named(kAntiAffinityPod, "db-1"), c),
              ElementsAre(InterPodAffinity::kAntiAffinityReason, ""));
  // A plain pod labelled app=db is kept off n1 by the existing pod's rule.
  EXPECT_THAT(
      FilterAll(*p, *Pod(R"({"metadata":{"name":"x","namespace":"default",
      "labels":{"app":"db"}}})"),
                c),
      ElementsAre(InterPodAffinity::kExistingAntiAffinityReason, ""));
  // Another namespace is not selected by the default namespace rule.
  EXPECT_THAT(FilterAll(*p, *Pod(R"({"metadata":{"name":"x","namespace":"other",
      "labels":{"app":"db"}}})"),
                        c),
              ElementsAre("", ""));
}

TEST(InterPodAffinityTest, RequiredAffinityAndTheFirstPodOfAGroup) {
  TestCluster c;
  c.AddNode("n1", {{"zone", "a"}});
  c.AddNode("n2", {{"zone", "b"}});
  auto p = Make<InterPodAffinity>(c);
  const char kWeb[] = R"({"metadata":{"name":"%s","namespace":"default",
    "labels":{"app":"web"}},"spec":{"affinity":{"podAffinity":
    {"requiredDuringSchedulingIgnoredDuringExecution":[{"labelSelector":
    {"matchLabels":{"app":"web"}},"topologyKey":"zone"}]}}}})";
  // No matching pod anywhere, but the pod matches itself: any node.
  EXPECT_THAT(FilterAll(*p, *Named(kWeb, "w0"), c), ElementsAre("", ""));
  c.Place(Named(kWeb, "w0"), "n2");
  EXPECT_THAT(FilterAll(*p, *Named(kWeb, "w1"), c),
              ElementsAre(InterPodAffinity::kAffinityReason, ""));
}

TEST(InterPodAffinityTest, NamespaceSelectorSelectsByNamespaceLabels) {
  TestCluster c;
  c.AddNode("n1", {{"kubernetes.io/hostname", "n1"}});
  c.ns_labels["prod"] = {{"env", "prod"}};
  c.Place(
      Pod(R"({"metadata":{"name":"a","namespace":"prod","labels":{"app":"db"}}})"),
      "n1");
  auto p = Make<InterPodAffinity>(c);
  auto pod =
      Pod(R"({"metadata":{"name":"b","namespace":"default"},"spec":{"affinity":
    {"podAntiAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[{
    "labelSelector":{"matchLabels":{"app":"db"}},"namespaceSelector":{"matchLabels":{"env":"prod"}},
    "topologyKey":"kubernetes.io/hostname"}]}}}})");
  EXPECT_THAT(FilterAll(*p, *pod, c),
              ElementsAre(InterPodAffinity::kAntiAffinityReason));
}

TEST(InterPodAffinityTest, PreferredAffinityScoresTheDomainWithMatchingPods) {
  TestCluster c;
  c.AddNode("n1", {{"zone", "a"}});
  c.AddNode("n2", {{"zone", "b"}});
  c.Place(
      Pod(R"({"metadata":{"name":"cache","namespace":"default","labels":{"app":"cache"}}})"),
      "n2");
  auto p = Make<InterPodAffinity>(c);
  auto pod = Pod(
      R"({"metadata":{"name":"web","namespace":"default"},"spec":{"affinity":
    {"podAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[{"weight":50,
    "podAffinityTerm":{"labelSelector":{"matchLabels":{"app":"cache"}},"topologyKey":"zone"}}]}}}})");
  EXPECT_THAT(ScoreAll(*p, *pod, c), ElementsAre(0, 100));
}

TEST(PodTopologySpreadTest, DoNotScheduleKeepsSkewWithinMaxSkew) {
  TestCluster c;
  c.AddNode("n1", {{"zone", "a"}});
  c.AddNode("n2", {{"zone", "b"}});
  c.AddNode("n3", {});
  const char kPod[] =
      R"({"metadata":{"name":"%s","namespace":"default","labels":{"app":"web"}},
    "spec":{"topologySpreadConstraints":[{"maxSkew":1,"topologyKey":"zone",
    "whenUnsatisfiable":"DoNotSchedule","labelSelector":{"matchLabels":{"app":"web"}}}]}})";
  c.Place(Named(kPod, "w0"), "n1");
  auto p = Make<PodTopologySpread>(c);
  EXPECT_THAT(FilterAll(*p, *Named(kPod, "w1"), c),
              ElementsAre(PodTopologySpread::kReason, "",
                          PodTopologySpread::kMissingLabelReason));
  c.Place(Named(kPod, "w1"), "n2");
  EXPECT_THAT(FilterAll(*p, *Named(kPod, "w2"), c),
              ElementsAre("", "", PodTopologySpread::kMissingLabelReason));
}

TEST(PodTopologySpreadTest, ScheduleAnywayScoresFewerMatchingPodsHigher) {
  TestCluster c;
  c.AddNode("n1", {{"zone", "a"}});
  c.AddNode("n2", {{"zone", "b"}});
  const char kPod[] =
      R"({"metadata":{"name":"%s","namespace":"default","labels":{"app":"web"}},
    "spec":{"topologySpreadConstraints":[{"maxSkew":1,"topologyKey":"zone",
    "whenUnsatisfiable":"ScheduleAnyway","labelSelector":{"matchLabels":{"app":"web"}}}]}})";
  c.Place(Named(kPod, "w0"), "n1");
  c.Place(Named(kPod, "w1"), "n1");
  auto p = Make<PodTopologySpread>(c);
  auto scores = ScoreAll(*p, *Named(kPod, "w2"), c);
  EXPECT_LT(scores[0], scores[1]);
  EXPECT_EQ(scores[1], 100);
}

}  // namespace
}  // namespace berth::scheduler
