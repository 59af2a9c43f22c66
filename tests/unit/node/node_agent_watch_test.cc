// The NodeAgent's pod watch: when it ends (an ERROR event: the store
// closed a watcher that fell behind, or a remote server's stream ended),
// the agent opens it again, so pods bound or deleted afterwards are still
// acted on. Before, the agent ignored the ERROR and heard of no pod again.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>

#include "berth/host.h"
#include "fake_runtime.h"
#include "node_agent.h"

namespace berth::node {
namespace {

// Objects by "resource/ns/name" (PodClient), plus what registration needs
// (Create, MergePatch answering NotFound until created, List of pods) and
// watches whose callbacks the test calls.
class AgentClient : public PodClient {
 public:
  StatusOr<std::string> Create(const ResourceRef& r, const std::string& ns,
                               const std::string& object) override {
    auto doc = ParseJson(object);
    if (!doc.ok()) return doc.status();
    std::lock_guard<std::mutex> lock(mu);
    objects[r.resource + "/" + ns + "/" +
            GetString(*doc, {"metadata", "name"})] = object;
    return object;
  }
  StatusOr<std::string> MergePatch(const ResourceRef& r, const std::string& ns,
                                   const std::string& name, const std::string&,
                                   const std::string&) override {
    std::lock_guard<std::mutex> lock(mu);
    auto it = objects.find(r.resource + "/" + ns + "/" + name);
    if (it == objects.end()) return Status::NotFound(name + " not found");
    return it->second;
  }
  StatusOr<std::string> List(const ResourceRef&, const std::string&,
                             const ListOptions&) override {
    return std::string(R"({"items":[],"metadata":{"resourceVersion":"1"}})");
  }
  StatusOr<std::unique_ptr<WatchHandle>> Watch(
      const ResourceRef& r, const std::string& ns, const std::string& rv,
      std::function<void(const WatchEvent&)> on_event) override {
    return WatchSelected(r, ns, rv, {}, std::move(on_event));
  }
  StatusOr<std::unique_ptr<WatchHandle>> WatchSelected(
      const ResourceRef&, const std::string&, const std::string&,
      const ListOptions& options,
      std::function<void(const WatchEvent&)> on_event) override {
    std::lock_guard<std::mutex> lock(watch_mu_);
    selectors.push_back(options.field_selector);
    watches_.push_back(std::move(on_event));
    watch_cv_.notify_all();
    return std::unique_ptr<WatchHandle>(new WatchHandle());
  }

  // Waits until `n` watches were opened (false after 60 s: the agent never
  // asked, and the test fails instead of hanging).
  bool WaitForWatches(size_t n) {
    std::unique_lock<std::mutex> lock(watch_mu_);
    return watch_cv_.wait_for(lock, std::chrono::seconds(60),
                              [&] { return watches_.size() >= n; });
  }
  // Delivers `event` on the newest watch.
  void Send(const WatchEvent& event) {
    std::function<void(const WatchEvent&)> latest;
    {
      std::lock_guard<std::mutex> lock(watch_mu_);
      latest = watches_.back();
    }
    latest(event);
  }

  // The field selector of each watch opened.
  std::vector<std::string> selectors;

 private:
  std::mutex watch_mu_;
  std::condition_variable watch_cv_;
  std::vector<std::function<void(const WatchEvent&)>> watches_;
};

class AgentHost : public Host {
 public:
  explicit AgentHost(std::shared_ptr<ContainerRuntime> runtime)
      : runtime_(std::move(runtime)) {}
  Client& client() override { return client_; }
  void Log(int, const std::string&, const std::string&) override {}
  // The agent uses no informer.
  Informer& InformerFor(const ResourceRef&) override { std::abort(); }
  void RecordEvent(const std::string&, const ObjectReference&,
                   const std::string&, const std::string&,
                   const std::string&) override {}
  std::vector<std::shared_ptr<ContainerRuntime>> ContainerRuntimes() override {
    return {runtime_};
  }

  AgentClient client_;

 private:
  std::shared_ptr<ContainerRuntime> runtime_;
};

TEST(NodeAgentWatchTest, AnEndedPodWatchIsOpenedAgain) {
  const std::string root =
      "/tmp/berth-node-agent-test-" + std::to_string(getpid());
  FakeClock clock;
  auto runtime = std::make_shared<FakeRuntime>(&clock);
  runtime->images.insert("app:1");
  AgentHost host(runtime);
  NodeSettings settings;
  settings.node_name = "n1";
  settings.runtime = "fake";
  settings.network = "none";
  settings.root_dir = root;
  settings.workers = 2;
  NodeAgent agent(host, settings);
  ASSERT_TRUE(agent.Start().ok());
  ASSERT_TRUE(host.client_.WaitForWatches(1));

  host.client_.Send({"ERROR", R"({"kind":"Status","code":410})"});
  EXPECT_TRUE(host.client_.WaitForWatches(2));
  // Only this node's pods, each time.
  EXPECT_THAT(host.client_.selectors,
              ::testing::ElementsAre("spec.nodeName=n1", "spec.nodeName=n1"));

  // A pod bound after the watch was opened again is run.
  const std::string pod =
      R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"web",)"
      R"("namespace":"default","uid":"u1"},"spec":{"nodeName":"n1",)"
      R"("hostNetwork":true,"containers":[{"name":"app","image":"app:1"}]},)"
      R"("status":{}})";
  {
    std::lock_guard<std::mutex> lock(host.client_.mu);
    host.client_.objects["pods/default/web"] = pod;
  }
  host.client_.Send({"ADDED", pod});
  bool started = false;
  for (int i = 0; i < 6000 && !started; ++i) {
    started = runtime->Count("StartContainer app") > 0;
    if (!started) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(started);
  agent.Stop();
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace berth::node
