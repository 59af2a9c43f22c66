// kubectl logs/exec/port-forward through the API server's proxy to a node's
// kubelet port, as kube-apiserver reaches a kubelet. A `berth server` with
// --kubelet-port runs the node agent (runc, CNI, a real registry) in a
// network namespace standing in for a machine; the node plugin is set not
// to serve its pods' streams to the API server directly
// (serveConnectLocally: false), so every stream takes the proxy path:
// PodConnectLocator, TLS with the kubelet-client certificate, the kubelet
// port's handler, and bytes spliced both ways.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "kernel/api/tls/file_util.h"
#include "kernel/api/tls/pki.h"
#include "tests/support/kubectl.h"
#include "tests/support/node_cluster.h"
#include "tests/support/node_netns.h"
#include "tests/support/oci_registry.h"
#include "tests/support/process.h"

namespace berth::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kImage[] = "127.0.0.1:5000/library/busybox:1.35";
constexpr char kKubeletPort[] = "10250";  // the netns has its own ports

class ConnectProxyE2eTest : public NodeClusterTest<> {
 protected:
  void SetUp() override {
    if (std::string missing = NodeCluster::MissingTools(); !missing.empty()) {
      GTEST_SKIP() << missing;
    }
    if (RunCommand("command -v curl").exit_code != 0) {
      GTEST_SKIP() << "curl is not installed (scripts/install-deps.sh)";
    }
    NodeClusterOptions options;
    options.netns_prefix = "berth-proxy";
    options.plugins = "  - core\n  - auth\n  - scheduler\n";
    options.node_settings = ", serveConnectLocally: false";
    options.server_args = {"--kubelet-port", kKubeletPort, "--log-level",
                           "debug"};
    ASSERT_NO_FATAL_FAILURE(cluster_.Start(options));
  }

  void TearDown() override { cluster_.DeletePodsAndStop(); }

