#include "probes/probe_manager.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

#include "fake_runtime.h"
#include "manual_timer.h"
#include "test_http_server.h"

namespace berth::node {
namespace {

using std::chrono::seconds;

JsonDoc Parse(const std::string& text) {
  auto d = ParseJson(text);
  EXPECT_TRUE(d.ok()) << text;
  return d.ok() ? std::move(d).value() : JsonDoc();
}

ExecSyncResult Exit(int code) { return ExecSyncResult{code, "", "", false}; }

class ProbeManagerTest : public ::testing::Test {
 protected:
  void Start(const std::string& container_json, const std::string& id) {
    container_json_ = container_json;
    container_ = Parse(container_json);
    manager_.ContainerStarted(pod_, container_, id, {"", "127.0.0.1", false});
  }

  FakeRuntime runtime_;
  Prober prober_{runtime_};
  ManualTimer timer_;
  std::vector<std::string> events_;
  int changes_ = 0;
  ProbeManager manager_{
      prober_, timer_,
      [this](const std::string& uid, const std::string& name,
             const ProbeEvent& e) {
        events_.push_back(uid + "/" + name + ": " + e.message);
      },
      [this](const std::string&) { ++changes_; }};
  JsonDoc pod_ = Parse(R"({"metadata":{"uid":"u1"},"spec":{}})");
  JsonDoc container_;
  std::string container_json_;
};

TEST_F(ProbeManagerTest, WithoutProbesARunningContainerIsReadyAndStarted) {
  Start(R"({"name":"app"})", "c1");
  EXPECT_TRUE(manager_.Started("u1", "app"));
  EXPECT_TRUE(manager_.Ready("u1", "app"));
  EXPECT_FALSE(manager_.NeedsRestart("u1", "app"));
  manager_.ContainerStopped("u1", "app");
  EXPECT_FALSE(manager_.Ready("u1", "app"));
  EXPECT_FALSE(manager_.Ready("u1", "other"));
}

TEST_F(ProbeManagerTest, ReadinessFollowsItsProbe) {
  runtime_.script = {Exit(1), Exit(0)};
  Start(R"({"name":"app","readinessProbe":{"exec":{"command":["ready"]},
      "periodSeconds":5,"failureThreshold":1}})",
        "c1");
  EXPECT_FALSE(manager_.Ready("u1", "app")) << "not ready before a probe";
  timer_.Advance(seconds(0));
  EXPECT_FALSE(manager_.Ready("u1", "app"));
  EXPECT_EQ(events_,
            std::vector<std::string>{"u1/app: Readiness probe failed: "});
  timer_.Advance(seconds(5));
  EXPECT_TRUE(manager_.Ready("u1", "app"));
  EXPECT_GT(changes_, 0);
}

TEST_F(ProbeManagerTest, StartupGatesThenLivenessAsksForRestart) {
  // startup: fails once, then succeeds; liveness: fails once.
  runtime_.script = {Exit(1), Exit(0), Exit(1)};
  Start(R"({"name":"app",
      "startupProbe":{"exec":{"command":["s"]},"periodSeconds":1,
                      "failureThreshold":5},
      "livenessProbe":{"exec":{"command":["l"]},"periodSeconds":10,
                       "failureThreshold":1}})",
        "c1");
  EXPECT_FALSE(manager_.Started("u1", "app"));
  EXPECT_FALSE(manager_.NeedsRestart("u1", "app"))
      << "an unprobed startup is no reason to restart";
  timer_.Advance(seconds(0));  // startup fails (1 of 5), liveness waits
  EXPECT_FALSE(manager_.Started("u1", "app"));
  timer_.Advance(seconds(1));  // startup succeeds
  EXPECT_TRUE(manager_.Started("u1", "app"));
  EXPECT_TRUE(manager_.Ready("u1", "app"));
  timer_.Advance(seconds(10));  // liveness probes and fails
  EXPECT_TRUE(manager_.NeedsRestart("u1", "app"));
  EXPECT_EQ(runtime_.calls,
            (std::vector<std::string>{"c1: s", "c1: s", "c1: l"}));

  // The agent restarts it: a new container starts over.
  runtime_.script.clear();
  const std::string spec = container_json_;
  Start(spec, "c2");
  EXPECT_FALSE(manager_.NeedsRestart("u1", "app"));
  EXPECT_FALSE(manager_.Started("u1", "app"));
  timer_.Advance(seconds(10));
  EXPECT_TRUE(manager_.Started("u1", "app"));
  EXPECT_FALSE(manager_.NeedsRestart("u1", "app"));
}

TEST_F(ProbeManagerTest, RemovePodStopsProbing) {
  Start(R"({"name":"app","livenessProbe":{"exec":{"command":["l"]},
      "periodSeconds":1}})",
        "c1");
  timer_.Advance(seconds(0));
  const size_t calls = runtime_.calls.size();
  manager_.RemovePod("u1");
  EXPECT_EQ(timer_.pending(), 0u);
  timer_.Advance(seconds(10));
  EXPECT_EQ(runtime_.calls.size(), calls);
  EXPECT_FALSE(manager_.Started("u1", "app"));
}

// The real timer's threads against a real HTTP server: the readiness
// probe's answer reaches the agent through the change callback.
TEST(ProbeManagerThreadsTest, HttpReadinessOnThreadTimer) {
  TestHttpServer server;
  FakeRuntime runtime;
  Prober prober(runtime);
  ThreadTimer timer(2);
  std::mutex mu;
  std::condition_variable cv;
  int changes = 0;
  std::vector<std::string> events;
  ProbeManager manager(
      prober, timer,
      [&](const std::string&, const std::string&, const ProbeEvent& e) {
        std::lock_guard<std::mutex> l(mu);
        events.push_back(e.message);
      },
      [&](const std::string&) {
        std::lock_guard<std::mutex> l(mu);
        ++changes;
        cv.notify_all();
      });
  JsonDoc pod = Parse(R"({"metadata":{"uid":"u1"},"spec":{}})");
  const std::string port = std::to_string(server.port());
  JsonDoc ready = Parse(R"({"name":"web","readinessProbe":{"httpGet":
      {"path":"/ok","port":)" +
                        port + R"(},"periodSeconds":1}})");
  manager.ContainerStarted(pod, ready, "c1", {"", "127.0.0.1", false});
  {
    std::unique_lock<std::mutex> l(mu);
    cv.wait(l, [&] { return manager.Ready("u1", "web"); });
    EXPECT_TRUE(events.empty());
  }

  JsonDoc failing =
      Parse(R"({"name":"bad","livenessProbe":{"httpGet":
      {"path":"/fail","port":)" +
            port + R"(},"periodSeconds":1,"failureThreshold":1}})");
  manager.ContainerStarted(pod, failing, "c2", {"", "127.0.0.1", false});
  {
    std::unique_lock<std::mutex> l(mu);
    cv.wait(l, [&] { return manager.NeedsRestart("u1", "bad"); });
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events[0],
              "Liveness probe failed: HTTP probe failed with statuscode: 500");
  }
  manager.RemovePod("u1");
  EXPECT_FALSE(manager.Ready("u1", "web"));
}

}  // namespace
}  // namespace berth::node
