#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "fake_runtime.h"
#include "probes/http_get.h"
#include "probes/prober.h"
#include "test_http_server.h"

namespace berth::node {
namespace {

JsonDoc Parse(const std::string& text) {
  auto d = ParseJson(text);
  EXPECT_TRUE(d.ok()) << text;
  return d.ok() ? std::move(d).value() : JsonDoc();
}

// A loopback port nothing listens on.
int ClosedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

class HttpProbeTest : public ::testing::Test {
 protected:
  ProbeOutcome Probe(const std::string& probe_json,
                     const std::string& container_json = R"({"name":"c"})") {
    JsonDoc probe = Parse(probe_json);
    JsonDoc container = Parse(container_json);
    return prober_.Run(probe, container, target_);
  }
  std::string HttpGet(const std::string& path) {
    return R"({"httpGet":{"path":")" + path + R"(","port":)" +
           std::to_string(server_.port()) + "}}";
  }

  TestHttpServer server_;
  FakeRuntime runtime_;
  Prober prober_{runtime_};
  ProbeTarget target_{"cid", "127.0.0.1", false};
};

TEST_F(HttpProbeTest, StatusCodesDecide) {
  ProbeOutcome ok = Probe(HttpGet("/ok"));
  EXPECT_EQ(ok.result, ProbeResult::kSuccess);
  EXPECT_EQ(ok.output, "fine");
  ProbeOutcome fail = Probe(HttpGet("/fail"));
  EXPECT_EQ(fail.result, ProbeResult::kFailure);
  // The body is never in the user-facing message (Kubernetes #99425).
  EXPECT_EQ(fail.output, "HTTP probe failed with statuscode: 500");
  EXPECT_EQ(EventFor(ProbeType::kLiveness, fail).message,
            "Liveness probe failed: HTTP probe failed with statuscode: 500");
  EXPECT_EQ(EventFor(ProbeType::kLiveness, fail).reason, "Unhealthy");
  EXPECT_EQ(Probe(HttpGet("/missing")).output,
            "HTTP probe failed with statuscode: 404");
}

TEST_F(HttpProbeTest, RedirectRules) {
  // Same host: followed.
  ProbeOutcome local = Probe(HttpGet("/redirect"));
  EXPECT_EQ(local.result, ProbeResult::kSuccess);
  EXPECT_EQ(local.output, "fine");
  EXPECT_FALSE(local.warning);
  // Another host: not followed; success with a warning.
  ProbeOutcome away = Probe(HttpGet("/away"));
  EXPECT_EQ(away.result, ProbeResult::kSuccess);
  EXPECT_TRUE(away.warning);
  EXPECT_EQ(away.output, "Probe terminated redirects, Response body: moved");
  EXPECT_EQ(EventFor(ProbeType::kReadiness, away).message,
            "Readiness probe warning: Probe terminated redirects, Response "
            "body: moved");
  // A loop: Go's client gives up after 10.
  ProbeOutcome loop = Probe(HttpGet("/loop"));
  EXPECT_EQ(loop.result, ProbeResult::kFailure);
  EXPECT_EQ(loop.output,
            "Get \"http://127.0.0.1:" + std::to_string(server_.port()) +
                "/loop\": stopped after 10 redirects");
}

TEST_F(HttpProbeTest, HeadersHostAndNamedPort) {
  const std::string probe = R"({"httpGet":{"path":"/headers","port":"web",
      "httpHeaders":[{"name":"Host","value":"example.com"},
                     {"name":"X-Custom","value":"v"}]}})";
  const std::string container = R"({"name":"c","ports":[{"name":"web",
      "containerPort":)" + std::to_string(server_.port()) +
                                "}]}";
  EXPECT_EQ(Probe(probe, container).result, ProbeResult::kSuccess);
  ProbeOutcome unnamed =
      Probe(R"({"httpGet":{"path":"/ok","port":"nope"}})", container);
  EXPECT_EQ(unnamed.result, ProbeResult::kUnknown);
  EXPECT_EQ(unnamed.output, "couldn't find port: nope in container c");
}

