#include <gtest/gtest.h>

#include "backoff.h"
#include "fake_runtime.h"
#include "image_pull.h"
#include "pods_connect.h"

namespace berth::node {
namespace {

using std::chrono::seconds;

JsonDoc Doc(const std::string& text) {
  return std::move(ParseJson(text)).value();
}

TEST(ImagePullTest, DefaultPolicyFollowsTheTag) {
  EXPECT_EQ(EffectivePullPolicy(Doc(R"({"image":"busybox"})")), "Always");
  EXPECT_EQ(EffectivePullPolicy(Doc(R"({"image":"busybox:latest"})")),
            "Always");
  EXPECT_EQ(EffectivePullPolicy(Doc(R"({"image":"busybox:1.36"})")),
            "IfNotPresent");
  EXPECT_EQ(EffectivePullPolicy(Doc(R"({"image":"reg:5000/app"})")), "Always");
  EXPECT_EQ(EffectivePullPolicy(Doc(R"({"image":"app@sha256:ab"})")),
            "IfNotPresent");
  EXPECT_EQ(EffectivePullPolicy(
                Doc(R"({"image":"busybox","imagePullPolicy":"Never"})")),
            "Never");
}

TEST(ImagePullTest, RegistryHostOfAReference) {
  EXPECT_EQ(RegistryHost("busybox"), "docker.io");
  EXPECT_EQ(RegistryHost("library/busybox:1"), "docker.io");
  EXPECT_EQ(RegistryHost("reg:5000/app:1"), "reg:5000");
  EXPECT_EQ(RegistryHost("localhost/app"), "localhost");
  EXPECT_EQ(RegistryHost("quay.io/x/y"), "quay.io");
}

TEST(ImagePullTest, DockerHubKeyMatchesUnqualifiedImages) {
  // {"auths":{"https://index.docker.io/v1/":{"username":"a","password":"b"}}}
  const std::string secret =
      R"({"type":"kubernetes.io/dockerconfigjson","data":{".dockerconfigjson":)"
      R"("eyJhdXRocyI6eyJodHRwczovL2luZGV4LmRvY2tlci5pby92MS8iOnsidXNlcm5hbWUi)"
      R"(OiJhIiwicGFzc3dvcmQiOiJiIn19fQ=="}})";
  auto auth = PullAuthFor("busybox", {secret});
  ASSERT_TRUE(auth.has_value());
  EXPECT_EQ(auth->username, "a");
  EXPECT_FALSE(PullAuthFor("reg:5000/app", {secret}).has_value());
}

TEST(BackoffTest, DoublesToTheCapAndResetsAfterQuiet) {
  FakeClock clock;
  Backoff b(seconds(10), seconds(300));
  std::vector<int64_t> delays;
  for (int i = 0; i < 7; ++i) {
    b.Next("k", clock.Now());
    delays.push_back(std::chrono::duration_cast<seconds>(b.Get("k")).count());
  }
  EXPECT_EQ(delays, (std::vector<int64_t>{10, 20, 40, 80, 160, 300, 300}));
  EXPECT_TRUE(b.IsInBackoffSince("k", clock.Now(), clock.Now() + seconds(299)));
  EXPECT_FALSE(
      b.IsInBackoffSince("k", clock.Now(), clock.Now() + seconds(300)));
  clock.Advance(seconds(601));
  b.Next("k", clock.Now());
  EXPECT_EQ(b.Get("k"), seconds(10));
}

class FakeExecStreams : public ExecStreams {
 public:
  bool has_stdin() const override { return false; }
  bool has_stdout() const override { return true; }
  bool has_stderr() const override { return true; }
  bool tty() const override { return false; }
  bool ReadStdin(std::string&) override { return false; }
  bool WriteStdout(std::string_view d) override {
    out += d;
    return true;
  }
  bool WriteStderr(std::string_view) override { return true; }
  void OnResize(std::function<void(uint16_t, uint16_t)>) override {}
  std::string out;
};

TEST(PodsConnectTest, ServesOnlyThisNodesPodsAndExecsInTheContainer) {
  FakeClock clock;
  FakeRuntime runtime(&clock);
  PodClient client;
  client.objects["pods/default/web"] =
      R"({"metadata":{"name":"web","namespace":"default","uid":"u1"},)"
      R"("spec":{"nodeName":"n1","containers":[{"name":"app"}]}})";
  client.objects["pods/default/far"] =
      R"({"metadata":{"name":"far","namespace":"default","uid":"u2"},)"
      R"("spec":{"nodeName":"n2","containers":[{"name":"app"}]}})";
  PodSandboxConfig sb;
  sb.uid = "u1";
  const std::string sandbox = *runtime.RunPodSandbox(sb);
  ContainerConfig c;
  c.name = "app";
  c.labels = {{"io.kubernetes.pod.uid", "u1"},
              {"io.kubernetes.container.name", "app"}};
  const std::string id = *runtime.CreateContainer(sandbox, c, sb);
  ASSERT_TRUE(runtime.StartContainer(id).ok());

  PodsConnectDeps deps;
  deps.client = &client;
  deps.node_name = "n1";
  deps.runtime_of = [&](const std::string& uid, std::string* s) {
    *s = sandbox;
    return uid == "u1" ? &runtime : nullptr;
  };
  PodsConnectHandler handler(deps);

  ConnectRequest far{"default", "far", "exec", {{"command", "ls"}}, {}};
  auto refused = handler.Open(far);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("runs on node n2"),
            std::string::npos);

  ConnectRequest bad{
      "default", "web", "exec", {{"command", "ls"}, {"container", "nope"}}, {}};
  auto invalid = handler.Open(bad);
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.status().message(),
            "container nope is not valid for pod web");

  ConnectRequest exec{
      "default", "web", "exec", {{"command", "cat"}, {"command", "/f"}}, {}};
  auto session = handler.Open(exec);
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  FakeExecStreams streams;
  ExecResult r = (*session)->ServeExec(streams);
  EXPECT_TRUE(r.status.ok());
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(streams.out, "out");
  EXPECT_EQ(runtime.calls.back(), "Exec " + id + " cat /f");
}

}  // namespace
}  // namespace berth::node
