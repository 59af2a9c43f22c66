#include "kernel/controller/controller_manager.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "tests/unit/controller/fake_client.h"

namespace berth {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

const ResourceRef kReplicaSets{"apps", "v1", "replicasets"};
const ResourceRef kPods{"", "v1", "pods"};

std::string Object(const std::string& ns, const std::string& name,
                   const std::string& owner_refs = "") {
  std::string meta = R"("name":")" + name + R"(")";
  if (!ns.empty()) meta += R"(,"namespace":")" + ns + R"(")";
  if (!owner_refs.empty()) meta += R"(,"ownerReferences":)" + owner_refs;
  return R"({"metadata":{)" + meta + "}}";
}

// A controller whose Reconcile runs a test-supplied function and records
// each call.
class TestController : public Controller {
 public:
  using Fn = std::function<StatusOr<ReconcileResult>(const ReconcileRequest&)>;

  explicit TestController(Fn fn = nullptr) : fn_(std::move(fn)) {}

  std::string Name() const override { return "replicaset"; }
  ResourceRef Primary() const override { return kReplicaSets; }
  std::vector<ResourceRef> Owns() const override { return {kPods}; }
  StatusOr<ReconcileResult> Reconcile(const ReconcileRequest& req) override {
    StatusOr<ReconcileResult> result =
        fn_ ? fn_(req) : StatusOr<ReconcileResult>(ReconcileResult{});
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back({req.ns + "/" + req.name, Clock::now()});
    cv_.notify_all();
    return result;
  }

  // Waits until `key` was reconciled `times` times; false on timeout.
  bool WaitFor(const std::string& key, int times = 1,
               milliseconds timeout = milliseconds(5000)) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return Count(key) >= times; });
  }

  std::vector<std::string> Keys() {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<std::string> keys;
    for (const auto& c : calls_) keys.push_back(c.key);
    return keys;
  }

  std::vector<Clock::time_point> Times(const std::string& key) {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<Clock::time_point> times;
    for (const auto& c : calls_) {
      if (c.key == key) times.push_back(c.at);
    }
    return times;
  }

 private:
  struct Call {
    std::string key;
    Clock::time_point at;
  };
  int Count(const std::string& key) const {
    int n = 0;
    for (const auto& c : calls_) n += c.key == key;
    return n;
  }

  Fn fn_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Call> calls_;
};

class ControllerManagerTest : public ::testing::Test {
 protected:
  ControllerManagerTest() {
    client_.SetServed(
        {{kReplicaSets, "ReplicaSet", true}, {kPods, "Pod", true}});
    options_.backoff_base = milliseconds(10);
    options_.watch_retry_initial = milliseconds(10);
  }

  std::shared_ptr<TestController> StartWith(TestController::Fn fn = nullptr,
                                            int workers = 1) {
    auto controller = std::make_shared<TestController>(std::move(fn));
    manager_ = std::make_unique<ControllerManager>(client_, options_);
    EXPECT_TRUE(manager_->Add(controller).ok());
    manager_->Start(workers);
    return controller;
  }

  // Watches open in the background; true once `n` are.
  bool WaitForOpenWatches(int n) {
    Clock::time_point deadline = Clock::now() + milliseconds(5000);
    while (client_.OpenWatches() != n && Clock::now() < deadline) {
      std::this_thread::sleep_for(milliseconds(1));
    }
    return client_.OpenWatches() == n;
  }

  FakeClient client_;
  ControllerManager::Options options_;
  std::unique_ptr<ControllerManager> manager_;
};

TEST_F(ControllerManagerTest, ReconcilesExistingAndNewObjects) {
  client_.Put(kReplicaSets, Object("ns1", "old"));
  auto controller = StartWith();
  EXPECT_TRUE(controller->WaitFor("ns1/old"));
  client_.Put(kReplicaSets, Object("ns1", "new"));
  EXPECT_TRUE(controller->WaitFor("ns1/new"));
  ASSERT_TRUE(WaitForOpenWatches(2));
  EXPECT_EQ(client_.WatchCalls(kReplicaSets), std::vector<std::string>{"0"});
  EXPECT_EQ(client_.WatchCalls(kPods), std::vector<std::string>{"0"});
}

