// End-to-end: simulated nodes with the real kubectl against a real
// `berth server` running the core and sim plugins — nodes registered and
// Ready, pods bound to them Running with addresses, run-to-completion pods
// finishing, and a node that stops heartbeating going Unknown, tainted and
// losing the pods that tolerate that for a short while, then coming back.
// The grace periods are shortened through settings; waits poll with a
// generous deadline and measure nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <thread>

#include "tests/support/kubectl.h"
#include "tests/support/process.h"

namespace berth::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

class NodesE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveKubectl()) {
      GTEST_SKIP() << kNoKubectl;
    }
    std::filesystem::create_directories(dir_.path() + "/home");
    config_ = dir_.path() + "/berth.yaml";
    std::ofstream(config_)
        << "plugins:\n"
        << "  - name: core\n"
        << "    settings: {nodeMonitorGracePeriod: 4s, nodeMonitorPeriod: 1s}\n"
        << "  - name: sim\n"
        << "    settings: {heartbeatSeconds: 1}\n";
    server_ = std::make_unique<BerthServer>(dir_.path() + "/data");
    ASSERT_TRUE(server_->Start({"--config", config_})) << server_->log();
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
  bool Gone(const std::string& object) {
    auto r = Kubectl("get " + object);
    return r.exit_code != 0 && r.err.find("(NotFound)") != std::string::npos;
  }
  // Polls `done` every 200 ms for up to 60 s.
  static bool Eventually(const std::function<bool()>& done) {
    for (int i = 0; i < 300; ++i) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return false;
  }
  void CreatePod(const std::string& name, const std::string& node,
                 const std::string& extra_spec = "",
                 const std::string& annotations = "{}") {
    EXPECT_OK(Kubectl(
        "apply -f -",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name +
            "\n  annotations: " + annotations + "\nspec:\n  nodeName: " + node +
            "\n  containers: [{name: app, image: nginx}]\n" + extra_spec));
  }

  TempDir dir_;
  std::string config_;
  std::unique_ptr<BerthServer> server_;
};

TEST_F(NodesE2eTest, ThreeReadySimNodesWithLeases) {
  auto nodes = Kubectl("get nodes");
  EXPECT_OK(nodes);
  EXPECT_THAT(nodes.out,
              MatchesRegex("NAME +STATUS +ROLES +AGE +VERSION\n"
                           "sim-0 +Ready +<none> +[0-9]+s +v1.32.0-sim\n"
                           "sim-1 +Ready +<none> +[0-9]+s +v1.32.0-sim\n"
                           "sim-2 +Ready +<none> +[0-9]+s +v1.32.0-sim\n"));
  auto wide = Kubectl("get node sim-1 -o wide");
  EXPECT_THAT(wide.out, HasSubstr("INTERNAL-IP"));
  EXPECT_THAT(wide.out, MatchesRegex("(.|\n)*sim-1 +Ready .* 172\\.16\\.0\\.3 "
                                     "+<none> +Berth sim node +sim "
                                     "+sim://0\\.1\\.0\n"));
  EXPECT_EQ(Jsonpath("node sim-0", ".status.capacity.cpu"), "8");
  EXPECT_EQ(Jsonpath("node sim-0", ".status.allocatable.pods"), "110");
  EXPECT_EQ(Jsonpath("node sim-0", ".spec.podCIDR"), "10.128.0.0/24");
  EXPECT_EQ(Jsonpath("node sim-2", ".metadata.labels.kubernetes\\.io/hostname"),
            "sim-2");

  auto leases = Kubectl("get leases -n kube-node-lease");
  EXPECT_OK(leases);
  EXPECT_THAT(leases.out, MatchesRegex("NAME +HOLDER +AGE\n"
                                       "sim-0 +sim-0 +[0-9]+s\n"
                                       "sim-1 +sim-1 +[0-9]+s\n"
                                       "sim-2 +sim-2 +[0-9]+s\n"));
  // The lease is renewed (every second here).
  const std::string first =
      Jsonpath("lease sim-0 -n kube-node-lease", ".spec.renewTime");
  EXPECT_TRUE(Eventually([&] {
    return Jsonpath("lease sim-0 -n kube-node-lease", ".spec.renewTime") !=
           first;
  }));
}

