// `berth server` start-up failures a user meets: each stops the server with
// one line naming the cause, and leaves a running server untouched.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/api_client.h"
#include "tests/support/process.h"

namespace berth::testing {
namespace {

TEST(ServerStartTest, BusyPortFailsInsteadOfSharingIt) {
  TempDir dir;
  BerthServer first(dir.path() + "/first");
  ASSERT_TRUE(first.Start()) << first.log();
  const std::string port = first.url().substr(first.url().rfind(':') + 1);

  BerthServer second(dir.path() + "/second");
  EXPECT_FALSE(second.Start({"--port", port}));
  EXPECT_NE(second.log().find("cannot listen on"), std::string::npos)
      << second.log();
  EXPECT_NE(second.log().find("Address already in use"), std::string::npos)
      << second.log();

  // Every connection still reaches the first server (with its own CA).
  for (int i = 0; i < 20; ++i) {
    ApiClient client(first.url(), first.data_dir());
    EXPECT_EQ(client.Request("GET", "/readyz").status, 200);
  }
  EXPECT_EQ(first.Stop(), 0) << first.log();
}

// --watch-window-events bounds how far back a watch can resume: a watch
// from a revision older than the window is told it expired (410), as
// kube-apiserver answers past its watch cache; the default keeps it.
TEST(ServerStartTest, WatchWindowEventsBoundsWatchResume) {
  TempDir dir;
  for (bool small : {true, false}) {
    BerthServer server(dir.path() + (small ? "/small" : "/default"));
    ASSERT_TRUE(server.Start(
        small ? std::vector<std::string>{"--watch-window-events", "2"}
              : std::vector<std::string>{}))
        << server.log();
    ApiClient client(server.url(), server.data_dir());
    std::string first_rv;
    for (int i = 0; i < 5; ++i) {
      auto r = client.Request(
          "POST", "/api/v1/namespaces/default/configmaps",
          R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm-)" +
              std::to_string(i) + R"("}})");
      ASSERT_EQ(r.status, 201) << r.body;
      if (i == 0) {
        const size_t at = r.body.find("\"resourceVersion\":\"") + 19;
        first_rv = r.body.substr(at, r.body.find('"', at) - at);
      }
    }
    auto watch = client.Request(
        "GET",
        "/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=1"
        "&resourceVersion=" +
            first_rv);
    const bool expired = watch.status == 410 ||
                         watch.body.find("\"code\":410") != std::string::npos;
    EXPECT_EQ(expired, small) << watch.status << " " << watch.body;
    if (!small) {
      EXPECT_NE(watch.body.find("cm-4"), std::string::npos) << watch.body;
    }
    EXPECT_EQ(server.Stop(), 0) << server.log();
  }
}

}  // namespace
}  // namespace berth::testing
