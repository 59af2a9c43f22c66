// The pod status the sim writes, field by field as kubelet reports it.
#include "pod_status.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace berth::sim {
namespace {

JsonDoc Parse(const std::string& text) {
  auto d = ParseJson(text);
  EXPECT_TRUE(d.ok()) << text;
  return d.ok() ? std::move(d).value() : JsonDoc();
}

TimePoint At(const char* text) { return *ParseTime(text); }

std::string Condition(const Json& status, const char* type) {
  for (const auto& c : status["conditions"].GetArray()) {
    if (GetString(c, {"type"}) == type) return GetString(c, {"status"});
  }
  return "<absent>";
}

constexpr const char* kPod = R"({"metadata":{"name":"web","uid":"u1",
  "annotations":{}},
  "spec":{"nodeName":"sim-0","restartPolicy":"Always",
    "initContainers":[{"name":"init","image":"busybox"},
                      {"name":"proxy","image":"envoy","restartPolicy":"Always"}],
    "containers":[{"name":"app","image":"nginx:1.27"},
                  {"name":"log","image":"registry.example:5000/tail"}]},
  "status":{"phase":"Pending","qosClass":"BestEffort","conditions":[
    {"type":"PodScheduled","status":"True",
     "lastTransitionTime":"2026-01-01T00:00:00Z"}]}})";

TEST(PodStatus, RunningHasEveryKubeletCondition) {
  JsonDoc pod = Parse(kPod);
  Json s = BuildRunningStatus(pod, {"172.16.0.2", "10.128.0.2"},
                              At("2026-01-01T00:00:05Z"), pod.GetAllocator());
  EXPECT_EQ(GetString(s, {"phase"}), "Running");
  for (const char* type : {"PodReadyToStartContainers", "Initialized", "Ready",
                           "ContainersReady", "PodScheduled"}) {
    EXPECT_EQ(Condition(s, type), "True") << type;
  }
  // The scheduler's transition time is kept; the others are now.
  EXPECT_EQ(GetString(s["conditions"][4], {"lastTransitionTime"}),
            "2026-01-01T00:00:00Z");
  EXPECT_EQ(GetString(s["conditions"][2], {"lastTransitionTime"}),
            "2026-01-01T00:00:05Z");
  EXPECT_EQ(GetString(s, {"podIP"}), "10.128.0.2");
  EXPECT_EQ(ToJson(s["podIPs"]), R"([{"ip":"10.128.0.2"}])");
  EXPECT_EQ(GetString(s, {"hostIP"}), "172.16.0.2");
  EXPECT_EQ(ToJson(s["hostIPs"]), R"([{"ip":"172.16.0.2"}])");
  EXPECT_EQ(GetString(s, {"startTime"}), "2026-01-01T00:00:05Z");
  EXPECT_EQ(GetString(s, {"qosClass"}), "BestEffort");
}

TEST(PodStatus, RunningContainerStatuses) {
  JsonDoc pod = Parse(kPod);
  Json s = BuildRunningStatus(pod, {"172.16.0.2", "10.128.0.2"},
                              At("2026-01-01T00:00:05Z"), pod.GetAllocator());
  ASSERT_EQ(s["containerStatuses"].Size(), 2u);
  const Json& app = s["containerStatuses"][0];
  EXPECT_EQ(GetString(app, {"name"}), "app");
  EXPECT_EQ(GetString(app, {"state", "running", "startedAt"}),
            "2026-01-01T00:00:05Z");
  EXPECT_TRUE(app["ready"].IsTrue());
  EXPECT_TRUE(app["started"].IsTrue());
  EXPECT_EQ(GetInt(app, {"restartCount"}, -1), 0);
  EXPECT_EQ(GetString(app, {"image"}), "nginx:1.27");
  EXPECT_THAT(GetString(app, {"imageID"}),
              ::testing::MatchesRegex("nginx@sha256:[0-9a-f]{64}"));
  EXPECT_THAT(GetString(app, {"containerID"}),
              ::testing::MatchesRegex("sim://[0-9a-f]{64}"));
  EXPECT_THAT(GetString(s["containerStatuses"][1], {"imageID"}),
              ::testing::StartsWith("registry.example:5000/tail@sha256:"));
  EXPECT_NE(GetString(app, {"containerID"}),
            GetString(s["containerStatuses"][1], {"containerID"}));

  ASSERT_EQ(s["initContainerStatuses"].Size(), 2u);
  const Json& init = s["initContainerStatuses"][0];
  EXPECT_EQ(GetInt(init, {"state", "terminated", "exitCode"}, -1), 0);
  EXPECT_EQ(GetString(init, {"state", "terminated", "reason"}), "Completed");
  EXPECT_TRUE(init["ready"].IsTrue());
  EXPECT_TRUE(init["started"].IsFalse());
  const Json& sidecar = s["initContainerStatuses"][1];
  EXPECT_TRUE(Find(sidecar, {"state", "running"}));
  EXPECT_TRUE(sidecar["started"].IsTrue());
}

