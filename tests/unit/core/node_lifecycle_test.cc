// The node lifecycle decisions: when a node is silent, what its conditions
// and taints become, which pods are evicted when, and the default
// tolerations; plus the Lease kind.
#include <chrono>

#include "age.h"
#include "default_toleration_seconds.h"
#include "lease_kind.h"
#include "node_health.h"
#include "node_lifecycle_settings.h"
#include "runtime_class_kind.h"
#include "taint_eviction.h"
#include "test_util.h"

namespace berth::core {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Action = EvictionDecision::Action;

TimePoint At(const char* text) { return *ParseTimestamp(text); }

constexpr const char* kReadyNode = R"({"metadata":{"name":"n1",
  "creationTimestamp":"2026-01-01T00:00:00Z"},
  "spec":{"taints":[{"key":"dedicated","value":"db","effect":"NoSchedule"}]},
  "status":{"conditions":[
    {"type":"MemoryPressure","status":"False",
     "lastHeartbeatTime":"2026-01-01T00:01:00Z"},
    {"type":"Ready","status":"True",
     "lastHeartbeatTime":"2026-01-01T00:01:00Z",
     "lastTransitionTime":"2026-01-01T00:00:10Z"}]}})";

constexpr const char* kLease = R"({"spec":{"holderIdentity":"n1",
  "renewTime":"2026-01-01T00:02:00.500000Z"}})";

TEST(NodeLifecycleSettings, DefaultsAreKubernetes) {
  auto s = ParseNodeLifecycleSettings("{}");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->grace_period, seconds(50));
  EXPECT_EQ(s->startup_grace_period, seconds(60));
  EXPECT_EQ(s->monitor_period, seconds(5));
  EXPECT_EQ(s->not_ready_toleration_seconds, 300);
  EXPECT_EQ(s->unreachable_toleration_seconds, 300);
}

TEST(NodeLifecycleSettings, ReadsGoDurationsAndRefusesBadOnes) {
  auto s = ParseNodeLifecycleSettings(
      R"({"nodeMonitorGracePeriod":"1m30s","nodeMonitorPeriod":"500ms",
          "defaultUnreachableTolerationSeconds":10})");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->grace_period, seconds(90));
  EXPECT_EQ(s->monitor_period, milliseconds(500));
  EXPECT_EQ(s->unreachable_toleration_seconds, 10);
  auto bad = ParseNodeLifecycleSettings(R"({"nodeMonitorGracePeriod":"40"})");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(),
              ::testing::HasSubstr("nodeMonitorGracePeriod"));
  EXPECT_FALSE(
      ParseNodeLifecycleSettings(R"({"defaultNotReadyTolerationSeconds":-1})")
          .ok());
}

TEST(NodeHealth, LastHeartbeatIsTheLaterOfLeaseAndReady) {
  JsonDoc node = Parse(kReadyNode);
  JsonDoc lease = Parse(kLease);
  EXPECT_EQ(LastHeartbeat(node, nullptr), At("2026-01-01T00:01:00Z"));
  EXPECT_EQ(LastHeartbeat(node, &lease), At("2026-01-01T00:02:00.5Z"));
}

TEST(NodeHealth, SilentOnlyPastTheGracePeriod) {
  JsonDoc node = Parse(kReadyNode);
  JsonDoc lease = Parse(kLease);
  NodeLifecycleSettings settings;  // 50s
  NodeHealth h =
      AssessNodeHealth(node, &lease, settings, At("2026-01-01T00:02:30Z"));
  EXPECT_FALSE(h.silent);
  // 20.5 s left, looked at again just after.
  EXPECT_EQ(h.recheck_after, milliseconds(20500 + 1000));
  EXPECT_FALSE(
      AssessNodeHealth(node, &lease, settings, At("2026-01-01T00:02:50Z"))
          .silent);
  EXPECT_TRUE(
      AssessNodeHealth(node, &lease, settings, At("2026-01-01T00:02:51Z"))
          .silent);
  // Without the lease, the Ready heartbeat a minute earlier counts.
  EXPECT_TRUE(
      AssessNodeHealth(node, nullptr, settings, At("2026-01-01T00:02:30Z"))
          .silent);
}

