// Issue #5's Service lab, by ClusterIP and NodePort: a `berth server` with
// the node agent (runc, CNI bridge), the endpoints controllers and the
// service proxy, all in one network namespace standing in for a machine,
// with a real registry and real kubectl. A Deployment of 3 busybox web
// servers behind a NodePort Service: from another pod, many requests to
// the ClusterIP reach all 3; the NodePort answers from the machine itself;
// scaling to 1 leaves one pod in rotation and scaling back brings 3; a pod
// failing its readiness probe leaves the rotation and comes back. Run with
// each proxy backend (nftables, iptables). Waits poll; the time endpoints
// took to follow a scale-down is printed, not asserted.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "tests/support/kubectl.h"
#include "tests/support/node_cluster.h"
#include "tests/support/node_netns.h"
#include "tests/support/oci_registry.h"
#include "tests/support/process.h"

namespace berth::testing {
namespace {

constexpr char kImage[] = "127.0.0.1:5000/library/busybox:1.35";

class ServicesE2eTest
    : public NodeClusterTest<::testing::TestWithParam<std::string>> {
 protected:
  void SetUp() override {
    if (std::string missing = NodeCluster::MissingTools(); !missing.empty()) {
      GTEST_SKIP() << missing;
    }
    const char* tool =
        GetParam() == "nftables" ? "nft --version" : "iptables-restore -V";
    if (RunCommand(tool).exit_code != 0) {
      GTEST_SKIP() << GetParam() << " tools are not installed "
                   << "(scripts/install-deps.sh)";
    }
    NodeClusterOptions options;
    options.netns_prefix = "berth-svc";
    options.more_plugins =
        "  - name: proxy\n    settings: {backend: " + GetParam() +
        ", nodeName: node1, syncPeriodSeconds: 2}\n";
    ASSERT_NO_FATAL_FAILURE(cluster_.Start(options));
  }

  void TearDown() override {
    if (cluster_.running()) {
      cluster_.DeletePodsAndStop();
      // The proxy removed its rules when the server stopped.
      EXPECT_THAT(cluster_.node().Exec("nft list ruleset").out,
                  ::testing::Not(::testing::HasSubstr("berth-proxy")));
      EXPECT_THAT(cluster_.node().Exec("iptables-save 2>/dev/null").out,
                  ::testing::Not(::testing::HasSubstr("BERTH-")));
    }
  }

  static std::set<std::string> Words(const std::string& text) {
    std::istringstream in(text);
    std::set<std::string> out;
    for (std::string w; in >> w;) out.insert(w);
    return out;
  }
  // The pods that answered `n` requests to `url` made from the client pod
  // (each answer is the serving pod's name).
  std::set<std::string> Answers(const std::string& url, int n) {
    auto r =
        Kubectl("exec client -- sh -c 'for i in $(seq " + std::to_string(n) +
                "); do timeout 5 wget -qO- " + url + "; done'");
    return Words(r.out);
  }
  std::set<std::string> ReadyEndpointPods() {
    return Words(Jsonpath("endpoints webserver",
                          ".subsets[*].addresses[*].targetRef.name"));
  }
};

TEST_P(ServicesE2eTest, ClusterIpAndNodePortFollowScalingAndReadiness) {
  EXPECT_OK(Kubectl("apply -f -", std::string(R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: webserver}
spec:
  replicas: 3
  selector: {matchLabels: {app: webserver}}
  template:
    metadata: {labels: {app: webserver}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: web
        image: )") + kImage + R"(
        command: ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8000 -h /www"]
        ports: [{name: http, containerPort: 8000}]
        readinessProbe:
          exec: {command: ["sh", "-c", "test ! -e /tmp/unready"]}
          periodSeconds: 1
          failureThreshold: 1
---
apiVersion: v1
kind: Service
metadata: {name: webserver}
spec:
  type: NodePort
  selector: {app: webserver}
  ports: [{port: 8000, targetPort: http, nodePort: 30300}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: )" + kImage + R"(
    command: ["sleep", "3600"]
)"));
  ASSERT_TRUE(Eventually([&] {
    return Jsonpath("deployment webserver", ".status.readyReplicas") == "3" &&
           Jsonpath("pod client", ".status.phase") == "Running" &&
           ReadyEndpointPods().size() == 3;
  })) << Kubectl("get pods -o wide").out
      << Kubectl("get endpoints webserver -o yaml").out;
  const std::set<std::string> pods =
      Words(Jsonpath("pods -l app=webserver", ".items[*].metadata.name"));
  const std::string ip = Jsonpath("service webserver", ".spec.clusterIP");
  const std::string url = "http://" + ip + ":8000/";

  // By ClusterIP from another pod: every pod answers over many requests.
  std::set<std::string> seen;
  ASSERT_TRUE(Eventually([&] {
    for (const auto& p : Answers(url, 10)) seen.insert(p);
    return seen == pods;
  })) << "answered: "
      << ::testing::PrintToString(seen) << "\n"
      << cluster_.node()
             .Exec(GetParam() == "nftables" ? "nft list ruleset"
                                            : "iptables-save")
             .out;

  // The NodePort from the machine itself, on its pod-network address.
  const std::set<std::string> node_ips =
      Words(cluster_.node()
                .Exec("ip -4 -o addr show | awk '$2 != \"lo\" {print $4}' | "
                      "cut -d/ -f1")
                .out);
  ASSERT_FALSE(node_ips.empty());
  auto via_node_port = cluster_.node().Exec(
      "timeout 5 busybox wget -qO- http://" + *node_ips.begin() + ":30300/");
  EXPECT_EQ(via_node_port.exit_code, 0) << via_node_port.err;
  EXPECT_EQ(
      pods.count(via_node_port.out.substr(0, via_node_port.out.find('\n'))), 1u)
      << via_node_port.out;

  // Scale to 1: one pod left in rotation.
  const auto scaled_at = std::chrono::steady_clock::now();
  EXPECT_OK(Kubectl("scale deployment webserver --replicas=1"));
  ASSERT_TRUE(Eventually([&] { return ReadyEndpointPods().size() == 1; }));
  std::cout << "[ figure ] endpoints followed the scale-down in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - scaled_at)
                   .count()
            << " ms (kubectl scale included)\n";
  const std::set<std::string> left = ReadyEndpointPods();
  ASSERT_TRUE(Eventually([&] { return Answers(url, 6) == left; }))
      << ::testing::PrintToString(Answers(url, 6));

  // And back to 3.
  EXPECT_OK(Kubectl("scale deployment webserver --replicas=3"));
  ASSERT_TRUE(Eventually([&] { return ReadyEndpointPods().size() == 3; }));
  const std::set<std::string> three = ReadyEndpointPods();
  seen.clear();
  ASSERT_TRUE(Eventually([&] {
    for (const auto& p : Answers(url, 10)) seen.insert(p);
    return seen == three;
  })) << ::testing::PrintToString(seen);

  // A pod failing readiness leaves the rotation, and comes back.
  const std::string sick = *three.begin();
  EXPECT_OK(Kubectl("exec " + sick + " -- touch /tmp/unready"));
  ASSERT_TRUE(Eventually([&] {
    return ReadyEndpointPods().size() == 2 &&
           Jsonpath("endpoints webserver",
                    ".subsets[*].notReadyAddresses[*].targetRef.name") == sick;
  })) << Kubectl("get endpoints webserver -o yaml").out;
  ASSERT_TRUE(Eventually([&] { return Answers(url, 12).count(sick) == 0; }));
  EXPECT_OK(Kubectl("exec " + sick + " -- rm /tmp/unready"));
  ASSERT_TRUE(Eventually([&] { return ReadyEndpointPods() == three; }));
  seen.clear();
  ASSERT_TRUE(Eventually([&] {
    for (const auto& p : Answers(url, 10)) seen.insert(p);
    return seen == three;
  })) << ::testing::PrintToString(seen);

  // A Service without selector reaches what hand-made Endpoints list (the
  // mirroring controller turns them into the slice the proxy reads).
  const std::string chosen = *three.rbegin();
  const std::string chosen_ip = Jsonpath("pod " + chosen, ".status.podIP");
  EXPECT_OK(Kubectl("apply -f -", R"(apiVersion: v1
kind: Service
metadata: {name: manual}
spec:
  ports: [{port: 80, targetPort: 8000}]
---
apiVersion: v1
kind: Endpoints
metadata: {name: manual}
subsets:
- addresses: [{ip: )" + chosen_ip + R"(}]
  ports: [{port: 8000}]
)"));
  const std::string manual =
      "http://" + Jsonpath("service manual", ".spec.clusterIP") + ":80/";
  ASSERT_TRUE(Eventually([&] {
    return Answers(manual, 4) == std::set<std::string>{chosen};
  })) << Kubectl("get endpointslices -o wide").out;

  // Rules lost behind the proxy's back (another tool flushed them) come
  // back with the periodic resync, though no Service changed.
  EXPECT_EQ(cluster_.node()
                .Exec(GetParam() == "nftables"
                          ? "nft delete table ip berth-proxy"
                          : "iptables -w -t nat -F BERTH-SERVICES")
                .exit_code,
            0);
  EXPECT_TRUE(Answers(manual, 1).empty());
  EXPECT_TRUE(Eventually(
      [&] { return Answers(manual, 2) == std::set<std::string>{chosen}; }));
}

INSTANTIATE_TEST_SUITE_P(Backends, ServicesE2eTest,
                         ::testing::Values("nftables", "iptables"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace berth::testing
