// EventRecorder: what it writes through the client for new and repeated
// events, that Record never waits for the API, and that a full queue drops.
#include "kernel/events/event_recorder.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

#include "berth/json.h"

namespace berth::events {
namespace {

// Records Create and MergePatch calls; can hold the writer inside Create.
class RecordingClient : public Client {
 public:
  struct Call {
    std::string verb, ns, name, body;
  };

  std::vector<ServedResource> ServerResources() override { return {}; }
  StatusOr<std::string> Get(const ResourceRef&, const std::string&,
                            const std::string&) override {
    return Status::NotFound("no");
  }
  StatusOr<std::string> List(const ResourceRef&, const std::string&,
                             const ListOptions&) override {
    return Status::NotFound("no");
  }
  StatusOr<std::string> Create(const ResourceRef& r, const std::string& ns,
                               const std::string& object) override {
    std::unique_lock<std::mutex> lock(mu_);
    auto d = ParseJson(object);
    calls_.push_back({"create " + r.resource, ns,
                      GetString(*d, {"metadata", "name"}), object});
    ++in_create_;
    cv_.notify_all();
    cv_.wait(lock, [this] { return !hold_; });
    return object;
  }
  StatusOr<std::string> Update(const ResourceRef&, const std::string&,
                               const std::string&,
                               const std::string&) override {
    return Status::Internal("unexpected");
  }
  StatusOr<std::string> MergePatch(const ResourceRef& r, const std::string& ns,
                                   const std::string& name,
                                   const std::string& patch,
                                   const std::string&) override {
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back({"patch " + r.resource, ns, name, patch});
    if (patch_not_found_) return Status::NotFound("gone");
    return patch;
  }
  Status Delete(const ResourceRef&, const std::string&, const std::string&,
                const DeleteOptions&) override {
    return Status::Internal("unexpected");
  }
  StatusOr<std::string> CreateSubresource(const ResourceRef&,
                                          const std::string&,
                                          const std::string&,
                                          const std::string&,
                                          const std::string&) override {
    return Status::Internal("unexpected");
  }
  StatusOr<std::unique_ptr<WatchHandle>> Watch(
      const ResourceRef&, const std::string&, const std::string&,
      std::function<void(const WatchEvent&)>) override {
    return Status::Internal("unexpected");
  }

  std::vector<Call> calls() {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }
  void Hold() {
    std::lock_guard<std::mutex> lock(mu_);
    hold_ = true;
  }
  void Release() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      hold_ = false;
    }
    cv_.notify_all();
  }
  void WaitInCreate(int n) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return in_create_ >= n; });
  }
  void set_patch_not_found(bool v) {
    std::lock_guard<std::mutex> lock(mu_);
    patch_not_found_ = v;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Call> calls_;
  bool hold_ = false;
  bool patch_not_found_ = false;
  int in_create_ = 0;
};

EventRecord ConfigMapEvent(const std::string& message) {
  EventRecord e;
  e.component = "test-controller";
  e.regarding = {"v1", "ConfigMap", "team", "settings", "uid-9", "42", ""};
  e.type = "Warning";
  e.reason = "BadValue";
  e.message = message;
  return e;
}

TEST(EventRecorderTest, NewEventIsCreatedAsKubectlReadsIt) {
  RecordingClient client;
  EventRecorder recorder(&client);
  recorder.Record(ConfigMapEvent("key x is not a number"));
  recorder.Flush();
  auto calls = client.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].verb, "create events");
  EXPECT_EQ(calls[0].ns, "team");
  auto ev = ParseJson(calls[0].body);
  ASSERT_TRUE(ev.ok());
  EXPECT_EQ(GetString(*ev, {"kind"}), "Event");
  EXPECT_EQ(GetString(*ev, {"metadata", "namespace"}), "team");
  EXPECT_EQ(GetString(*ev, {"involvedObject", "kind"}), "ConfigMap");
  EXPECT_EQ(GetString(*ev, {"involvedObject", "name"}), "settings");
  EXPECT_EQ(GetString(*ev, {"involvedObject", "namespace"}), "team");
  EXPECT_EQ(GetString(*ev, {"involvedObject", "uid"}), "uid-9");
  EXPECT_EQ(GetString(*ev, {"reason"}), "BadValue");
  EXPECT_EQ(GetString(*ev, {"message"}), "key x is not a number");
  EXPECT_EQ(GetString(*ev, {"type"}), "Warning");
  EXPECT_EQ(GetString(*ev, {"source", "component"}), "test-controller");
  EXPECT_EQ(GetString(*ev, {"reportingComponent"}), "test-controller");
  EXPECT_EQ(GetInt(*ev, {"count"}), 1);
  EXPECT_FALSE(GetString(*ev, {"firstTimestamp"}).empty());
  EXPECT_EQ(GetString(*ev, {"lastTimestamp"}),
            GetString(*ev, {"firstTimestamp"}));
}

TEST(EventRecorderTest, RepeatPatchesCountOfTheSameEvent) {
  RecordingClient client;
  EventRecorder recorder(&client);
  recorder.Record(ConfigMapEvent("same"));
  recorder.Record(ConfigMapEvent("same"));
  recorder.Flush();
  auto calls = client.calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1].verb, "patch events");
  EXPECT_EQ(calls[1].name, calls[0].name);
  auto patch = ParseJson(calls[1].body);
  ASSERT_TRUE(patch.ok());
  EXPECT_EQ(GetInt(*patch, {"count"}), 2);
  EXPECT_FALSE(GetString(*patch, {"lastTimestamp"}).empty());
}

TEST(EventRecorderTest, RepeatOfADeletedEventCreatesANewOne) {
  RecordingClient client;
  EventRecorder recorder(&client);
  recorder.Record(ConfigMapEvent("same"));
  recorder.Flush();
  client.set_patch_not_found(true);
  recorder.Record(ConfigMapEvent("same"));
  recorder.Flush();
  auto calls = client.calls();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[1].verb, "patch events");
  EXPECT_EQ(calls[2].verb, "create events");
  EXPECT_NE(calls[2].name, calls[0].name);
}

TEST(EventRecorderTest, FullQueueDropsWithoutBlocking) {
  RecordingClient client;
  client.Hold();
  EventRecorder recorder(&client, /*capacity=*/2);
  recorder.Record(ConfigMapEvent("taken by the writer"));
  client.WaitInCreate(1);  // the writer is stuck in the API
  recorder.Record(ConfigMapEvent("queued 1"));
  recorder.Record(ConfigMapEvent("queued 2"));
  recorder.Record(ConfigMapEvent("dropped"));
  EXPECT_EQ(recorder.dropped(), 1u);
  client.Release();
  recorder.Flush();
  auto calls = client.calls();
  ASSERT_EQ(calls.size(), 3u);
  for (const auto& c : calls) {
    EXPECT_EQ(c.body.find("\"dropped\""), std::string::npos);
  }
}

}  // namespace
}  // namespace berth::events