TEST(NodeHealth, NeverReportedNodeGetsTheStartupGrace) {
  JsonDoc node = Parse(R"({"metadata":{"name":"n2",
    "creationTimestamp":"2026-01-01T00:00:00Z"}})");
  NodeLifecycleSettings settings;  // startup 60s
  EXPECT_FALSE(
      AssessNodeHealth(node, nullptr, settings, At("2026-01-01T00:00:55Z"))
          .silent);
  EXPECT_TRUE(
      AssessNodeHealth(node, nullptr, settings, At("2026-01-01T00:01:01Z"))
          .silent);
}

TEST(NodeHealth, MarkUnknownKeepsHeartbeatAndAddsMissingConditions) {
  JsonDoc node = Parse(kReadyNode);
  auto& a = node.GetAllocator();
  ASSERT_TRUE(MarkNodeStatusUnknown(node, At("2026-01-01T00:05:00Z"), a));
  EXPECT_EQ(NodeConditionStatus(node, "Ready"), "Unknown");
  EXPECT_EQ(NodeConditionStatus(node, "MemoryPressure"), "Unknown");
  EXPECT_EQ(NodeConditionStatus(node, "DiskPressure"), "Unknown");
  EXPECT_EQ(NodeConditionStatus(node, "PIDPressure"), "Unknown");
  const Json& ready = node["status"]["conditions"][1];
  EXPECT_EQ(GetString(ready, {"reason"}), "NodeStatusUnknown");
  EXPECT_EQ(GetString(ready, {"message"}),
            "Kubelet stopped posting node status.");
  EXPECT_EQ(GetString(ready, {"lastHeartbeatTime"}), "2026-01-01T00:01:00Z");
  EXPECT_EQ(GetString(ready, {"lastTransitionTime"}), "2026-01-01T00:05:00Z");
  const Json& disk = node["status"]["conditions"][2];
  EXPECT_EQ(GetString(disk, {"type"}), "DiskPressure");
  EXPECT_EQ(GetString(disk, {"reason"}), "NodeStatusNeverUpdated");
  EXPECT_EQ(GetString(disk, {"message"}), "Kubelet never posted node status.");
  // Already Unknown: nothing to write.
  EXPECT_FALSE(MarkNodeStatusUnknown(node, At("2026-01-01T00:06:00Z"), a));
}

TEST(NodeHealth, TaintsFollowTheReadyCondition) {
  JsonDoc node = Parse(kReadyNode);
  auto& a = node.GetAllocator();
  const TimePoint t = At("2026-01-01T00:05:00Z");
  EXPECT_FALSE(SyncConditionTaints(node, t, a));  // Ready: nothing to add

  MarkNodeStatusUnknown(node, t, a);
  ASSERT_TRUE(SyncConditionTaints(node, t, a));
  EXPECT_EQ(ToJson(node["spec"]["taints"]),
            R"([{"key":"dedicated","value":"db","effect":"NoSchedule"},)"
            R"({"key":"node.kubernetes.io/unreachable","effect":"NoSchedule"},)"
            R"({"key":"node.kubernetes.io/unreachable","effect":"NoExecute",)"
            R"("timeAdded":"2026-01-01T00:05:00Z"}])");
  // Stable: the time added is kept.
  EXPECT_FALSE(SyncConditionTaints(node, At("2026-01-01T00:06:00Z"), a));

  // Ready=False swaps unreachable for not-ready.
  node["status"]["conditions"][1]["status"] = "False";
  ASSERT_TRUE(SyncConditionTaints(node, At("2026-01-01T00:07:00Z"), a));
  EXPECT_EQ(ToJson(node["spec"]["taints"]),
            R"([{"key":"dedicated","value":"db","effect":"NoSchedule"},)"
            R"({"key":"node.kubernetes.io/not-ready","effect":"NoSchedule"},)"
            R"({"key":"node.kubernetes.io/not-ready","effect":"NoExecute",)"
            R"("timeAdded":"2026-01-01T00:07:00Z"}])");

  // Back to Ready: only the user's taint is left.
  node["status"]["conditions"][1]["status"] = "True";
  ASSERT_TRUE(SyncConditionTaints(node, At("2026-01-01T00:08:00Z"), a));
  EXPECT_EQ(ToJson(node["spec"]["taints"]),
            R"([{"key":"dedicated","value":"db","effect":"NoSchedule"}])");
}

