// End-to-end: the whole control plane of issue #3 with no fake in it — real
// kubectl against a real `berth server` running core, storage, workloads,
// the scheduler and the sim node provider. Controllers create pods, the
// scheduler binds them through pods/binding, the sim's kubelets make them
// Running and Ready, and the node lifecycle controller notices a node that
// goes silent. Grace periods are shortened through settings; waits poll
// with a generous deadline and measure nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "tests/support/kubectl.h"
#include "tests/support/process.h"

namespace berth::testing {
namespace {

using ::testing::HasSubstr;

class SimClusterE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveKubectl()) GTEST_SKIP() << kNoKubectl;
    std::filesystem::create_directories(dir_.path() + "/home");
    config_ = dir_.path() + "/berth.yaml";
    std::ofstream(config_)
        << "plugins:\n"
        << "  - name: core\n"
        << "    settings: {nodeMonitorGracePeriod: 4s, nodeMonitorPeriod: 1s}\n"
        << "  - storage\n"
        << "  - workloads\n"
        << "  - scheduler\n"
        << "  - name: sim\n"
        << "    settings: {heartbeatSeconds: 1}\n";
    server_ = std::make_unique<BerthServer>(dir_.path() + "/data");
    ASSERT_TRUE(server_->Start({"--config", config_})) << server_->log();
    ASSERT_TRUE(Eventually([&] {
      return Kubectl("get nodes --no-headers").out.find("NotReady") ==
                 std::string::npos &&
             Lines(Kubectl("get nodes --no-headers").out) == 3;
    })) << Kubectl("get nodes").out;
  }
  void TearDown() override {
    if (server_ && server_->pid() > 0) {
      EXPECT_EQ(server_->Stop(), 0) << server_->log();
    }
  }

  CommandResult Kubectl(const std::string& args,
                        const std::string& input = "") {
    return RunCommand("kubectl " + args,
                      KubectlEnv(*server_, dir_.path() + "/home"), input);
  }
  std::string Jsonpath(const std::string& object, const std::string& path) {
    return Kubectl("get " + object + " -o jsonpath='{" + path + "}'").out;
  }
  static int Lines(const std::string& text) {
    int n = 0;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) n += !line.empty();
    return n;
  }
  // Polls `done` every 200 ms for up to 90 s.
  static bool Eventually(const std::function<bool()>& done) {
    for (int i = 0; i < 450; ++i) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return false;
  }
  // pod name -> "node phase ready" for the pods matching `selector`.
  std::map<std::string, std::string> PodPlacement(const std::string& selector) {
    auto r = Kubectl(
        "get pods -l " + selector +
        " -o jsonpath='{range .items[*]}{.metadata.name} {.spec.nodeName} "
        "{.status.phase} {.status.conditions[?(@.type==\"Ready\")].status}"
        "{\"\\n\"}{end}'");
    std::map<std::string, std::string> out;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) {
      auto space = line.find(' ');
      if (space != std::string::npos) {
        out[line.substr(0, space)] = line.substr(space + 1);
      }
    }
    return out;
  }

  TempDir dir_;
  std::string config_;
  std::unique_ptr<BerthServer> server_;
};

// Issue #3: "A node that stops heartbeating has its pods replaced on other
// nodes." The pods tolerate the unreachable taint for 2 s, so the taint
// manager evicts them soon after the node goes Unknown, and the ReplicaSet
// makes new ones that the scheduler keeps off the tainted node.
TEST_F(SimClusterE2eTest, SilentNodesPodsAreReplacedOnOtherNodes) {
  EXPECT_OK(Kubectl("apply -f -", R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 6
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      tolerations:
      - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 2}
      - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 2}
      containers: [{name: web, image: nginx}]
)"));
  ASSERT_TRUE(Eventually([&] {
    return Jsonpath("deployment web", ".status.availableReplicas") == "6";
  })) << Kubectl("get deploy,pods -o wide").out;

  // The scheduler spreads the replicas (default topology spread), so the
  // node that goes silent has some of them.
  std::set<std::string> on_silent_node;
  for (const auto& [pod, where] : PodPlacement("app=web")) {
    if (where.rfind("sim-0 ", 0) == 0) on_silent_node.insert(pod);
  }
  ASSERT_FALSE(on_silent_node.empty()) << Kubectl("get pods -o wide").out;

  EXPECT_OK(Kubectl("annotate node sim-0 sim.berth.io/heartbeat=false"));
  ASSERT_TRUE(Eventually([&] {
    return Jsonpath("node sim-0",
                    ".status.conditions[?(@.type==\"Ready\")].status") ==
           "Unknown";
  })) << Kubectl("describe node sim-0").out;
  EXPECT_THAT(Jsonpath("node sim-0", ".spec.taints[*].key"),
              HasSubstr("node.kubernetes.io/unreachable"));

  // Six Running, Ready replicas again, none on the silent node. The evicted
  // pods stay Terminating (deletionTimestamp set), as in Kubernetes: their
  // graceful deletion waits for the silent node's kubelet, and the
  // ReplicaSet does not count them.
  ASSERT_TRUE(Eventually([&] {
    auto pods = PodPlacement("app=web");
    int replacements = 0;
    for (const auto& [pod, where] : pods) {
      if (on_silent_node.count(pod)) {
        if (Jsonpath("pod " + pod, ".metadata.deletionTimestamp").empty()) {
          return false;
        }
        continue;
      }
      if (where.rfind("sim-0 ", 0) == 0 ||
          where.find(" Running True") == std::string::npos) {
        return false;
      }
      ++replacements;
    }
    return replacements == 6 &&
           Jsonpath("deployment web", ".status.availableReplicas") == "6";
  })) << Kubectl("get pods -o wide").out;
  // Deleting the Node (the machine is gone for good) lets the pod garbage
  // collector finish them.
  EXPECT_OK(Kubectl("delete node sim-0"));
  EXPECT_TRUE(Eventually([&] {
    for (const auto& pod : on_silent_node) {
      if (Kubectl("get pod " + pod).err.find("NotFound") == std::string::npos) {
        return false;
      }
    }
    return true;
  })) << Kubectl("get pods -o wide").out;
  EXPECT_THAT(Kubectl("get events -A").out, HasSubstr("TaintManagerEviction"));
}

