// RemoteClient against a real `berth server` over HTTPS: the SDK client
// contract (CRUD, selectors, watches, discovery) and the server's errors
// arriving as the Status the server built.
#include "kernel/client/remote_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "berth/json.h"
#include "kernel/api/tls/file_util.h"
#include "kernel/api/tls/kubeconfig.h"
#include "kernel/api/tls/tokens.h"
#include "tests/support/process.h"

namespace berth::client {
namespace {

using testing::BerthServer;
using testing::TempDir;

const ResourceRef kConfigMaps{"", "v1", "configmaps"};

std::string ConfigMap(const std::string& name, const std::string& value,
                      const std::string& labels = "{}") {
  return R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":")" +
         name + R"(","labels":)" + labels + R"(},"data":{"k":")" + value +
         R"("}})";
}

std::string Field(const std::string& json,
                  std::initializer_list<std::string_view> path) {
  auto d = ParseJson(json);
  EXPECT_TRUE(d.ok()) << json;
  return d.ok() ? GetString(*d, path) : "";
}

// Collects watch events; waits for a number of them without timing the
// server (the wait is only a guard against a hang).
class EventLog {
 public:
  void Add(const WatchEvent& e) {
    std::lock_guard<std::mutex> lock(mu_);
    events_.push_back(e);
    cv_.notify_all();
  }
  std::vector<WatchEvent> WaitFor(size_t n) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(30),
                 [&] { return events_.size() >= n; });
    return events_;
  }
  // True once an event of `type` for object `name` arrived.
  bool WaitForEvent(const std::string& type, const std::string& name) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(30), [&] {
      for (const auto& e : events_) {
        if (e.type != type) continue;
        auto d = ParseJson(e.object);
        if (d.ok() && GetString(*d, {"metadata", "name"}) == name) return true;
      }
      return false;
    });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<WatchEvent> events_;
};

class RemoteClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    server_ = new BerthServer(dir_->path() + "/data");
    ASSERT_TRUE(server_->Start()) << server_->log();
  }
  static void TearDownTestSuite() {
    if (server_) server_->Stop();
    delete server_;
    server_ = nullptr;
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    auto c = RemoteClient::FromKubeconfig(server_->kubeconfig());
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    client_ = std::move(c).value();
  }

  static TempDir* dir_;
  static BerthServer* server_;
  // Through the SDK interface, as plugins use it (its default arguments).
  std::unique_ptr<Client> client_;
};

TempDir* RemoteClientTest::dir_ = nullptr;
BerthServer* RemoteClientTest::server_ = nullptr;

TEST_F(RemoteClientTest, CreateGetListUpdatePatchDelete) {
  auto created = client_->Create(kConfigMaps, "default",
                                 ConfigMap("crud", "1", R"({"tier":"a"})"));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_FALSE(Field(*created, {"metadata", "uid"}).empty());
  ASSERT_TRUE(client_
                  ->Create(kConfigMaps, "default",
                           ConfigMap("crud-b", "1", R"({"tier":"b"})"))
                  .ok());

  auto got = client_->Get(kConfigMaps, "default", "crud");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(Field(*got, {"data", "k"}), "1");

  auto listed = client_->List(kConfigMaps, "default", {"tier=a", ""});
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  auto list = ParseJson(*listed);
  ASSERT_TRUE(list.ok());
  const Json* items = Member(*list, "items");
  ASSERT_TRUE(items && items->IsArray());
  ASSERT_EQ(items->Size(), 1u);
  EXPECT_EQ(GetString((*items)[0], {"metadata", "name"}), "crud");

  auto doc = ParseJson(*got);
  ASSERT_TRUE(doc.ok());
  SetString(*Member(*doc, "data"), "k", "2", doc->GetAllocator());
  auto updated = client_->Update(kConfigMaps, "default", ToJson(*doc));
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(Field(*updated, {"data", "k"}), "2");

  auto patched = client_->MergePatch(kConfigMaps, "default", "crud",
                                     R"({"data":{"k":"3"}})");
  ASSERT_TRUE(patched.ok()) << patched.status().ToString();
  EXPECT_EQ(Field(*patched, {"data", "k"}), "3");

  EXPECT_TRUE(client_->Delete(kConfigMaps, "default", "crud").ok());
  EXPECT_TRUE(client_->Delete(kConfigMaps, "default", "crud-b").ok());
  EXPECT_TRUE(
      client_->Get(kConfigMaps, "default", "crud").status().IsNotFound());
}

