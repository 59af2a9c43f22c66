// End-to-end: the real kubectl against a real `berth server` with the
// scheduler plugin. Nodes are created through the API (nothing runs their
// pods); each test confines its pods to its own nodes with a `suite` label,
// so the tests share one server.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "tests/support/kubectl.h"
#include "tests/support/kubectl_suite.h"
#include "tests/support/process.h"

namespace berth::testing {
namespace {

class SchedulerTest : public KubectlSuite {
 protected:
  // Creates node `name` labelled suite=`suite` (plus `labels`, YAML flow
  // entries) with `cpu` allocatable and optional taints (YAML flow list),
  // then sets its status through the status subresource as a kubelet does.
  static void AddNode(const std::string& name, const std::string& suite,
                      const std::string& cpu, const std::string& labels = "",
                      const std::string& taints = "") {
    std::string yaml =
        "apiVersion: v1\nkind: Node\nmetadata:\n  name: " + name +
        "\n  labels: {suite: " + suite + ", kubernetes.io/hostname: " + name +
        (labels.empty() ? "" : ", " + labels) + "}\n";
    if (!taints.empty()) yaml += "spec:\n  taints: " + taints + "\n";
    EXPECT_OK(Kubectl("apply -f -", yaml));
    EXPECT_OK(Kubectl(
        "patch node " + name +
        " --subresource=status --type=merge -p "
        "'{\"status\":{\"allocatable\":{\"cpu\":\"" +
        cpu +
        "\",\"memory\":\"8Gi\",\"pods\":\"110\"},\"capacity\":{\"cpu\":\"" +
        cpu + "\",\"memory\":\"8Gi\",\"pods\":\"110\"}}}'"));
  }

  // A pod confined to `suite`'s nodes, requesting `cpu`, with `extra` YAML
  // lines under spec (indented two spaces).
  static void AddPod(const std::string& name, const std::string& suite,
                     const std::string& cpu, const std::string& extra = "",
                     const std::string& labels = "{}") {
    std::string yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name +
                       "\n  labels: " + labels +
                       "\nspec:\n  nodeSelector: {suite: " + suite + "}\n" +
                       extra +
                       "  containers:\n  - name: c\n    image: busybox\n"
                       "    resources: {requests: {cpu: \"" +
                       cpu + "\"}}\n";
    EXPECT_OK(Kubectl("apply -f -", yaml));
  }