TEST_F(HttpProbeTest, HostNetworkPodsAreProbedOnLoopback) {
  target_.pod_ip = "192.0.2.1";  // not routable here
  target_.host_network = true;
  EXPECT_EQ(Probe(HttpGet("/ok")).result, ProbeResult::kSuccess);
}

TEST_F(HttpProbeTest, TransportErrorsUseGoWords) {
  const int port = ClosedPort();
  ProbeOutcome refused =
      Probe(R"({"httpGet":{"path":"/x","port":)" + std::to_string(port) + "}}");
  EXPECT_EQ(refused.result, ProbeResult::kFailure);
  EXPECT_EQ(refused.output,
            "Get \"http://127.0.0.1:" + std::to_string(port) +
                "/x\": dial tcp 127.0.0.1:" + std::to_string(port) +
                ": connect: connection refused");
  // No answer within timeoutSeconds.
  ProbeOutcome slow =
      Probe(R"({"timeoutSeconds":1,"httpGet":{"path":"/hold","port":)" +
            std::to_string(server_.port()) + "}}");
  server_.Release();
  EXPECT_EQ(slow.result, ProbeResult::kFailure);
  EXPECT_EQ(slow.output,
            "Get \"http://127.0.0.1:" + std::to_string(server_.port()) +
                "/hold\": context deadline exceeded "
                "(Client.Timeout exceeded while awaiting "
                "headers)");
}

TEST_F(HttpProbeTest, TcpSocket) {
  EXPECT_EQ(
      Probe(R"({"tcpSocket":{"port":)" + std::to_string(server_.port()) + "}}")
          .result,
      ProbeResult::kSuccess);
  const int port = ClosedPort();
  ProbeOutcome refused =
      Probe(R"({"tcpSocket":{"port":)" + std::to_string(port) + "}}");
  EXPECT_EQ(refused.result, ProbeResult::kFailure);
  EXPECT_EQ(refused.output, "dial tcp 127.0.0.1:" + std::to_string(port) +
                                ": connect: connection refused");
}

TEST_F(HttpProbeTest, ExecAndGrpc) {
  runtime_.script = {ExecSyncResult{0, "ok\n", "", false},
                     ExecSyncResult{1, "", "not ready\n", false},
                     ExecSyncResult{-1, "", "", true}};
  const std::string exec =
      R"({"timeoutSeconds":5,"exec":{"command":["cat","/tmp/healthy"]}})";
  EXPECT_EQ(Probe(exec).result, ProbeResult::kSuccess);
  ProbeOutcome failed = Probe(exec);
  EXPECT_EQ(failed.result, ProbeResult::kFailure);
  EXPECT_EQ(EventFor(ProbeType::kLiveness, failed).message,
            "Liveness probe failed: not ready\n");
  ProbeOutcome timed_out = Probe(exec);
  EXPECT_EQ(timed_out.result, ProbeResult::kFailure);
  EXPECT_EQ(timed_out.output, "command \"cat /tmp/healthy\" timed out");
  ASSERT_EQ(runtime_.calls.size(), 3u);
  EXPECT_EQ(runtime_.calls[0], "cid: cat /tmp/healthy");
  EXPECT_EQ(runtime_.timeouts[0], std::chrono::seconds(5));

  // $(VAR) from the container's literal env values only.
  Probe(R"j({"exec":{"command":["test","$(FILE)","$(SECRET)","$$(X)"]}})j",
        R"({"name":"c","env":[{"name":"FILE","value":"/ready"},
            {"name":"SECRET","valueFrom":{"secretKeyRef":{"name":"s",
            "key":"k"}}}]})");
  EXPECT_EQ(runtime_.calls.back(), "cid: test /ready  $(X)");

  ProbeOutcome grpc = Probe(R"({"grpc":{"port":9000}})");
  EXPECT_EQ(grpc.result, ProbeResult::kUnknown);
  EXPECT_EQ(EventFor(ProbeType::kStartup, grpc).message,
            "Startup probe errored: grpc probes are not supported by this "
            "node");
}

}  // namespace
}  // namespace berth::node
