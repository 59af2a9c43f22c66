// `berth server` start-up failures a user meets: each stops the server with
// one line naming the cause, and leaves a running server untouched.
#include <gtest/gtest.h>

#include <string>

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

}  // namespace
}  // namespace berth::testing