  // The pod's node once it has one (polling up to 20 s), or "".
  static std::string WaitForNode(const std::string& pod) {
    for (int i = 0; i < 200; ++i) {
      auto r = Kubectl("get pod " + pod + " -o jsonpath={.spec.nodeName}");
      if (r.exit_code == 0 && !r.out.empty()) return r.out;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return "";
  }

  // `kubectl describe pod` once its output contains `text` (up to 20 s).
  static std::string WaitForDescribe(const std::string& pod,
                                     const std::string& text) {
    std::string out;
    for (int i = 0; i < 200; ++i) {
      out = Kubectl("describe pod " + pod).out;
      if (out.find(text) != std::string::npos) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return out;
  }
};

TEST_F(SchedulerTest, PodGoesToTheNodeWithRoomForItsRequests) {
  AddNode("res-small", "res", "1");
  AddNode("res-big", "res", "4");
  AddPod("res-pod", "res", "2");
  EXPECT_EQ(WaitForNode("res-pod"), "res-big");
  std::string d = WaitForDescribe("res-pod", "Successfully assigned");
  EXPECT_NE(d.find("Successfully assigned default/res-pod to res-big"),
            std::string::npos)
      << d;
}

TEST_F(SchedulerTest, NodeSelectorAndRequiredNodeAffinity) {
  AddNode("sel-hdd", "sel", "4", "disk: hdd");
  AddNode("sel-ssd", "sel", "4", "disk: ssd");
  AddPod("sel-pod", "sel", "100m");
  AddPod("sel-ssd-pod", "sel", "100m",
         "  affinity:\n    nodeAffinity:\n"
         "      requiredDuringSchedulingIgnoredDuringExecution:\n"
         "        nodeSelectorTerms:\n"
         "        - matchExpressions:\n"
         "          - {key: disk, operator: In, values: [ssd]}\n");
  EXPECT_NE(WaitForNode("sel-pod"), "");
  EXPECT_EQ(WaitForNode("sel-ssd-pod"), "sel-ssd");
}

TEST_F(SchedulerTest, TaintsKeepPodsAwayUnlessTolerated) {
  AddNode("taint-gpu", "taint", "4", "",
          "[{key: dedicated, value: gpu, effect: NoSchedule}]");
  AddNode("taint-plain", "taint", "4");
  for (int i = 0; i < 3; ++i) {
    AddPod("taint-pod-" + std::to_string(i), "taint", "100m");
  }
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(WaitForNode("taint-pod-" + std::to_string(i)), "taint-plain");
  }
  AddPod(
      "taint-tolerant", "taint", "100m",
      "  tolerations: [{key: dedicated, operator: Equal, value: gpu, "
      "effect: NoSchedule}]\n  affinity:\n    nodeAffinity:\n"
      "      requiredDuringSchedulingIgnoredDuringExecution:\n"
      "        nodeSelectorTerms:\n"
      "        - matchFields:\n"
      "          - {key: metadata.name, operator: In, values: [taint-gpu]}\n");
  EXPECT_EQ(WaitForNode("taint-tolerant"), "taint-gpu");
}

TEST_F(SchedulerTest, RequiredAntiAffinityOnHostnameSpreadsPods) {
  AddNode("anti-1", "anti", "4");
  AddNode("anti-2", "anti", "4");
  const std::string anti =
      "  affinity:\n    podAntiAffinity:\n"
      "      requiredDuringSchedulingIgnoredDuringExecution:\n"
      "      - labelSelector: {matchLabels: {app: anti-db}}\n"
      "        topologyKey: kubernetes.io/hostname\n";
  AddPod("anti-db-0", "anti", "100m", anti, "{app: anti-db}");
  AddPod("anti-db-1", "anti", "100m", anti, "{app: anti-db}");
  std::string n0 = WaitForNode("anti-db-0");
  std::string n1 = WaitForNode("anti-db-1");
  EXPECT_NE(n0, "");
  EXPECT_NE(n1, "");
  EXPECT_NE(n0, n1);
  // A third has no node left.
  AddPod("anti-db-2", "anti", "100m", anti, "{app: anti-db}");
  std::string d = WaitForDescribe("anti-db-2", "FailedScheduling");
  EXPECT_NE(d.find("2 node(s) didn't match pod anti-affinity rules"),
            std::string::npos)
      << d;
}

TEST_F(SchedulerTest, UnschedulablePodExplainsItselfAndFitsOnceANodeIsAdded) {
  AddNode("late-small", "late", "1");
  // Room enough, but not selected by the pod's nodeSelector.
  AddNode("late-elsewhere", "elsewhere", "8");
  AddPod("late-pod", "late", "3");
  std::string d = WaitForDescribe("late-pod", "FailedScheduling");
  EXPECT_NE(d.find("FailedScheduling"), std::string::npos) << d;
  EXPECT_NE(d.find("nodes are available: "), std::string::npos) << d;
  EXPECT_NE(d.find("1 Insufficient cpu"), std::string::npos) << d;
  EXPECT_NE(d.find("didn't match Pod's node affinity/selector"),
            std::string::npos)
      << d;
  auto cond = Kubectl(
      "get pod late-pod -o "
      "jsonpath='{.status.conditions[?(@.type==\"PodScheduled\")].reason}'");
  EXPECT_EQ(cond.out, "Unschedulable");
  EXPECT_EQ(Kubectl("get pod late-pod -o jsonpath={.spec.nodeName}").out, "");

  AddNode("late-big", "late", "4");
  EXPECT_EQ(WaitForNode("late-pod"), "late-big");
}

TEST_F(SchedulerTest, PodForAnUnknownSchedulerStaysPending) {
  AddNode("other-1", "other", "4");
  AddPod("other-pod", "other", "100m", "  schedulerName: my-scheduler\n");
  // A pod for the default scheduler created after it is bound, so the
  // scheduler has looked at both.
  AddPod("other-default", "other", "100m");
  EXPECT_EQ(WaitForNode("other-default"), "other-1");
  auto r = Kubectl("get pod other-pod -o jsonpath={.spec.nodeName}");
  EXPECT_OK(r);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(Kubectl("describe pod other-pod").out.find("FailedScheduling"),
            std::string::npos);
}

}  // namespace
}  // namespace berth::testing