  // Pod "web": prints a line, then busybox httpd serves /etc on 8080.
  void StartWebPod() {
    EXPECT_OK(Kubectl("apply -f -", std::string(R"(apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
    terminationGracePeriodSeconds: 2
    containers:
    - name: httpd
      image: )") + kImage + R"(
      command: ["sh", "-c", "echo hello-from-web; exec httpd -f -p 8080 -h /etc"]
)"));
    ASSERT_TRUE(Eventually([&] {
      return Jsonpath("pod web", ".status.containerStatuses[0].ready") ==
             "true";
    })) << Kubectl("describe pod web").out;
  }

  // The HTTP code the kubelet port answers a GET of `path` with, presenting
  // `cert`/`key` files ("" for none); "000" when the connection failed.
  std::string KubeletPortCode(const std::string& path,
                              const std::string& cert = "",
                              const std::string& key = "") {
    std::string cmd = "curl -sk -o /dev/null -w '%{http_code}' ";
    if (!cert.empty()) cmd += "--cert " + cert + " --key " + key + " ";
    return cluster_.node()
        .Exec(cmd + "https://127.0.0.1:" + kKubeletPort + path)
        .out;
  }
};

TEST_F(ConnectProxyE2eTest, LogsExecAndPortForwardGoThroughTheKubeletPort) {
  EXPECT_EQ(
      Jsonpath("node node1", ".status.daemonEndpoints.kubeletEndpoint.Port"),
      kKubeletPort);
  ASSERT_NO_FATAL_FAILURE(StartWebPod());

  auto logs = Kubectl("logs web");
  EXPECT_OK(logs);
  EXPECT_EQ(logs.out, "hello-from-web\n");

  // logs -f: the stream stays open through the proxy and carries a line
  // written after it started.
  const std::string follow_out = cluster_.dir() + "/follow.out";
  std::thread follower([&] {
    cluster_.node().Exec(
        "timeout 6 kubectl logs -f web > " + follow_out + " 2>&1",
        cluster_.kubectl_env());
  });
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_OK(Kubectl("exec web -- sh -c 'echo followed-line > /proc/1/fd/1'"));
  follower.join();
  std::ifstream followed(follow_out);
  const std::string seen((std::istreambuf_iterator<char>(followed)), {});
  EXPECT_EQ(seen, "hello-from-web\nfollowed-line\n");

  auto cat = Kubectl("exec web -- cat /etc/hostname");
  EXPECT_OK(cat);
  EXPECT_EQ(cat.out, "web\n");
  auto failing = Kubectl("exec web -- sh -c 'echo oops >&2; exit 3'");
  EXPECT_EQ(failing.exit_code, 3) << failing.err;
  EXPECT_THAT(failing.err, HasSubstr("oops"));
  auto piped = Kubectl("exec -i web -- cat", "through stdin\n");
  EXPECT_EQ(piped.out, "through stdin\n") << piped.err;

  auto forward = cluster_.node().Exec(
      "kubectl port-forward pod/web 18080:8080 > /dev/null 2>&1 & pf=$!; "
      "sleep 2; busybox wget -qO- http://127.0.0.1:18080/hostname; kill $pf",
      cluster_.kubectl_env());
  EXPECT_EQ(forward.out, "web\n") << forward.err;

  // Every one of them took the proxy, not the in-process handler.
  EXPECT_THAT(cluster_.server().log(),
              HasSubstr("pods/exec default/web: proxied to node node1"));
  EXPECT_THAT(cluster_.server().log(),
              HasSubstr("pods/portforward default/web: proxied to node node1"));
}

// kubectl 1.27 speaks SPDY/3.1 for exec and port-forward (not WebSocket):
// the proxy carries that upgrade too.
TEST_F(ConnectProxyE2eTest, SpdyFromKubectl127GoesThroughTheKubeletPort) {
  const std::string kubectl127 = "/usr/lib/google-cloud-sdk/bin/kubectl.1.27";
  if (access(kubectl127.c_str(), X_OK) != 0) {
    GTEST_SKIP() << kubectl127 << " is not installed";
  }
  ASSERT_NO_FATAL_FAILURE(StartWebPod());
  const auto env = cluster_.kubectl_env();
  auto cat =
      cluster_.node().Exec(kubectl127 + " exec web -- cat /etc/hostname", env);
  EXPECT_EQ(cat.out, "web\n") << cat.err;
  auto failing =
      cluster_.node().Exec(kubectl127 + " exec web -- sh -c 'exit 4'", env);
  EXPECT_EQ(failing.exit_code, 4) << failing.err;
  auto forward = cluster_.node().Exec(
      kubectl127 +
          " port-forward pod/web 18081:8080 > /dev/null 2>&1 & pf=$!; "
          "sleep 2; busybox wget -qO- http://127.0.0.1:18081/hostname; "
          "kill $pf",
      env);
  EXPECT_EQ(forward.out, "web\n") << forward.err;
  EXPECT_THAT(cluster_.server().log(),
              HasSubstr("pods/exec default/web: proxied to node node1"));
}

TEST_F(ConnectProxyE2eTest, KubeletPortServesOnlyTheApiServer) {
  const tls::PkiPaths pki = tls::PkiPathsFor(cluster_.server().data_dir());
  const std::string path = "/containerLogs/default/nope/c";
  // The API server's identity gets in (the pod does not exist).
  EXPECT_EQ(
      KubeletPortCode(path, pki.kubelet_client_cert, pki.kubelet_client_key),
      "404");
  EXPECT_EQ(KubeletPortCode(path), "401");
  auto bob = tls::IssueClientCert(pki, "bob", {"developers"});
  ASSERT_TRUE(bob.ok());
  const std::string d = cluster_.dir();
  ASSERT_TRUE(
      tls::WriteFileAtomically(d + "/bob.crt", bob->cert_pem, 0600).ok());
  ASSERT_TRUE(
      tls::WriteFileAtomically(d + "/bob.key", bob->key_pem, 0600).ok());
  EXPECT_EQ(KubeletPortCode(path, d + "/bob.crt", d + "/bob.key"), "403");
  // The right name signed by another CA: the handshake is refused.
  auto other = tls::EnsurePki(d + "/other", {});
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(KubeletPortCode(path, other->kubelet_client_cert,
                            other->kubelet_client_key),
            "000");
}

TEST_F(ConnectProxyE2eTest, ErrorsAsKubernetesGivesThem) {
  // Not scheduled: no node matches its selector.
  EXPECT_OK(Kubectl("apply -f -", std::string(R"(apiVersion: v1
kind: Pod
metadata: {name: pending}
spec:
  nodeSelector: {nowhere: "true"}
  containers: [{name: main, image: )") +
                                      kImage + "}]\n"));
  auto unscheduled = Kubectl("logs pending");
  EXPECT_NE(unscheduled.exit_code, 0);
  EXPECT_THAT(unscheduled.err,
              HasSubstr("pod pending does not have a host assigned"));

  // A node whose kubelet port does not answer.
  EXPECT_OK(Kubectl("apply -f -",
                    "apiVersion: v1\nkind: Node\nmetadata: {name: ghost}\n"));
  EXPECT_OK(Kubectl(
      "patch node ghost --subresource=status --type=merge -p "
      "'{\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":"
      "\"127.0.0.1\"}],\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":"
      "1}}}}'"));
  EXPECT_OK(Kubectl("apply -f -", std::string(R"(apiVersion: v1
kind: Pod
metadata: {name: lost}
spec:
  nodeName: ghost
  containers: [{name: main, image: )") +
                                      kImage + "}]\n"));
  auto unreachable = Kubectl("logs lost");
  EXPECT_NE(unreachable.exit_code, 0);
  EXPECT_THAT(unreachable.err,
              HasSubstr("error dialing backend: node \"ghost\" at "
                        "127.0.0.1:1"));
  auto exec = Kubectl("exec lost -- true");
  EXPECT_NE(exec.exit_code, 0);
  EXPECT_THAT(exec.err, HasSubstr("node \"ghost\""));
  Kubectl("delete pod lost --grace-period=0 --force");
  Kubectl("delete node ghost");
}

}  // namespace
}  // namespace berth::testing
