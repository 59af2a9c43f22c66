#include "probes/probe_worker.h"

#include <gtest/gtest.h>

#include <future>
#include <map>

#include "fake_runtime.h"
#include "manual_timer.h"

namespace berth::node {
namespace {

using std::chrono::seconds;

JsonDoc Parse(const std::string& text) {
  auto d = ParseJson(text);
  EXPECT_TRUE(d.ok()) << text;
  return d.ok() ? std::move(d).value() : JsonDoc();
}

ExecSyncResult Exit(int code) { return ExecSyncResult{code, "", "", false}; }

class ProbeWorkerTest : public ::testing::Test {
 protected:
  std::unique_ptr<ProbeWorker> Worker(ProbeType type, const std::string& spec,
                                      bool restart_never = false) {
    probe_ = Parse(R"({"exec":{"command":["check"]},)" + spec + "}");
    return std::make_unique<ProbeWorker>(
        type, probe_, container_, restart_never, prober_, timer_,
        [this]() -> std::optional<ProbedContainer> {
          if (pod_gone_) return std::nullopt;
          return state_;
        },
        [this](ProbeType, const std::string& id, ProbeResult r) {
          results_.push_back(
              id + ":" + (r == ProbeResult::kSuccess ? "success" : "failure"));
        },
        [this](const ProbeEvent& e) { events_.push_back(e.message); });
  }
  void Running(const std::string& id, bool started = true) {
    state_.container_id = id;
    state_.running = true;
    state_.terminated = false;
    state_.started = started;
    state_.started_at = timer_.Now();
  }

  FakeRuntime runtime_;
  Prober prober_{runtime_};
  ManualTimer timer_;
  JsonDoc probe_;
  JsonDoc container_ = Parse(R"({"name":"app"})");
  ProbedContainer state_;
  bool pod_gone_ = false;
  std::vector<std::string> results_;
  std::vector<std::string> events_;
};

TEST_F(ProbeWorkerTest, ReadinessStartsFailedAndHonoursInitialDelay) {
  auto w = Worker(ProbeType::kReadiness, R"("initialDelaySeconds":5)");
  Running("c1");
  EXPECT_TRUE(w->Step());
  EXPECT_EQ(results_, std::vector<std::string>{"c1:failure"});
  EXPECT_TRUE(runtime_.calls.empty()) << "no probe within initialDelaySeconds";
  timer_.Advance(seconds(5));
  EXPECT_TRUE(w->Step());
  EXPECT_EQ(runtime_.calls.size(), 1u);
  EXPECT_EQ(results_.back(), "c1:success");
}

TEST_F(ProbeWorkerTest, ThresholdsCountRunsInARow) {
  auto w = Worker(ProbeType::kReadiness,
                  R"("successThreshold":2,"failureThreshold":3)");
  Running("c1");
  runtime_.script = {Exit(0), Exit(0), Exit(1), Exit(1),
                     Exit(0), Exit(1), Exit(1), Exit(1)};
  for (int i = 0; i < 8; ++i) w->Step();
  // initial failure; success after 2 in a row; the failure run is broken
  // by a success, so failure only after 3 more in a row.
  EXPECT_EQ(results_, (std::vector<std::string>{"c1:failure", "c1:success",
                                                "c1:failure"}));
  EXPECT_EQ(events_.size(), 5u) << "an event for every failed probe";
  EXPECT_EQ(events_[0], "Readiness probe failed: ");
}

TEST_F(ProbeWorkerTest, LivenessFailureHoldsUntilNewContainer) {
  auto w = Worker(ProbeType::kLiveness, R"("failureThreshold":1)");
  Running("c1");
  runtime_.script = {Exit(1)};
  w->Step();
  EXPECT_EQ(results_, (std::vector<std::string>{"c1:success", "c1:failure"}));
  w->Step();
  w->Step();
  EXPECT_EQ(runtime_.calls.size(), 1u) << "on hold until restarted";
  Running("c2");
  w->Step();
  EXPECT_EQ(runtime_.calls.size(), 2u);
  EXPECT_EQ(results_.back(), "c2:success");
  EXPECT_EQ(w->last_reported(), ProbeResult::kSuccess);
}

TEST_F(ProbeWorkerTest, StartupProbeGatesTheOthers) {
  auto live = Worker(ProbeType::kLiveness, R"("failureThreshold":1)");
  auto startup = Worker(ProbeType::kStartup, R"("failureThreshold":1)");
  Running("c1", /*started=*/false);
  live->Step();
  EXPECT_TRUE(runtime_.calls.empty()) << "liveness waits for startup";
  startup->Step();
  EXPECT_EQ(runtime_.calls.size(), 1u);
  EXPECT_EQ(results_.back(), "c1:success");
  state_.started = true;  // the agent marked the container started
  startup->Step();
  EXPECT_EQ(runtime_.calls.size(), 1u) << "startup stops once started";
  live->Step();
  EXPECT_EQ(runtime_.calls.size(), 2u);
}

TEST_F(ProbeWorkerTest, NotRunningAndGonePods) {
  auto w = Worker(ProbeType::kReadiness, "\"periodSeconds\":1", true);
  Running("c1");
  w->Step();
  EXPECT_EQ(results_, (std::vector<std::string>{"c1:failure", "c1:success"}));
  state_.running = false;
  EXPECT_TRUE(w->Step());
  EXPECT_TRUE(w->Step());
  // Reported once: only a change is news.
  EXPECT_EQ(results_, (std::vector<std::string>{"c1:failure", "c1:success",
                                                "c1:failure"}));
  state_.terminated = true;
  EXPECT_FALSE(w->Step()) << "restartPolicy Never: done";
  auto other = Worker(ProbeType::kReadiness, "\"periodSeconds\":1");
  pod_gone_ = true;
  EXPECT_FALSE(other->Step());
}

TEST_F(ProbeWorkerTest, TimerDrivesStepsEveryPeriod) {
  auto w = Worker(ProbeType::kLiveness, R"("periodSeconds":10)");
  Running("c1");
  w->Start();
  timer_.Advance(std::chrono::milliseconds(0));
  EXPECT_EQ(runtime_.calls.size(), 1u) << "first probe at once";
  timer_.Advance(seconds(9));
  EXPECT_EQ(runtime_.calls.size(), 1u);
  timer_.Advance(seconds(1));
  EXPECT_EQ(runtime_.calls.size(), 2u);
  timer_.Advance(seconds(30));
  EXPECT_EQ(runtime_.calls.size(), 5u);
  w->Stop();
  EXPECT_EQ(timer_.pending(), 0u);
  timer_.Advance(seconds(30));
  EXPECT_EQ(runtime_.calls.size(), 5u);
}

TEST(ThreadTimerTest, RunsAndCancels) {
  ThreadTimer timer(2);
  std::promise<void> ran;
  timer.Schedule(std::chrono::milliseconds(0), [&] { ran.set_value(); });
  ran.get_future().wait();
  bool late = false;
  auto id = timer.Schedule(std::chrono::hours(1), [&] { late = true; });
  timer.Cancel(id);
  EXPECT_FALSE(late);
}

TEST(ProbeSpecTest, ApiDefaults) {
  ProbeSpec s = ProbeSpec::FromJson(Parse("{}"));
  EXPECT_EQ(s.period_seconds, 10);
  EXPECT_EQ(s.timeout_seconds, 1);
  EXPECT_EQ(s.success_threshold, 1);
  EXPECT_EQ(s.failure_threshold, 3);
  EXPECT_EQ(s.initial_delay_seconds, 0);
}

}  // namespace
}  // namespace berth::node