TEST(NodeHealth, PressureAndCordonTaints) {
  JsonDoc node = Parse(R"({"spec":{"unschedulable":true},"status":{
    "conditions":[{"type":"Ready","status":"True"},
                  {"type":"DiskPressure","status":"True"}]}})");
  ASSERT_TRUE(SyncConditionTaints(node, At("2026-01-01T00:00:00Z"),
                                  node.GetAllocator()));
  EXPECT_EQ(ToJson(node["spec"]["taints"]),
            R"([{"key":"node.kubernetes.io/disk-pressure",)"
            R"("effect":"NoSchedule"},)"
            R"({"key":"node.kubernetes.io/unschedulable",)"
            R"("effect":"NoSchedule"}])");
}

TEST(NodeHealth, MarkPodNotReadyTouchesOnlyTheReadyCondition) {
  JsonDoc pod = Parse(R"({"status":{"conditions":[
    {"type":"ContainersReady","status":"True"},
    {"type":"Ready","status":"True","lastTransitionTime":"x"}]}})");
  ASSERT_TRUE(
      MarkPodNotReady(pod, At("2026-01-01T00:05:00Z"), pod.GetAllocator()));
  EXPECT_EQ(ToJson(pod["status"]["conditions"]),
            R"([{"type":"ContainersReady","status":"True"},)"
            R"({"type":"Ready","status":"False",)"
            R"("lastTransitionTime":"2026-01-01T00:05:00Z"}])");
  EXPECT_FALSE(
      MarkPodNotReady(pod, At("2026-01-01T00:06:00Z"), pod.GetAllocator()));
}

TEST(TaintEviction, TolerationMatching) {
  JsonDoc taint = Parse(R"({"key":"k","value":"v","effect":"NoExecute"})");
  auto tolerates = [&](const char* t) {
    return ToleratesTaint(Parse(t), taint);
  };
  EXPECT_TRUE(tolerates(R"({"key":"k","operator":"Exists"})"));
  EXPECT_TRUE(tolerates(R"({"key":"k","value":"v"})"));
  EXPECT_TRUE(tolerates(R"({"operator":"Exists"})"));
  EXPECT_TRUE(tolerates(R"({"key":"k","value":"v","effect":"NoExecute"})"));
  EXPECT_FALSE(tolerates(R"({"key":"k","value":"w"})"));
  EXPECT_FALSE(tolerates(R"({"key":"k","operator":"Exists",
                              "effect":"NoSchedule"})"));
  EXPECT_FALSE(tolerates(R"({"key":"other","operator":"Exists"})"));
}

constexpr const char* kUnreachableTaints = R"([
  {"key":"node.kubernetes.io/unreachable","effect":"NoSchedule"},
  {"key":"node.kubernetes.io/unreachable","effect":"NoExecute",
   "timeAdded":"2026-01-01T00:05:00Z"}])";

TEST(TaintEviction, UntoleratedTaintEvictsAtOnce) {
  JsonDoc taints = Parse(kUnreachableTaints);
  JsonDoc pod = Parse(R"({"spec":{}})");
  EvictionDecision d = DecideEviction(pod, &taints, At("2026-01-01T00:05:00Z"));
  EXPECT_EQ(d.action, Action::kEvictNow);
}

