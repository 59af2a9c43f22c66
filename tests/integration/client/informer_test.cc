// SharedInformer over the real API: a cache of a real `berth server`'s
// ConfigMaps (list format, resourceVersions, watch events) that follows
// creates, updates and deletes and answers label-selector lists.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

#include "berth/json.h"
#include "kernel/client/remote_client.h"
#include "kernel/controller/shared_informer.h"
#include "tests/support/process.h"

namespace berth {
namespace {

using testing::BerthServer;
using testing::TempDir;

const ResourceRef kConfigMaps{"", "v1", "configmaps"};

// Waits for `done`; the bound only stops a hung test.
bool WaitUntil(const std::function<bool()>& done) {
  const auto give_up =
      std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!done()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

std::string ConfigMap(const std::string& name, const std::string& labels,
                      const std::string& value) {
  return R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":")" +
         name + R"(","labels":)" + labels + R"(},"data":{"v":")" + value +
         R"("}})";
}

TEST(InformerIntegrationTest, FollowsTheServer) {
  TempDir dir;
  BerthServer server(dir.path() + "/data");
  ASSERT_TRUE(server.Start()) << server.log();
  auto c = client::RemoteClient::FromKubeconfig(server.kubeconfig());
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  Client& client = **c;
  ASSERT_TRUE(client
                  .Create(kConfigMaps, "default",
                          ConfigMap("before", R"({"app":"web"})", "1"))
                  .ok());

  SharedInformer informer(client, kConfigMaps);
  Informer& cache = informer;
  informer.Start();
  ASSERT_TRUE(WaitUntil([&] { return cache.HasSynced(); }));
  EXPECT_TRUE(cache.Get("default", "before").ok());

  std::atomic<int> deletes{0};
  InformerHandlers h;
  h.on_delete = [&](const CachedObject&) { ++deletes; };
  cache.AddHandlers(h);

  ASSERT_TRUE(client
                  .Create(kConfigMaps, "default",
                          ConfigMap("after", R"({"app":"db"})", "1"))
                  .ok());
  ASSERT_TRUE(WaitUntil([&] { return cache.Get("default", "after").ok(); }));
  ASSERT_TRUE(
      client
          .MergePatch(kConfigMaps, "default", "after", R"({"data":{"v":"2"}})")
          .ok());
  ASSERT_TRUE(WaitUntil([&] {
    auto o = cache.Get("default", "after");
    return o.ok() && GetString(*ParseJson(**o), {"data", "v"}) == "2";
  }));
  auto webs = cache.List("default", "app=web");
  ASSERT_TRUE(webs.ok());
  ASSERT_EQ(webs->size(), 1u);
  EXPECT_EQ(GetString(*ParseJson(*(*webs)[0]), {"metadata", "name"}), "before");

  ASSERT_TRUE(client.Delete(kConfigMaps, "default", "before").ok());
  ASSERT_TRUE(WaitUntil([&] { return !cache.Get("default", "before").ok(); }));
  EXPECT_EQ(deletes.load(), 1);
  informer.Stop();
  server.Stop();
}

}  // namespace
}  // namespace berth
