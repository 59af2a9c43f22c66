#include "daemon_placement.h"

#include <gtest/gtest.h>

#include "fake_client.h"

namespace berth::workloads {
namespace {

JsonDoc Node(const std::string& labels, const std::string& taints = "[]") {
  return Parse(R"({"metadata":{"name":"n1","labels":)" + labels +
               R"(},"spec":{"taints":)" + taints + "}}");
}

DaemonPlacement Place(const JsonDoc& node, const std::string& spec_json) {
  JsonDoc spec = Parse(spec_json);
  AddDaemonTolerations(spec, spec.GetAllocator());
  return PlaceDaemonPod(node, spec);
}

TEST(DaemonPlacement, NodeSelectorMustMatchTheNodeLabels) {
  JsonDoc node = Node(R"({"disk":"ssd"})");
  EXPECT_TRUE(Place(node, R"({"nodeSelector":{"disk":"ssd"}})").should_run);
  auto p = Place(node, R"({"nodeSelector":{"disk":"hdd"}})");
  EXPECT_FALSE(p.should_run);
  EXPECT_FALSE(p.should_continue_running);
}

TEST(DaemonPlacement, RequiredNodeAffinityByLabelAndByName) {
  JsonDoc node = Node(R"({"zone":"a"})");
  const std::string by_label =
      R"({"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":)"
      R"({"nodeSelectorTerms":[{"matchExpressions":[{"key":"zone","operator":"In","values":["b"]}]},)"
      R"({"matchExpressions":[{"key":"zone","operator":"In","values":["a"]}]}]}}}})";
  EXPECT_TRUE(Place(node, by_label).should_run);
  const std::string by_name =
      R"({"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":)"
      R"({"nodeSelectorTerms":[{"matchFields":[{"key":"metadata.name","operator":"In","values":["n2"]}]}]}}}})";
  EXPECT_FALSE(Place(node, by_name).should_run);
}

TEST(DaemonPlacement, TaintsKeepPodsOffUnlessTolerated) {
  JsonDoc no_schedule = Node(
      "{}", R"([{"key":"dedicated","value":"gpu","effect":"NoSchedule"}])");
  auto p = Place(no_schedule, "{}");
  EXPECT_FALSE(p.should_run);
  // A running pod may stay on a NoSchedule node.
  EXPECT_TRUE(p.should_continue_running);
  EXPECT_TRUE(Place(no_schedule,
                    R"({"tolerations":[{"key":"dedicated","operator":"Equal",)"
                    R"("value":"gpu","effect":"NoSchedule"}]})")
                  .should_run);
  EXPECT_FALSE(Place(no_schedule,
                     R"({"tolerations":[{"key":"dedicated","operator":"Equal",)"
                     R"("value":"cpu"}]})")
                   .should_run);

  JsonDoc no_execute = Node("{}", R"([{"key":"evict","effect":"NoExecute"}])");
  p = Place(no_execute, "{}");
  EXPECT_FALSE(p.should_run);
  EXPECT_FALSE(p.should_continue_running);
  EXPECT_TRUE(Place(no_execute, R"({"tolerations":[{"operator":"Exists"}]})")
                  .should_run);
  // PreferNoSchedule does not keep a daemon pod off.
  EXPECT_TRUE(
      Place(Node("{}", R"([{"key":"x","effect":"PreferNoSchedule"}])"), "{}")
          .should_run);
}

TEST(DaemonPlacement, StandardTolerationsCoverNotReadyAndUnschedulableNodes) {
  JsonDoc node = Node(
      "{}",
      R"([{"key":"node.kubernetes.io/not-ready","effect":"NoExecute"},)"
      R"({"key":"node.kubernetes.io/unschedulable","effect":"NoSchedule"}])");
  EXPECT_TRUE(Place(node, "{}").should_run);
  JsonDoc spec = Parse(R"({"hostNetwork":true})");
  AddDaemonTolerations(spec, spec.GetAllocator());
  AddDaemonTolerations(spec, spec.GetAllocator());
  // Six standard ones, network-unavailable for host networking, no
  // duplicates when applied twice.
  EXPECT_EQ(spec["tolerations"].Size(), 7u);
}

TEST(DaemonPlacement, PinReplacesRequiredTermsWithTheNodeName) {
  JsonDoc pod = Parse(
      R"({"spec":{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":)"
      R"({"nodeSelectorTerms":[{"matchExpressions":[{"key":"zone","operator":"Exists"}]}]}}}}})");
  PinToNode(pod["spec"], "n7", pod.GetAllocator());
  EXPECT_EQ(
      ToJson(*Find(pod, {"spec", "affinity", "nodeAffinity",
                         "requiredDuringSchedulingIgnoredDuringExecution"})),
      R"({"nodeSelectorTerms":[{"matchFields":[{"key":"metadata.name","operator":"In","values":["n7"]}]}]})");
  EXPECT_EQ(TargetNode(pod), "n7");
  SetString(pod["spec"], "nodeName", "n8", pod.GetAllocator());
  EXPECT_EQ(TargetNode(pod), "n8");
}

}  // namespace
}  // namespace berth::workloads
