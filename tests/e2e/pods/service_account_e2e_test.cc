// End-to-end: in-cluster API access as a Kubernetes user expects it. On a
// one-node Berth with runc and CNI, a busybox pod finds its ServiceAccount
// token, the cluster CA and its namespace in
// /var/run/secrets/kubernetes.io/serviceaccount (the ServiceAccount
// admission's kube-api-access volume, filled by the node through the
// TokenRequest API), and with that token the API server lets it list the
// pods of its namespace; a pod with automountServiceAccountToken: false has
// no such volume. Waits poll with a generous deadline and measure nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "tests/support/kubectl.h"
#include "tests/support/node_cluster.h"
#include "tests/support/process.h"

namespace berth::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kImage[] = "127.0.0.1:5000/library/busybox:1.35";
constexpr char kMount[] = "/var/run/secrets/kubernetes.io/serviceaccount";

class ServiceAccountE2eTest : public NodeClusterTest<> {
 protected:
  void SetUp() override {
    if (std::string missing = NodeCluster::MissingTools(); !missing.empty()) {
      GTEST_SKIP() << missing;
    }
    NodeClusterOptions options;
    options.netns_prefix = "berth-sa";
    // Listening on every address, so a pod reaches the API at its gateway
    // (an address of the node).
    options.server_args = {"--bind-address", "0.0.0.0"};
    ASSERT_NO_FATAL_FAILURE(cluster_.Start(options));
  }
  void TearDown() override { cluster_.DeletePodsAndStop(); }

  bool PodReady(const std::string& pod) {
    return Jsonpath("pod " + pod,
                    ".status.conditions[?(@.type==\"Ready\")].status") ==
           "True";
  }
  void RunPod(const std::string& name, const std::string& pod_extra = "") {
    EXPECT_OK(Kubectl("apply -f -",
                      "apiVersion: v1\nkind: Pod\nmetadata:\n"
                      "  name: " +
                          name + "\nspec:\n" + pod_extra +
                          "  containers:\n  - name: main\n"
                          "    image: " +
                          kImage + "\n    command: [sleep, '3600']\n"));
  }
  CommandResult InPod(const std::string& pod, const std::string& command) {
    return Kubectl("exec " + pod + " -- sh -c '" + command + "'");
  }
};

TEST_F(ServiceAccountE2eTest, PodReachesTheApiWithItsProjectedToken) {
  RunPod("reader");
  RunPod("sealed", "  automountServiceAccountToken: false\n");
  ASSERT_TRUE(Eventually([&] { return PodReady("reader"); }))
      << Kubectl("describe pod reader").out;
  ASSERT_TRUE(Eventually([&] { return PodReady("sealed"); }))
      << Kubectl("describe pod sealed").out;

  const std::string dir = kMount;
  auto ns = InPod("reader", "cat " + dir + "/namespace");
  EXPECT_OK(ns);
  EXPECT_EQ(ns.out, "default");
  auto ca = InPod("reader", "cat " + dir + "/ca.crt");
  EXPECT_OK(ca);
  EXPECT_THAT(ca.out, StartsWith("-----BEGIN CERTIFICATE-----"));
  auto token = InPod("reader", "cat " + dir + "/token");
  EXPECT_OK(token);
  EXPECT_THAT(token.out, StartsWith("eyJ"));
  // Read-only, as every container sees it.
  EXPECT_NE(InPod("reader", "touch " + dir + "/x").exit_code, 0);

  // The token is the pod's ServiceAccount to the API server, which lets it
  // list the pods of its namespace (kubectl inside the node's namespace,
  // where the server listens).
  const std::string with_token =
      "kubectl --server=" + cluster_.server().url() +
      " --insecure-skip-tls-verify --token=" + token.out + " ";
  const std::map<std::string, std::string> env = {
      {"HOME", cluster_.dir() + "/home"}, {"KUBECONFIG", "/dev/null"}};
  auto whoami = cluster_.node().Exec(with_token + "auth whoami", env);
  EXPECT_OK(whoami);
  EXPECT_THAT(whoami.out, HasSubstr("system:serviceaccount:default:default"));
  auto pods =
      cluster_.node().Exec(with_token + "get pods -n default -o name", env);
  EXPECT_OK(pods);
  EXPECT_THAT(pods.out, HasSubstr("pod/reader"));

  // The pod itself, with busybox wget's own TLS at the API server's port
  // on its gateway.
  const std::string url = cluster_.server().url();
  const std::string port = url.substr(url.rfind(':') + 1);
  auto listed = InPod("reader",
                      "gw=$(ip route | awk \"/default/ {print \\$3}\"); "
                      "wget -q -O - --no-check-certificate "
                      "--header \"Authorization: Bearer $(cat " +
                          dir + "/token)\" https://$gw:" + port +
                          "/api/v1/namespaces/default/pods");
  EXPECT_OK(listed);
  EXPECT_THAT(listed.out, HasSubstr(R"("kind":"PodList")"));
  EXPECT_THAT(listed.out, HasSubstr(R"("name":"reader")"));

  // The pod that asked for no token has none.
  EXPECT_NE(InPod("sealed", "ls " + dir).exit_code, 0);
  EXPECT_EQ(Jsonpath("pod sealed", ".spec.volumes"), "");
}

}  // namespace
}  // namespace berth::testing