TEST_F(NodesE2eTest, BoundPodRunsWithAnAddressFromItsNode) {
  CreatePod("web", "sim-1");
  ASSERT_TRUE(Eventually([&] {
    return Jsonpath("pod web", ".status.phase") == "Running";
  })) << Kubectl("get pod web -o yaml").out;
  auto wide = Kubectl("get pods -o wide");
  EXPECT_THAT(
      wide.out,
      MatchesRegex("NAME +READY +STATUS +RESTARTS +AGE +IP +NODE +"
                   "NOMINATED NODE +READINESS GATES\n"
                   "web +1/1 +Running +0 +[0-9]+s +10\\.128\\.1\\.[0-9]+ "
                   "+sim-1 +<none> +<none>\n"));
  EXPECT_EQ(Jsonpath("pod web", ".status.hostIP"), "172.16.0.3");
  EXPECT_EQ(
      Jsonpath("pod web", ".status.conditions[?(@.type==\"Ready\")].status"),
      "True");
  EXPECT_THAT(Jsonpath("pod web", ".status.containerStatuses[0].containerID"),
              HasSubstr("sim://"));
  // DefaultTolerationSeconds gave it the five-minute tolerations.
  EXPECT_EQ(Jsonpath("pod web", ".spec.tolerations[*].tolerationSeconds"),
            "300 300");
}

TEST_F(NodesE2eTest, RunToCompletionPodsFinish) {
  CreatePod("ok", "sim-0", "  restartPolicy: Never\n");
  CreatePod("bad", "sim-0", "  restartPolicy: Never\n",
            "{sim.berth.io/exit-code: \"3\"}");
  EXPECT_TRUE(Eventually([&] {
    return Jsonpath("pod ok", ".status.phase") == "Succeeded";
  })) << Kubectl("get pod ok -o yaml").out;
  EXPECT_TRUE(Eventually([&] {
    return Jsonpath("pod bad", ".status.phase") == "Failed";
  })) << Kubectl("get pod bad -o yaml").out;
  CreatePod("retry", "sim-0", "  restartPolicy: OnFailure\n",
            "{sim.berth.io/exit-code: \"1\"}");
  EXPECT_TRUE(Eventually([&] {
    return std::atoi(Jsonpath("pod retry",
                              ".status.containerStatuses[0].restartCount")
                         .c_str()) >= 2;
  })) << Kubectl("get pod retry -o yaml").out;
  EXPECT_EQ(Jsonpath("pod retry", ".status.phase"), "Running");
  EXPECT_EQ(Jsonpath("pod retry",
                     ".status.containerStatuses[0].lastState"
                     ".terminated.exitCode"),
            "1");
  auto pods = Kubectl("get pods");
  EXPECT_THAT(pods.out, MatchesRegex("(.|\n)*bad +0/1 +Error +0 (.|\n)*"));
  EXPECT_THAT(pods.out, MatchesRegex("(.|\n)*ok +0/1 +Completed +0 (.|\n)*"));
}