TEST_F(RemoteClientTest, ServerErrorsArriveAsTheServersStatus) {
  auto missing = client_->Get(kConfigMaps, "default", "nope");
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(missing.status().message(), "configmaps \"nope\" not found");

  ASSERT_TRUE(
      client_->Create(kConfigMaps, "default", ConfigMap("dup", "1")).ok());
  auto again = client_->Create(kConfigMaps, "default", ConfigMap("dup", "1"));
  EXPECT_EQ(again.status().code(), Status::Code::kAlreadyExists);
  EXPECT_EQ(again.status().message(), "configmaps \"dup\" already exists");

  // A stale resourceVersion is a Conflict, not AlreadyExists (both 409).
  auto stale = ParseJson(ConfigMap("dup", "2"));
  ASSERT_TRUE(stale.ok());
  SetString(*Member(*stale, "metadata"), "resourceVersion", "1",
            stale->GetAllocator());
  auto conflict = client_->Update(kConfigMaps, "default", ToJson(*stale));
  EXPECT_TRUE(conflict.status().IsConflict()) << conflict.status().ToString();

  auto invalid =
      client_->Create(kConfigMaps, "default", ConfigMap("Bad_Name", "1"));
  EXPECT_EQ(invalid.status().code(), Status::Code::kInvalid);
  EXPECT_NE(invalid.status().message().find(
                "ConfigMap \"Bad_Name\" is invalid: metadata.name"),
            std::string::npos)
      << invalid.status().message();
  ASSERT_EQ(invalid.status().causes().size(), 1u);
  EXPECT_EQ(invalid.status().causes()[0].field, "metadata.name");
  EXPECT_EQ(invalid.status().causes()[0].reason, "FieldValueInvalid");

  auto unknown = client_->Get({"", "v1", "nosuchthings"}, "default", "x");
  EXPECT_TRUE(unknown.status().IsNotFound()) << unknown.status().ToString();
  EXPECT_TRUE(client_->Delete(kConfigMaps, "default", "dup").ok());
}

TEST_F(RemoteClientTest, WatchDeliversChangesUntilTheHandleIsGone) {
  ASSERT_TRUE(
      client_->Create(kConfigMaps, "default", ConfigMap("w0", "0")).ok());
  auto listed = client_->List(kConfigMaps, "default", {});
  ASSERT_TRUE(listed.ok());
  std::string rv = Field(*listed, {"metadata", "resourceVersion"});
  EventLog log;
  auto watch = client_->Watch(kConfigMaps, "default", rv,
                              [&log](const WatchEvent& e) { log.Add(e); });
  ASSERT_TRUE(watch.ok()) << watch.status().ToString();
  ASSERT_TRUE(
      client_->Create(kConfigMaps, "default", ConfigMap("w1", "1")).ok());
  ASSERT_TRUE(
      client_->MergePatch(kConfigMaps, "default", "w1", R"({"data":{"k":"2"}})")
          .ok());
  ASSERT_TRUE(client_->Delete(kConfigMaps, "default", "w1").ok());
  auto events = log.WaitFor(3);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].type, "ADDED");
  EXPECT_EQ(Field(events[0].object, {"metadata", "name"}), "w1");
  EXPECT_EQ(events[1].type, "MODIFIED");
  EXPECT_EQ(Field(events[1].object, {"data", "k"}), "2");
  EXPECT_EQ(events[2].type, "DELETED");

  watch->reset();  // no event after the handle is gone
  ASSERT_TRUE(
      client_->Create(kConfigMaps, "default", ConfigMap("w2", "1")).ok());
  ASSERT_TRUE(client_->Delete(kConfigMaps, "default", "w2").ok());
  // A second watch sees w2's deletion; by then the first would have too.
  EventLog later;
  auto probe = client_->Watch(kConfigMaps, "default", rv,
                              [&later](const WatchEvent& e) { later.Add(e); });
  ASSERT_TRUE(probe.ok());
  EXPECT_GE(later.WaitFor(5).size(), 5u);
  EXPECT_EQ(log.WaitFor(0).size(), 3u);
  EXPECT_TRUE(client_->Delete(kConfigMaps, "default", "w0").ok());
}

TEST_F(RemoteClientTest, WatchFromEmptyVersionStartsWithCurrentState) {
  ASSERT_TRUE(
      client_->Create(kConfigMaps, "default", ConfigMap("now", "1")).ok());
  EventLog log;
  auto watch = client_->Watch(kConfigMaps, "default", "",
                              [&log](const WatchEvent& e) { log.Add(e); });
  ASSERT_TRUE(watch.ok());
  EXPECT_TRUE(log.WaitForEvent("ADDED", "now"));
  watch->reset();
  EXPECT_TRUE(client_->Delete(kConfigMaps, "default", "now").ok());
}