TEST(PodStatus, FinishedSucceedsOrFailsByExitCode) {
  JsonDoc pod = Parse(kPod);
  auto& a = pod.GetAllocator();
  SetMember(pod, "status",
            BuildRunningStatus(pod, {"172.16.0.2", "10.128.0.2"},
                               At("2026-01-01T00:00:05Z"), a),
            a);
  Json done = BuildFinishedStatus(pod, 0, At("2026-01-01T00:00:06Z"), a);
  EXPECT_EQ(GetString(done, {"phase"}), "Succeeded");
  EXPECT_EQ(Condition(done, "Ready"), "False");
  EXPECT_EQ(Condition(done, "ContainersReady"), "False");
  EXPECT_EQ(Condition(done, "PodReadyToStartContainers"), "False");
  EXPECT_EQ(Condition(done, "Initialized"), "True");
  EXPECT_EQ(GetString(done, {"podIP"}), "10.128.0.2");
  EXPECT_EQ(GetString(done, {"startTime"}), "2026-01-01T00:00:05Z");
  const Json& app = done["containerStatuses"][0];
  EXPECT_EQ(GetString(app, {"state", "terminated", "reason"}), "Completed");
  EXPECT_EQ(GetString(app, {"state", "terminated", "startedAt"}),
            "2026-01-01T00:00:05Z");
  EXPECT_EQ(GetString(app, {"state", "terminated", "finishedAt"}),
            "2026-01-01T00:00:06Z");
  EXPECT_TRUE(app["ready"].IsFalse());

  Json failed = BuildFinishedStatus(pod, 3, At("2026-01-01T00:00:06Z"), a);
  EXPECT_EQ(GetString(failed, {"phase"}), "Failed");
  EXPECT_EQ(GetInt(failed["containerStatuses"][0],
                   {"state", "terminated", "exitCode"}),
            3);
  EXPECT_EQ(GetString(failed["containerStatuses"][0],
                      {"state", "terminated", "reason"}),
            "Error");
}

TEST(PodStatus, AnnotationsSteerRunTimeAndExitCode) {
  JsonDoc job = Parse(R"({"metadata":{"annotations":{
    "sim.berth.io/run-seconds":"7","sim.berth.io/exit-code":"2"}},
    "spec":{"restartPolicy":"Never"}})");
  EXPECT_TRUE(RunsToCompletion(job));
  EXPECT_EQ(PodRunSeconds(job, 1), 7);
  EXPECT_EQ(PodExitCode(job), 2);
  JsonDoc plain = Parse(R"({"metadata":{"annotations":{
    "sim.berth.io/run-seconds":"soon"}},"spec":{"restartPolicy":"Always"}})");
  EXPECT_FALSE(RunsToCompletion(plain));
  EXPECT_EQ(PodRunSeconds(plain, 1), 1);
  EXPECT_EQ(PodExitCode(plain), 0);
  EXPECT_TRUE(
      RunsToCompletion(Parse(R"({"spec":{"restartPolicy":"OnFailure"}})")));
}

TEST(PodStatus, OnFailurePodRestartsItsContainers) {
  JsonDoc pod = Parse(kPod);
  auto& a = pod.GetAllocator();
  SetMember(pod, "status",
            BuildRunningStatus(pod, {"172.16.0.2", "10.128.0.2"},
                               At("2026-01-01T00:00:05Z"), a),
            a);
  EXPECT_EQ(LastContainerStart(pod), At("2026-01-01T00:00:05Z"));
  Json s = BuildRestartedStatus(pod, 2, At("2026-01-01T00:00:06Z"), a);
  EXPECT_EQ(GetString(s, {"phase"}), "Running");
  const Json& app = s["containerStatuses"][0];
  EXPECT_EQ(GetInt(app, {"restartCount"}), 1);
  EXPECT_EQ(GetString(app, {"state", "running", "startedAt"}),
            "2026-01-01T00:00:06Z");
  EXPECT_EQ(GetInt(app, {"lastState", "terminated", "exitCode"}), 2);
  EXPECT_EQ(GetString(app, {"lastState", "terminated", "startedAt"}),
            "2026-01-01T00:00:05Z");
  SetMember(pod, "status", std::move(s), a);
  EXPECT_EQ(LastContainerStart(pod), At("2026-01-01T00:00:06Z"));
  EXPECT_EQ(GetInt(BuildRestartedStatus(pod, 2, At("2026-01-01T00:00:07Z"),
                                        a)["containerStatuses"][0],
                   {"restartCount"}),
            2);
}

TEST(Timestamps, RoundTrip) {
  TimePoint t = At("2026-01-01T00:00:05.250000Z");
  EXPECT_EQ(FormatMicroTime(t), "2026-01-01T00:00:05.250000Z");
  EXPECT_EQ(FormatTime(t), "2026-01-01T00:00:05Z");
  EXPECT_FALSE(ParseTime("yesterday"));
}

}  // namespace
}  // namespace berth::sim