TEST_F(ControllerManagerTest, OneKeyIsNeverReconciledTwiceAtOnce) {
  std::mutex mu;
  std::map<std::string, int> in_flight;
  std::atomic<int> overlaps{0};
  std::atomic<int> latest_put{-1};
  std::atomic<int> last_seen{-1};
  auto controller = StartWith(
      [&](const ReconcileRequest& req) -> StatusOr<ReconcileResult> {
        std::string key = req.ns + "/" + req.name;
        {
          std::lock_guard<std::mutex> lock(mu);
          if (++in_flight[key] > 1) ++overlaps;
        }
        if (req.name == "hot") last_seen = latest_put.load();
        std::this_thread::sleep_for(milliseconds(1));
        {
          std::lock_guard<std::mutex> lock(mu);
          --in_flight[key];
        }
        return ReconcileResult{};
      },
      /*workers=*/4);
  // Spread over time so that events keep arriving while "hot" is processed.
  for (int i = 0; i < 300; ++i) {
    latest_put = i;
    client_.Put(kReplicaSets, Object("ns", "hot"));
    client_.Put(kReplicaSets, Object("ns", "cold" + std::to_string(i % 7)));
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  // The last change is seen: an add while processing is not lost.
  Clock::time_point deadline = Clock::now() + milliseconds(5000);
  while (last_seen.load() != 299 && Clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  EXPECT_EQ(last_seen.load(), 299);
  EXPECT_EQ(overlaps.load(), 0);
  // Keys queued while waiting were merged, not reconciled 300 times.
  EXPECT_LT(controller->Times("ns/hot").size(), 300u);
  manager_->Stop();  // before the captured locals go away
}

TEST_F(ControllerManagerTest, OwnedObjectsMapToTheirControllerOwner) {
  auto controller = StartWith();
  const std::string not_controller =
      R"([{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"rs-x"}])";
  const std::string other_kind =
      R"([{"apiVersion":"apps/v1","kind":"Deployment","name":"d",)"
      R"("controller":true}])";
  const std::string other_group =
      R"([{"apiVersion":"batch/v1","kind":"ReplicaSet","name":"j",)"
      R"("controller":true}])";
  const std::string owned =
      R"([{"apiVersion":"apps/v1","kind":"Deployment","name":"d2"},)"
      R"({"apiVersion":"apps/v1","kind":"ReplicaSet","name":"rs-a",)"
      R"("controller":true}])";
  client_.Put(kPods, Object("ns", "p0"));
  client_.Put(kPods, Object("ns", "p1", not_controller));
  client_.Put(kPods, Object("ns", "p2", other_kind));
  client_.Put(kPods, Object("ns", "p3", other_group));
  client_.Put(kPods, Object("ns", "p4", owned));
  ASSERT_TRUE(controller->WaitFor("ns/rs-a"));
  // One worker, FIFO: anything the earlier pods queued would be done now.
  EXPECT_EQ(controller->Keys(), std::vector<std::string>{"ns/rs-a"});
}

TEST_F(ControllerManagerTest, ClusterScopedOwnerHasNoNamespace) {
  client_.SetServed(
      {{kReplicaSets, "ReplicaSet", false}, {kPods, "Pod", true}});
  auto controller = StartWith();
  client_.Put(kPods, Object("ns", "p",
                            R"([{"apiVersion":"apps/v1","kind":"ReplicaSet",)"
                            R"("name":"top","controller":true}])"));
  EXPECT_TRUE(controller->WaitFor("/top"));
}

TEST_F(ControllerManagerTest, ErrorsAreRetriedWithGrowingBackoff) {
  std::atomic<int> calls{0};
  auto controller =
      StartWith([&](const ReconcileRequest&) -> StatusOr<ReconcileResult> {
        if (++calls <= 4) return Status::Internal("not yet");
        return ReconcileResult{};
      });
  client_.Put(kReplicaSets, Object("ns", "rs"));
  ASSERT_TRUE(controller->WaitFor("ns/rs", 5));
  auto times = controller->Times("ns/rs");
  for (size_t i = 1; i < 5; ++i) {
    // Retry i waited at least base * 2^(i-1).
    EXPECT_GE(times[i] - times[i - 1], milliseconds(10 << (i - 1))) << i;
  }
  // Success ends the retries.
  std::this_thread::sleep_for(milliseconds(200));
  EXPECT_EQ(controller->Times("ns/rs").size(), 5u);
  manager_->Stop();  // before the captured locals go away
}

TEST_F(ControllerManagerTest, RequeueAfterReconcilesAgainLater) {
  std::atomic<int> calls{0};
  auto controller =
      StartWith([&](const ReconcileRequest&) -> StatusOr<ReconcileResult> {
        ReconcileResult r;
        if (++calls == 1) r.requeue_after = milliseconds(60);
        return r;
      });
  client_.Put(kReplicaSets, Object("ns", "rs"));
  ASSERT_TRUE(controller->WaitFor("ns/rs", 2));
  auto times = controller->Times("ns/rs");
  EXPECT_GE(times[1] - times[0], milliseconds(60));
  manager_->Stop();  // before the captured locals go away
}

TEST_F(ControllerManagerTest, ExceptionsFromReconcileAreRetried) {
  std::atomic<int> calls{0};
  auto controller =
      StartWith([&](const ReconcileRequest&) -> StatusOr<ReconcileResult> {
        if (++calls == 1) throw std::runtime_error("boom");
        return ReconcileResult{};
      });
  client_.Put(kReplicaSets, Object("ns", "rs"));
  EXPECT_TRUE(controller->WaitFor("ns/rs", 1));
  Clock::time_point deadline = Clock::now() + milliseconds(5000);
  while (calls.load() < 2 && Clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  EXPECT_EQ(calls.load(), 2);
  manager_->Stop();  // before the captured locals go away
}

TEST_F(ControllerManagerTest, ReopensAWatchThatReportsAnError) {
  client_.Put(kReplicaSets, Object("ns", "rs"));
  auto controller = StartWith();
  ASSERT_TRUE(controller->WaitFor("ns/rs", 1));
  ASSERT_TRUE(WaitForOpenWatches(2));
  client_.EmitError(kReplicaSets);
  // Re-opened from "0": the current state is replayed.
  EXPECT_TRUE(controller->WaitFor("ns/rs", 2));
  EXPECT_EQ(client_.WatchCalls(kReplicaSets),
            (std::vector<std::string>{"0", "0"}));
  EXPECT_EQ(client_.OpenWatches(), 2);  // the broken one was closed
}

TEST_F(ControllerManagerTest, RetriesAWatchThatFailsToOpen) {
  client_.FailNextWatches(3);
  client_.Put(kReplicaSets, Object("ns", "rs"));
  auto controller = StartWith();
  EXPECT_TRUE(controller->WaitFor("ns/rs", 1));
  EXPECT_GE(client_.WatchCalls(kReplicaSets).size() +
                client_.WatchCalls(kPods).size(),
            5u);
}

TEST_F(ControllerManagerTest, StopWaitsForRunningReconcilesAndClosesWatches) {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> finished{false};
  auto controller =
      StartWith([&](const ReconcileRequest&) -> StatusOr<ReconcileResult> {
        entered.set_value();
        released.wait();
        finished = true;
        return ReconcileResult{};
      });
  client_.Put(kReplicaSets, Object("ns", "rs"));
  entered.get_future().wait();
  auto stopped = std::async(std::launch::async, [&] { manager_->Stop(); });
  EXPECT_EQ(stopped.wait_for(milliseconds(50)), std::future_status::timeout);
  release.set_value();
  ASSERT_EQ(stopped.wait_for(milliseconds(5000)), std::future_status::ready);
  EXPECT_TRUE(finished.load());
  EXPECT_EQ(client_.OpenWatches(), 0);
  // Nothing runs after Stop.
  client_.Put(kReplicaSets, Object("ns", "after"));
  std::this_thread::sleep_for(milliseconds(30));
  EXPECT_EQ(controller->Keys(), std::vector<std::string>{"ns/rs"});
  manager_->Stop();  // idempotent
}

TEST(ControllerManagerAddTest, RefusesDuplicatesAndLateAdds) {
  FakeClient client;
  ControllerManager manager(client);
  EXPECT_TRUE(manager.Add(std::make_shared<TestController>()).ok());
  Status dup = manager.Add(std::make_shared<TestController>());
  EXPECT_EQ(dup.code(), Status::Code::kInvalid);
  EXPECT_EQ(dup.message(), "controller replicaset: added twice");
  EXPECT_EQ(manager.Add(nullptr).code(), Status::Code::kInvalid);
  manager.Start();
  Status late = manager.Add(std::make_shared<TestController>());
  EXPECT_EQ(late.message(),
            "controller replicaset: added after the manager started");
  manager.Stop();
}

}  // namespace
}  // namespace berth