// A selected watch (the node agent's spec.nodeName=<node>): objects that
// come to match arrive ADDED, those that stop matching DELETED, others
// never.
TEST_F(RemoteClientTest, SelectedWatchSeesOnlyWhatMatches) {
  ListOptions selected;
  selected.label_selector = "team=a";
  selected.field_selector = "metadata.name!=skipped";
  EventLog log;
  auto watch =
      client_->WatchSelected(kConfigMaps, "default", "", selected,
                             [&log](const WatchEvent& e) { log.Add(e); });
  ASSERT_TRUE(watch.ok()) << watch.status().ToString();
  ASSERT_TRUE(client_
                  ->Create(kConfigMaps, "default",
                           ConfigMap("other", "1", R"({"team":"b"})"))
                  .ok());
  ASSERT_TRUE(client_
                  ->Create(kConfigMaps, "default",
                           ConfigMap("skipped", "1", R"({"team":"a"})"))
                  .ok());
  ASSERT_TRUE(client_
                  ->MergePatch(kConfigMaps, "default", "other",
                               R"({"metadata":{"labels":{"team":"a"}}})")
                  .ok());
  ASSERT_TRUE(client_
                  ->MergePatch(kConfigMaps, "default", "other",
                               R"({"metadata":{"labels":{"team":"c"}}})")
                  .ok());
  auto events = log.WaitFor(2);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, "ADDED");
  EXPECT_EQ(Field(events[0].object, {"metadata", "name"}), "other");
  EXPECT_EQ(events[1].type, "DELETED");
  EXPECT_EQ(Field(events[1].object, {"metadata", "name"}), "other");
  watch->reset();
  EXPECT_EQ(log.WaitFor(0).size(), 2u);
  EXPECT_TRUE(client_->Delete(kConfigMaps, "default", "other").ok());
  EXPECT_TRUE(client_->Delete(kConfigMaps, "default", "skipped").ok());
}

TEST_F(RemoteClientTest, WatchOfUnknownResourceFailsAtOnce) {
  auto watch = client_->Watch({"", "v1", "nosuchthings"}, "default", "",
                              [](const WatchEvent&) {});
  EXPECT_TRUE(watch.status().IsNotFound()) << watch.status().ToString();
}

TEST_F(RemoteClientTest, ServerResourcesComeFromDiscovery) {
  bool pods = false, namespaces = false;
  for (const auto& r : client_->ServerResources()) {
    EXPECT_EQ(r.ref.resource.find('/'), std::string::npos);  // no subresource
    if (r.ref.resource == "pods" && r.ref.group.empty()) {
      pods = r.kind == "Pod" && r.namespaced;
    }
    if (r.ref.resource == "namespaces") {
      namespaces = r.kind == "Namespace" && !r.namespaced;
    }
  }
  EXPECT_TRUE(pods);
  EXPECT_TRUE(namespaces);
}

TEST_F(RemoteClientTest, ConcurrentCallersShareThePool) {
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        if (client_->Get({"", "v1", "namespaces"}, "", "default").ok()) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 80);
}

TEST_F(RemoteClientTest, BearerTokenKubeconfigAuthenticates) {
  auto token = tls::EnsureAdminToken(server_->data_dir());
  ASSERT_TRUE(token.ok());
  auto ca = tls::ReadFileToString(server_->data_dir() + "/pki/ca.crt");
  ASSERT_TRUE(ca.ok()) << ca.status().ToString();
  std::string path = dir_->path() + "/token.kubeconfig";
  ASSERT_TRUE(tls::WriteKubeconfig(
                  path, tls::RenderTokenKubeconfig(server_->url(), *ca, *token))
                  .ok());
  auto c = RemoteClient::FromKubeconfig(path);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_TRUE((*c)->Get({"", "v1", "namespaces"}, "", "default").ok());

  std::string bad = dir_->path() + "/bad-token.kubeconfig";
  ASSERT_TRUE(tls::WriteKubeconfig(
                  bad, tls::RenderTokenKubeconfig(server_->url(), *ca, "nope"))
                  .ok());
  auto denied = RemoteClient::FromKubeconfig(bad);
  ASSERT_TRUE(denied.ok());
  EXPECT_EQ(
      (*denied)->Get({"", "v1", "namespaces"}, "", "default").status().code(),
      Status::Code::kUnauthorized);
}

// A server that goes away ends the watch with one ERROR event (no silent
// reconnect), and later calls say Unavailable.
TEST(RemoteClientServerGoneTest, WatchEndsWithErrorAndCallsFail) {
  TempDir dir;
  BerthServer server(dir.path() + "/data");
  ASSERT_TRUE(server.Start()) << server.log();
  auto c = RemoteClient::FromKubeconfig(server.kubeconfig());
  ASSERT_TRUE(c.ok());
  EventLog log;
  // A selection nothing matches: the namespace's kube-root-ca.crt would
  // otherwise come first.
  ListOptions nothing;
  nothing.label_selector = "test=server-gone";
  auto watch = (*c)->WatchSelected(kConfigMaps, "default", "", nothing,
                                   [&log](const WatchEvent& e) { log.Add(e); });
  ASSERT_TRUE(watch.ok());
  server.Kill();
  bool error = false;
  for (const auto& e : log.WaitFor(1)) error = error || e.type == "ERROR";
  EXPECT_TRUE(error);
  auto after = (*c)->Get(kConfigMaps, "default", "x");
  EXPECT_EQ(after.status().code(), Status::Code::kUnavailable)
      << after.status().ToString();
}

}  // namespace
}  // namespace berth::client