TEST(TaintEviction, TolerationSecondsCountFromTimeAdded) {
  JsonDoc taints = Parse(kUnreachableTaints);
  JsonDoc pod = Parse(R"({"spec":{"tolerations":[
    {"key":"node.kubernetes.io/unreachable","operator":"Exists",
     "effect":"NoExecute","tolerationSeconds":300}]}})");
  EvictionDecision d = DecideEviction(pod, &taints, At("2026-01-01T00:06:00Z"));
  EXPECT_EQ(d.action, Action::kEvictLater);
  EXPECT_EQ(d.after, seconds(240));
  EXPECT_EQ(DecideEviction(pod, &taints, At("2026-01-01T00:10:00Z")).action,
            Action::kEvictNow);
}

TEST(TaintEviction, SmallestSecondsWinAndNoSecondsMeansForever) {
  JsonDoc taints = Parse(R"([
    {"key":"a","effect":"NoExecute","timeAdded":"2026-01-01T00:00:00Z"},
    {"key":"b","effect":"NoExecute","timeAdded":"2026-01-01T00:00:00Z"}])");
  JsonDoc both = Parse(R"({"spec":{"tolerations":[
    {"key":"a","operator":"Exists","tolerationSeconds":60},
    {"key":"b","operator":"Exists","tolerationSeconds":30}]}})");
  EvictionDecision d =
      DecideEviction(both, &taints, At("2026-01-01T00:00:10Z"));
  EXPECT_EQ(d.action, Action::kEvictLater);
  EXPECT_EQ(d.after, seconds(20));

  JsonDoc forever = Parse(R"({"spec":{"tolerations":[
    {"operator":"Exists"}]}})");
  EXPECT_EQ(DecideEviction(forever, &taints, At("2026-01-01T09:00:00Z")).action,
            Action::kKeep);
  JsonDoc zero = Parse(R"({"spec":{"tolerations":[
    {"operator":"Exists","tolerationSeconds":0}]}})");
  EXPECT_EQ(DecideEviction(zero, &taints, At("2026-01-01T00:00:00Z")).action,
            Action::kEvictNow);
}

TEST(TaintEviction, NoScheduleTaintsNeverEvict) {
  JsonDoc taints = Parse(R"([{"key":"a","effect":"NoSchedule"}])");
  JsonDoc pod = Parse(R"({"spec":{}})");
  EXPECT_EQ(DecideEviction(pod, &taints, At("2026-01-01T00:00:00Z")).action,
            Action::kKeep);
  EXPECT_EQ(DecideEviction(pod, nullptr, At("2026-01-01T00:00:00Z")).action,
            Action::kKeep);
}

TEST(DefaultTolerationSeconds, AddsBothOnCreate) {
  DefaultTolerationSeconds admission(300, 120);
  JsonDoc pod = Parse(R"({"spec":{"containers":[]}})");
  AdmissionRequest req;
  req.resource = {"", "v1", "pods"};
  ASSERT_TRUE(admission.Admit(req, pod, pod.GetAllocator()).ok());
  EXPECT_EQ(ToJson(pod["spec"]["tolerations"]),
            R"([{"key":"node.kubernetes.io/not-ready","operator":"Exists",)"
            R"("effect":"NoExecute","tolerationSeconds":300},)"
            R"({"key":"node.kubernetes.io/unreachable","operator":"Exists",)"
            R"("effect":"NoExecute","tolerationSeconds":120}])");
}

TEST(DefaultTolerationSeconds, KeepsThePodsOwnAndSkipsUpdates) {
  DefaultTolerationSeconds admission(300, 300);
  AdmissionRequest req;
  req.resource = {"", "v1", "pods"};
  JsonDoc own = Parse(R"({"spec":{"tolerations":[
    {"key":"node.kubernetes.io/unreachable","operator":"Exists",
     "effect":"NoExecute","tolerationSeconds":5}]}})");
  ASSERT_TRUE(admission.Admit(req, own, own.GetAllocator()).ok());
  ASSERT_EQ(own["spec"]["tolerations"].Size(), 2u);
  EXPECT_EQ(GetInt(own["spec"]["tolerations"][0], {"tolerationSeconds"}), 5);
  EXPECT_EQ(GetString(own["spec"]["tolerations"][1], {"key"}),
            "node.kubernetes.io/not-ready");

  JsonDoc everything = Parse(R"({"spec":{"tolerations":[
    {"operator":"Exists"}]}})");
  ASSERT_TRUE(admission.Admit(req, everything, everything.GetAllocator()).ok());
  EXPECT_EQ(everything["spec"]["tolerations"].Size(), 1u);

  req.operation = AdmissionRequest::Operation::kUpdate;
  JsonDoc updated = Parse(R"({"spec":{}})");
  ASSERT_TRUE(admission.Admit(req, updated, updated.GetAllocator()).ok());
  EXPECT_EQ(Member(updated["spec"], "tolerations"), nullptr);
}

