// SharedInformer against an in-memory list+watch server: the cache it
// serves (Get, List by namespace and labels), the handlers it calls, and
// the relist after the watch ends, telling handlers what changed meanwhile.
#include "kernel/controller/shared_informer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <mutex>
#include <thread>

#include "kernel/controller/informer_factory.h"
#include "tests/unit/controller/list_watch_client.h"

namespace berth {
namespace {

const ResourceRef kConfigMaps{"", "v1", "configmaps"};

// Waits for `done`; the bound only stops a hung test, it is not a timing
// assertion.
bool WaitUntil(const std::function<bool()>& done) {
  const auto give_up =
      std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!done()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

std::string NameOf(const CachedObject& o) {
  return GetString(*ParseJson(*o), {"metadata", "name"});
}
std::string ValueOf(const CachedObject& o) {
  return GetString(*ParseJson(*o), {"data", "v"});
}

// Records handler calls as "add a", "update a x->y", "delete a".
class Recorder {
 public:
  InformerHandlers Handlers() {
    InformerHandlers h;
    h.on_add = [this](const CachedObject& o) { Note("add " + NameOf(o)); };
    h.on_update = [this](const CachedObject& old_obj, const CachedObject& o) {
      Note("update " + NameOf(o) + " " + ValueOf(old_obj) + "->" + ValueOf(o));
    };
    h.on_delete = [this](const CachedObject& o) {
      Note("delete " + NameOf(o));
    };
    return h;
  }
  std::vector<std::string> calls() {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }
  size_t size() {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_.size();
  }

 private:
  void Note(std::string s) {
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back(std::move(s));
  }
  std::mutex mu_;
  std::vector<std::string> calls_;
};

SharedInformer::Options Fast() {
  SharedInformer::Options o;
  o.retry_initial = std::chrono::milliseconds(1);
  o.retry_max = std::chrono::milliseconds(2);
  return o;
}

class SharedInformerTest : public ::testing::Test {
 protected:
  void StartSynced() {
    informer_.Start();
    ASSERT_TRUE(WaitUntil([&] { return informer_.HasSynced(); }));
    // Synced, and the watch is open from the list's resourceVersion.
    ASSERT_TRUE(WaitUntil([&] { return !client_.watch_versions().empty(); }));
  }

  ListWatchClient client_;
  SharedInformer informer_{client_, kConfigMaps, Fast()};
  // The SDK interface, as plugins call it (with its default arguments).
  Informer& view_ = informer_;
};

TEST_F(SharedInformerTest, ServesTheListedObjectsAndWatchesFromTheList) {
  client_.Put("a", "web", R"({"app":"web"})", "1");
  client_.Put("a", "db", R"({"app":"db"})", "1");
  client_.Put("b", "web", R"({"app":"web"})", "1");
  EXPECT_FALSE(informer_.HasSynced());
  StartSynced();
  EXPECT_EQ(client_.watch_versions(),
            std::vector<std::string>{client_.revision()});

  auto got = informer_.Get("a", "db");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(NameOf(*got), "db");
  EXPECT_TRUE(informer_.Get("a", "nope").status().IsNotFound());

  auto in_a = view_.List("a");
  ASSERT_TRUE(in_a.ok());
  ASSERT_EQ(in_a->size(), 2u);
  EXPECT_EQ(NameOf((*in_a)[0]), "db");
  EXPECT_EQ(NameOf((*in_a)[1]), "web");
  auto webs = view_.List("", "app=web");
  ASSERT_TRUE(webs.ok());
  EXPECT_EQ(webs->size(), 2u);
  auto all = view_.List("");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 3u);
  auto bad = view_.List("", "app in (");
  EXPECT_EQ(bad.status().code(), Status::Code::kBadRequest);
}

TEST_F(SharedInformerTest, HandlersGetCurrentObjectsThenEveryChange) {
  client_.Put("a", "x", "{}", "1");
  StartSynced();
  Recorder rec;
  informer_.AddHandlers(rec.Handlers());
  EXPECT_EQ(rec.calls(), std::vector<std::string>{"add x"});

  client_.Put("a", "y", R"({"tier":"front"})", "1");
  client_.Put("a", "x", "{}", "2");
  client_.Remove("a", "y");
  EXPECT_EQ(rec.calls(), (std::vector<std::string>{
                             "add x", "add y", "update x 1->2", "delete y"}));
  EXPECT_TRUE(informer_.Get("a", "y").status().IsNotFound());
  EXPECT_EQ(ValueOf(*informer_.Get("a", "x")), "2");
  EXPECT_TRUE(view_.List("", "tier=front")->empty());
}

TEST_F(SharedInformerTest, WatchErrorRelistsAndDeliversWhatChangedMeanwhile) {
  client_.Put("a", "keep", "{}", "1");
  client_.Put("a", "change", "{}", "1");
  client_.Put("a", "gone", "{}", "1");
  StartSynced();
  Recorder rec;
  informer_.AddHandlers(rec.Handlers());
  ASSERT_EQ(rec.size(), 3u);

  // Changes the informer does not hear about, then the watch ends.
  client_.Put("a", "change", "{}", "2", /*silently=*/true);
  client_.Remove("a", "gone", /*silently=*/true);
  client_.Put("a", "new", "{}", "1", /*silently=*/true);
  client_.EmitError();
  ASSERT_TRUE(WaitUntil([&] { return informer_.list_count() == 2; }));
  ASSERT_TRUE(WaitUntil([&] { return client_.watch_versions().size() == 2; }));

  auto calls = rec.calls();
  std::vector<std::string> after(calls.begin() + 3, calls.end());
  std::sort(after.begin(), after.end());
  EXPECT_EQ(after, (std::vector<std::string>{"add new", "delete gone",
                                             "update change 1->2"}));
  EXPECT_EQ(client_.watch_versions()[1], client_.revision());
  EXPECT_EQ(ValueOf(*informer_.Get("a", "change")), "2");
  EXPECT_TRUE(informer_.Get("a", "gone").status().IsNotFound());

  // The new watch delivers again.
  client_.Put("a", "later", "{}", "1");
  EXPECT_EQ(rec.calls().back(), "add later");
}

TEST_F(SharedInformerTest, FailedListsAreRetried) {
  client_.Put("a", "x");
  client_.FailNextLists(2);
  StartSynced();
  EXPECT_EQ(client_.list_calls(), 3);
  EXPECT_TRUE(informer_.Get("a", "x").ok());
}

TEST_F(SharedInformerTest, RemovedHandlersAreNotCalled) {
  StartSynced();
  Recorder kept, removed;
  informer_.AddHandlers(kept.Handlers());
  uint64_t id = informer_.AddHandlers(removed.Handlers());
  informer_.RemoveHandlers(id);
  client_.Put("a", "x");
  EXPECT_EQ(kept.calls(), std::vector<std::string>{"add x"});
  EXPECT_TRUE(removed.calls().empty());
}

TEST_F(SharedInformerTest, StopClosesTheWatch) {
  StartSynced();
  Recorder rec;
  informer_.AddHandlers(rec.Handlers());
  informer_.Stop();
  client_.Put("a", "x");
  EXPECT_TRUE(rec.calls().empty());
}

TEST(InformerFactoryTest, OneInformerPerResourceShared) {
  ListWatchClient client;
  InformerFactory factory(client, Fast());
  SharedInformer& a = factory.For(kConfigMaps);
  SharedInformer& b = factory.For(kConfigMaps);
  SharedInformer& pods = factory.For({"", "v1", "pods"});
  EXPECT_EQ(&a, &b);
  EXPECT_NE(&a, &pods);
  EXPECT_TRUE(WaitUntil([&] { return a.HasSynced(); }));
  factory.Stop();
  // Asked for after Stop: answered, but it never lists.
  const int lists = client.list_calls();
  SharedInformer& late = factory.For({"", "v1", "secrets"});
  EXPECT_FALSE(late.HasSynced());
  EXPECT_EQ(late.list_count(), 0u);
  EXPECT_EQ(client.list_calls(), lists);
}

}  // namespace
}  // namespace berth