TEST_F(NodesE2eTest, SilentNodeIsTaintedEvictedAndComesBack) {
  CreatePod("short", "sim-2",
            "  tolerations:\n"
            "  - {key: node.kubernetes.io/unreachable, operator: Exists,\n"
            "     effect: NoExecute, tolerationSeconds: 2}\n");
  CreatePod("long", "sim-2");
  CreatePod("elsewhere", "sim-0");
  for (const char* pod : {"short", "long", "elsewhere"}) {
    ASSERT_TRUE(Eventually([&] {
      return Jsonpath(std::string("pod ") + pod, ".status.phase") == "Running";
    })) << pod;
  }

  EXPECT_OK(Kubectl("annotate node sim-2 sim.berth.io/heartbeat=false"));
  ASSERT_TRUE(Eventually([&] {
    return Kubectl("get node sim-2").out.find("NotReady") != std::string::npos;
  })) << Kubectl("get node sim-2 -o yaml").out;
  EXPECT_EQ(
      Jsonpath("node sim-2", ".status.conditions[?(@.type==\"Ready\")].status"),
      "Unknown");
  EXPECT_EQ(
      Jsonpath("node sim-2", ".status.conditions[?(@.type==\"Ready\")].reason"),
      "NodeStatusUnknown");
  EXPECT_EQ(Jsonpath("node sim-2",
                     ".status.conditions[?(@.type==\"Ready\")].message"),
            "Kubelet stopped posting node status.");
  EXPECT_TRUE(Eventually([&] {
    return Jsonpath("node sim-2", ".spec.taints[*].effect") ==
           "NoSchedule NoExecute";
  })) << Jsonpath("node sim-2", ".spec.taints");
  EXPECT_EQ(Jsonpath("node sim-2", ".spec.taints[*].key"),
            "node.kubernetes.io/unreachable node.kubernetes.io/unreachable");
  EXPECT_THAT(Kubectl("get nodes").out,
              MatchesRegex("(.|\n)*sim-0 +Ready(.|\n)*"));

  // Tolerated for 2 s: deleted, gracefully — Terminating until the node's
  // kubelet can stop it. Tolerated for 300 s: kept, not Ready.
  EXPECT_TRUE(Eventually([&] {
    return !Jsonpath("pod short", ".metadata.deletionTimestamp").empty();
  }));
  EXPECT_EQ(Jsonpath("pod short", ".metadata.deletionGracePeriodSeconds"),
            "30");
  EXPECT_EQ(
      Jsonpath("pod long", ".status.conditions[?(@.type==\"Ready\")].status"),
      "False");
  EXPECT_EQ(Jsonpath("pod elsewhere",
                     ".status.conditions[?(@.type==\"Ready\")].status"),
            "True");

  // The events Kubernetes records for both.
  EXPECT_TRUE(Eventually([&] {
    return Kubectl(
               "get events -A --field-selector reason=NodeNotReady "
               "-o jsonpath='{.items[*].message}'")
               .out.find("Node sim-2 status is now: NodeNotReady") !=
           std::string::npos;
  })) << Kubectl("get events -A").out;
  EXPECT_TRUE(Eventually([&] {
    return Kubectl(
               "get events --field-selector reason=TaintManagerEviction "
               "-o jsonpath='{.items[*].message}'")
               .out == "Marking for deletion Pod default/short";
  })) << Kubectl("get events -A").out;

  EXPECT_OK(Kubectl("annotate node sim-2 sim.berth.io/heartbeat-"));
  EXPECT_TRUE(Eventually([&] {
    return Jsonpath("node sim-2",
                    ".status.conditions[?(@.type==\"Ready\")].status") ==
               "True" &&
           Jsonpath("node sim-2", ".spec.taints").empty();
  })) << Kubectl("get node sim-2 -o yaml").out;
  EXPECT_TRUE(Eventually([&] {
    return Jsonpath("pod long",
                    ".status.conditions[?(@.type==\"Ready\")].status") ==
           "True";
  }));
  // The kubelet is back: it stops the evicted pod and finishes its deletion.
  EXPECT_TRUE(Eventually([&] { return Gone("pod short"); }));
  EXPECT_FALSE(Gone("pod long"));
}

TEST_F(NodesE2eTest, NoExecuteTaintEvictsPodsThatDoNotTolerateIt) {
  CreatePod("plain", "sim-0");
  CreatePod("tolerant", "sim-0",
            "  tolerations: [{key: dedicated, operator: Exists,"
            " effect: NoExecute}]\n");
  for (const char* pod : {"plain", "tolerant"}) {
    ASSERT_TRUE(Eventually([&] {
      return Jsonpath(std::string("pod ") + pod, ".status.phase") == "Running";
    })) << pod;
  }
  EXPECT_OK(Kubectl("taint node sim-0 dedicated=db:NoExecute"));
  EXPECT_TRUE(Eventually([&] { return Gone("pod plain"); }));
  EXPECT_FALSE(Gone("pod tolerant"));
  // A pod bound to the tainted node later goes too.
  CreatePod("late", "sim-0");
  EXPECT_TRUE(Eventually([&] { return Gone("pod late"); }));
  EXPECT_FALSE(Gone("pod tolerant"));
  EXPECT_THAT(Kubectl("get node sim-0").out,
              MatchesRegex("(.|\n)*sim-0 +Ready(.|\n)*"));
}

