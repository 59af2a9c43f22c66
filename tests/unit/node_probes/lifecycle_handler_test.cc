#include "probes/lifecycle_handler.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fake_runtime.h"
#include "probes/prober.h"
#include "test_http_server.h"

namespace berth::node {
namespace {

JsonDoc Parse(const std::string& text) {
  auto d = ParseJson(text);
  EXPECT_TRUE(d.ok()) << text;
  return d.ok() ? std::move(d).value() : JsonDoc();
}

class LifecycleTest : public ::testing::Test {
 protected:
  Status Run(const std::string& handler) {
    JsonDoc h = Parse(handler);
    return runner_.Run(h, pod_, pod_["spec"]["containers"][0], target_);
  }

  FakeRuntime runtime_;
  std::vector<std::chrono::seconds> slept_;
  LifecycleHandlerRunner runner_{runtime_, [this](std::chrono::seconds s) {
                                   slept_.push_back(s);
                                   return true;
                                 }};
  JsonDoc pod_ = Parse(R"({"metadata":{"name":"web","namespace":"default",
      "uid":"u-1"},"spec":{"containers":[{"name":"app"}]}})");
  ProbeTarget target_{"cid", "127.0.0.1", false};
};

TEST_F(LifecycleTest, ExecHookFailureMessage) {
  runtime_.script = {ExecSyncResult{0, "", "", false},
                     ExecSyncResult{3, "out\n", "err\n", false}};
  const std::string hook = R"({"exec":{"command":["sh","-c","exit 3"]}})";
  EXPECT_TRUE(Run(hook).ok());
  Status s = Run(hook);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "Exec lifecycle hook ([sh -c exit 3]) for Container \"app\" in "
            "Pod \"web_default(u-1)\" failed - error: command 'sh -c exit 3' "
            "exited with 3: err\n, message: \"out\\nerr\\n\"");
}

// A pod of another RuntimeClass: its hooks and exec probes run in the
// runtime that runs its containers, not the node's default.
TEST_F(LifecycleTest, ExecGoesToThePodsOwnRuntime) {
  FakeRuntime other;
  ProbeTarget target = target_;
  target.runtime = &other;
  JsonDoc hook = Parse(R"({"exec":{"command":["true"]}})");
  EXPECT_TRUE(
      runner_.Run(hook, pod_, pod_["spec"]["containers"][0], target).ok());
  JsonDoc probe = Parse(R"({"exec":{"command":["cat","/ready"]}})");
  Prober prober(runtime_);
  EXPECT_EQ(prober.Run(probe, pod_["spec"]["containers"][0], target).result,
            ProbeResult::kSuccess);
  EXPECT_TRUE(runtime_.calls.empty());
  EXPECT_EQ(other.calls,
            (std::vector<std::string>{"cid: true", "cid: cat /ready"}));
}

TEST_F(LifecycleTest, HttpHookFailsOnlyOnTransportErrors) {
  TestHttpServer server;
  // A 500 is not a failure for a hook (the kubelet ignores the status).
  EXPECT_TRUE(Run(R"({"httpGet":{"path":"/fail","port":)" +
                  std::to_string(server.port()) + "}}")
                  .ok());
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  const std::string port = std::to_string(ntohs(addr.sin_port));
  Status s = Run(R"({"httpGet":{"path":"/hook","port":)" + port + "}}");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "HTTP lifecycle hook (/hook) for Container \"app\" in Pod "
            "\"web_default(u-1)\" failed - error: Get "
            "\"http://127.0.0.1:" +
                port + "/hook\": dial tcp 127.0.0.1:" + port +
                ": connect: connection refused");
}

TEST_F(LifecycleTest, SleepAndUnknownActions) {
  EXPECT_TRUE(Run(R"({"sleep":{"seconds":7}})").ok());
  EXPECT_EQ(slept_, std::vector<std::chrono::seconds>{std::chrono::seconds(7)});
  EXPECT_FALSE(Run(R"({"tcpSocket":{"port":80}})").ok());
}

}  // namespace
}  // namespace berth::node