TEST(LeaseKind, InfoValidationAndColumns) {
  LeaseKind leases;
  EXPECT_EQ(leases.Info().ApiVersion(), "coordination.k8s.io/v1");
  EXPECT_EQ(leases.Info().plural, "leases");
  EXPECT_TRUE(leases.Info().namespaced);
  JsonDoc bad =
      Parse(R"({"spec":{"leaseDurationSeconds":0,"leaseTransitions":-1}})");
  EXPECT_THAT(
      Describe(leases.Validate(bad, nullptr)),
      ::testing::ElementsAre(
          "spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0",
          "spec.leaseTransitions: Invalid value: -1: must be greater than or "
          "equal to 0"));
  std::vector<std::string> names;
  for (const auto& c : leases.Columns()) names.push_back(c.name);
  EXPECT_THAT(names, ::testing::ElementsAre("Name", "Holder", "Age"));
  JsonDoc lease = Parse(R"({"metadata":{"name":"n1",
    "creationTimestamp":"2026-01-01T00:00:00Z"},
    "spec":{"holderIdentity":"n1"}})");
  JsonDoc cells;
  cells.SetArray();
  leases.Cells(lease, At("2026-01-01T00:00:45Z"), cells, cells.GetAllocator());
  EXPECT_EQ(ToJson(cells), R"(["n1","n1","45s"])");
  EXPECT_NE(leases.OpenApiSchemas().find(
                R"("group":"coordination.k8s.io","kind":"Lease")"),
            std::string::npos);
}

TEST(RuntimeClassKind, HandlerIsARequiredImmutableDnsLabel) {
  RuntimeClassKind classes;
  EXPECT_EQ(classes.Info().ApiVersion(), "node.k8s.io/v1");
  EXPECT_EQ(classes.Info().plural, "runtimeclasses");
  EXPECT_FALSE(classes.Info().namespaced);
  EXPECT_THAT(Describe(classes.Validate(Parse(R"({})"), nullptr)),
              ::testing::ElementsAre("handler: Required value"));
  EXPECT_THAT(
      Describe(classes.Validate(Parse(R"({"handler":"Bad_X"})"), nullptr)),
      ::testing::ElementsAre(
          ::testing::HasSubstr("handler: Invalid value: \"Bad_X\"")));
  JsonDoc old = Parse(R"({"handler":"runc"})");
  EXPECT_THAT(Describe(classes.Validate(Parse(R"({"handler":"crun"})"), &old)),
              ::testing::ElementsAre(
                  "handler: Invalid value: \"crun\": field is immutable"));
  EXPECT_TRUE(classes.Validate(Parse(R"({"handler":"runc"})"), &old).empty());
  JsonDoc rc = Parse(R"({"metadata":{"name":"fast",
    "creationTimestamp":"2026-01-01T00:00:00Z"},"handler":"crun"})");
  JsonDoc cells;
  cells.SetArray();
  classes.Cells(rc, At("2026-01-01T00:00:45Z"), cells, cells.GetAllocator());
  EXPECT_EQ(ToJson(cells), R"(["fast","crun","45s"])");
  EXPECT_NE(classes.OpenApiSchemas().find(
                R"("group":"node.k8s.io","kind":"RuntimeClass")"),
            std::string::npos);
}

}  // namespace
}  // namespace berth::core