// Graceful pod deletion, as the apiserver does it: a pod on a node stays
// Terminating for its grace period (spec.terminationGracePeriodSeconds, or
// the client's --grace-period, which may only shorten a running one) until
// that node's kubelet deletes it with period 0; a pod on no node, or one
// that already finished, goes at once; --force --grace-period=0 goes at once.
TEST_F(NodesE2eTest, PodsOnANodeAreDeletedGracefully) {
  // A Node nothing runs: no kubelet will finish its pods.
  EXPECT_OK(Kubectl("apply -f -",
                    "apiVersion: v1\nkind: Node\nmetadata: {name: bare}\n"));
  CreatePod("graceful", "bare", "  terminationGracePeriodSeconds: 40\n");
  EXPECT_OK(Kubectl("delete pod graceful --wait=false"));
  EXPECT_EQ(Jsonpath("pod graceful", ".metadata.deletionGracePeriodSeconds"),
            "40");
  EXPECT_FALSE(Jsonpath("pod graceful", ".metadata.deletionTimestamp").empty());
  EXPECT_THAT(Kubectl("get pod graceful").out, HasSubstr("Terminating"));
  // A longer period changes nothing; a shorter one shortens it.
  EXPECT_OK(Kubectl("delete pod graceful --wait=false --grace-period=100"));
  EXPECT_EQ(Jsonpath("pod graceful", ".metadata.deletionGracePeriodSeconds"),
            "40");
  EXPECT_OK(Kubectl("delete pod graceful --wait=false --grace-period=5"));
  EXPECT_EQ(Jsonpath("pod graceful", ".metadata.deletionGracePeriodSeconds"),
            "5");
  EXPECT_OK(Kubectl("delete pod graceful --force --grace-period=0"));
  EXPECT_TRUE(Gone("pod graceful"));

  // Not on a node: deleted at once.
  EXPECT_OK(Kubectl("apply -f -",
                    "apiVersion: v1\nkind: Pod\nmetadata: {name: unbound}\n"
                    "spec:\n  schedulerName: nobody\n"
                    "  containers: [{name: app, image: nginx}]\n"));
  EXPECT_OK(Kubectl("delete pod unbound --wait=false"));
  EXPECT_TRUE(Gone("pod unbound"));

  // The Node is removed: the pod garbage collector deletes its pods.
  CreatePod("orphan", "bare");
  EXPECT_OK(Kubectl("delete pod orphan --wait=false"));
  EXPECT_FALSE(Gone("pod orphan"));
  CreatePod("orphan-running", "bare");
  EXPECT_OK(Kubectl("delete node bare"));
  EXPECT_TRUE(Eventually([&] {
    return Gone("pod orphan") && Gone("pod orphan-running");
  })) << Kubectl("get pods -o wide").out;
  EXPECT_THAT(Kubectl("get events --field-selector reason=PodGarbageCollected "
                      "-o jsonpath='{.items[*].message}'")
                  .out,
              HasSubstr("Deleting orphaned pod default/orphan-running: node "
                        "bare no longer exists"));
}

// The kubelet of a sim node finishes a graceful deletion at once: `kubectl
// delete` (which waits for the pod to go) returns.
TEST_F(NodesE2eTest, ARunningNodeFinishesGracefulDeletion) {
  CreatePod("quick", "sim-1");
  ASSERT_TRUE(Eventually(
      [&] { return Jsonpath("pod quick", ".status.phase") == "Running"; }));
  EXPECT_OK(Kubectl("delete pod quick --timeout=30s"));
  EXPECT_TRUE(Gone("pod quick"));
}

}  // namespace
}  // namespace berth::testing