// Issue #3: "a StatefulSet shaped like the course's (3 replicas,
// volumeClaimTemplates, required pod anti-affinity on hostname) creates
// name-0..2 in order with PVCs data-name-0..2" — here scheduled for real:
// the anti-affinity puts each ordinal on its own sim node.
TEST_F(SimClusterE2eTest, CourseShapedStatefulSetLandsOnePodPerNode) {
  EXPECT_OK(Kubectl("apply -f -", R"(apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 3
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector: {matchLabels: {app: db}}
            topologyKey: kubernetes.io/hostname
      containers:
      - name: db
        image: postgres:10.5
        volumeMounts: [{name: data, mountPath: /var/lib/postgresql/data}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
)"));
  ASSERT_TRUE(Eventually([&] {
    return Jsonpath("statefulset db", ".status.readyReplicas") == "3";
  })) << Kubectl("get sts,pods,pvc -o wide").out;

  auto pods = PodPlacement("app=db");
  ASSERT_EQ(pods.size(), 3u);
  std::set<std::string> nodes;
  for (const char* name : {"db-0", "db-1", "db-2"}) {
    ASSERT_TRUE(pods.count(name)) << name;
    nodes.insert(pods[name].substr(0, pods[name].find(' ')));
  }
  EXPECT_EQ(nodes.size(), 3u) << "required anti-affinity on hostname";

  // OrderedReady: each ordinal was created only after the one before it
  // was Ready.
  for (int i = 1; i < 3; ++i) {
    const std::string ready_before =
        Jsonpath("pod db-" + std::to_string(i - 1),
                 ".status.conditions[?(@.type==\"Ready\")].lastTransitionTime");
    const std::string created =
        Jsonpath("pod db-" + std::to_string(i), ".metadata.creationTimestamp");
    ASSERT_FALSE(ready_before.empty());
    EXPECT_LE(ready_before, created) << "db-" << i;  // RFC 3339 sorts
  }
  auto claims = Kubectl("get pvc -o name");
  EXPECT_OK(claims);
  EXPECT_THAT(claims.out, HasSubstr("persistentvolumeclaim/data-db-0"));
  EXPECT_THAT(claims.out, HasSubstr("persistentvolumeclaim/data-db-1"));
  EXPECT_THAT(claims.out, HasSubstr("persistentvolumeclaim/data-db-2"));

  // A fourth replica has no node left that satisfies the anti-affinity, and
  // says so.
  EXPECT_OK(Kubectl("scale statefulset db --replicas=4"));
  ASSERT_TRUE(Eventually([&] {
    return Kubectl("describe pod db-3").out.find("FailedScheduling") !=
           std::string::npos;
  })) << Kubectl("describe pod db-3").out;
  EXPECT_THAT(Kubectl("describe pod db-3").out,
              HasSubstr("0/3 nodes are available: 3 node(s) didn't match pod "
                        "anti-affinity rules."));
}

// A Job's pods run to completion on sim nodes and a DaemonSet covers every
// node, both scheduled for real.
TEST_F(SimClusterE2eTest, JobCompletesAndDaemonSetCoversEveryNode) {
  EXPECT_OK(Kubectl("create job once --image=busybox -- true"));
  EXPECT_OK(Kubectl("apply -f -", R"(apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: busybox}]
)"));
  ASSERT_TRUE(Eventually([&] {
    return Jsonpath("job once",
                    ".status.conditions[?(@.type==\"Complete\")].status") ==
           "True";
  })) << Kubectl("describe job once").out;
  ASSERT_TRUE(Eventually([&] {
    return Jsonpath("daemonset agent", ".status.numberReady") == "3";
  })) << Kubectl("get ds,pods -o wide").out;
  std::set<std::string> nodes;
  for (const auto& [pod, where] : PodPlacement("app=agent")) {
    nodes.insert(where.substr(0, where.find(' ')));
  }
  EXPECT_EQ(nodes, (std::set<std::string>{"sim-0", "sim-1", "sim-2"}));
}

}  // namespace
}  // namespace berth::testing
