// What NetworkPolicies allow this node's pods: the workshop's policies
// (deny-all, allow from a label, same namespace only, allow all) and the
// semantics users trip on — isolation per direction, the union of rules,
// podSelector with namespaceSelector in one peer versus two peers, ipBlock
// with except, named ports on either side, endPort and policyTypes
// defaulting.
#include "policy_model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace berth::policy {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

struct Docs {
  std::vector<JsonDoc> docs;
  std::vector<const Json*> Ptrs() const {
    std::vector<const Json*> out;
    for (const auto& d : docs) out.push_back(&d);
    return out;
  }
  void Add(const std::string& text) {
    auto d = ParseJson(text);
    ASSERT_TRUE(d.ok()) << text;
    docs.push_back(std::move(*d));
  }
};

class PolicyModelTest : public ::testing::Test {
 protected:
  void Pod(const std::string& ns, const std::string& name,
           const std::string& labels, const std::string& ip,
           const std::string& node = "node1", const std::string& ports = "[]") {
    pods_.Add(R"({"metadata":{"namespace":")" + ns + R"(","name":")" + name +
              R"(","labels":)" + labels + R"(},"spec":{"nodeName":")" + node +
              R"(","containers":[{"name":"c","ports":)" + ports +
              R"(}]},"status":{"phase":"Running","podIP":")" + ip + R"("}})");
  }
  void Namespace(const std::string& name, const std::string& labels) {
    namespaces_.Add(R"({"metadata":{"name":")" + name + R"(","labels":)" +
                    labels + "}}");
  }
  void Policy(const std::string& ns, const std::string& name,
              const std::string& spec) {
    policies_.Add(R"({"metadata":{"namespace":")" + ns + R"(","name":")" +
                  name + R"("},"spec":)" + spec + "}");
  }
  std::vector<PodRules> Rules() {
    return ComputePodRules(policies_.Ptrs(), pods_.Ptrs(), namespaces_.Ptrs(),
                           "node1");
  }
  // The workshop's three pods in namespace default and a client elsewhere.
  void Workshop() {
    Namespace("default", "{}");
    Namespace("other", "{}");
    Pod("default", "testweb", R"({"run":"testweb"})", "10.0.0.2");
    Pod("default", "testcurl", R"({"run":"testcurl"})", "10.0.0.3");
    Pod("default", "webui", R"({"run":"webui"})", "10.0.0.4");
    Pod("other", "stranger", R"({"run":"testcurl"})", "10.0.0.5");
  }

  Docs pods_, namespaces_, policies_;
};

TEST_F(PolicyModelTest, NoPolicyLeavesEveryPodOpen) {
  Workshop();
  EXPECT_THAT(Rules(), IsEmpty());
}

TEST_F(PolicyModelTest, DenyAllIsolatesTheSelectedPodOnlyForIngress) {
  Workshop();
  Policy("default", "deny-all-for-testweb",
         R"({"podSelector":{"matchLabels":{"run":"testweb"}},"ingress":[]})");
  auto rules = Rules();
  ASSERT_THAT(rules, SizeIs(1));
  EXPECT_EQ(rules[0].pod, "default/testweb");
  EXPECT_EQ(rules[0].ip, "10.0.0.2");
  EXPECT_TRUE(rules[0].ingress_isolated);
  EXPECT_FALSE(rules[0].egress_isolated);
  EXPECT_THAT(rules[0].ingress, IsEmpty());
}

TEST_F(PolicyModelTest, AllowFromLabelAdmitsOnlyThatLabelInTheNamespace) {
  Workshop();
  Policy("default", "allow-testcurl-for-testweb", R"({
    "podSelector":{"matchLabels":{"run":"testweb"}},
    "ingress":[{"from":[{"podSelector":{"matchLabels":{"run":"testcurl"}}}]}]})");
  auto rules = Rules();
  ASSERT_THAT(rules, SizeIs(1));
  ASSERT_THAT(rules[0].ingress, SizeIs(1));
  // The testcurl-labelled pod in `other` is not in the policy's namespace.
  EXPECT_THAT(rules[0].ingress[0].peers, ElementsAre("10.0.0.3"));
  EXPECT_THAT(rules[0].ingress[0].ports, IsEmpty());
  EXPECT_EQ(rules[0].ingress[0].policy, "default/allow-testcurl-for-testweb");
}

TEST_F(PolicyModelTest, DenyPlusAllowIsTheUnionOfTheRules) {
  Workshop();
  Policy("default", "deny",
         R"({"podSelector":{"matchLabels":{"run":"testweb"}},"ingress":[]})");
  Policy("default", "allow", R"({
    "podSelector":{"matchLabels":{"run":"testweb"}},
    "ingress":[{"from":[{"podSelector":{"matchLabels":{"run":"testcurl"}}}]}]})");
  auto rules = Rules();
  ASSERT_THAT(rules, SizeIs(1));
  ASSERT_THAT(rules[0].ingress, SizeIs(1));
  EXPECT_THAT(rules[0].ingress[0].peers, ElementsAre("10.0.0.3"));
}

TEST_F(PolicyModelTest, SameNamespaceOnlyIsolatesEveryPodOfTheNamespace) {
  Workshop();
  Policy("default", "deny-from-other-namespaces",
         R"({"podSelector":{},"ingress":[{"from":[{"podSelector":{}}]}]})");
  auto rules = Rules();
  ASSERT_THAT(rules, SizeIs(3));  // not the pod in `other`
  for (const auto& r : rules) {
    ASSERT_THAT(r.ingress, SizeIs(1)) << r.pod;
    EXPECT_THAT(r.ingress[0].peers,
                ElementsAre("10.0.0.2", "10.0.0.3", "10.0.0.4"));
  }
}

TEST_F(PolicyModelTest, EmptyFromAllowsEveryone) {
  Workshop();
  Policy("default", "allow-webui",
         R"({"podSelector":{"matchLabels":{"run":"webui"}},
             "ingress":[{"from":[]}]})");
  auto rules = Rules();
  ASSERT_THAT(rules, SizeIs(1));
  EXPECT_EQ(rules[0].pod, "default/webui");
  ASSERT_THAT(rules[0].ingress, SizeIs(1));
  EXPECT_TRUE(rules[0].ingress[0].any_peer);
}

TEST_F(PolicyModelTest, OnlyThisNodesPodsGetRules) {
  Workshop();
  Pod("default", "remote", R"({"run":"testweb"})", "10.0.1.2", "node2");
  Policy("default", "deny",
         R"({"podSelector":{"matchLabels":{"run":"testweb"}},"ingress":[]})");
  auto rules = Rules();
  ASSERT_THAT(rules, SizeIs(1));
  EXPECT_EQ(rules[0].pod, "default/testweb");
}

TEST_F(PolicyModelTest, PodsWithoutAnAddressOrFinishedAreLeftOut) {
  Namespace("default", "{}");
  Pod("default", "pending", R"({"run":"testweb"})", "");
  pods_.Add(R"({"metadata":{"namespace":"default","name":"done",
    "labels":{"run":"testweb"}},"spec":{"nodeName":"node1"},
    "status":{"phase":"Succeeded","podIP":"10.0.0.9"}})");
  pods_.Add(R"({"metadata":{"namespace":"default","name":"host",
    "labels":{"run":"testweb"}},"spec":{"nodeName":"node1","hostNetwork":true},
    "status":{"phase":"Running","podIP":"192.168.1.1"}})");
  Policy("default", "deny", R"({"podSelector":{},"ingress":[]})");
  EXPECT_THAT(Rules(), IsEmpty());
}

TEST_F(PolicyModelTest, NamespaceSelectorAloneTakesEveryPodThere) {
  Workshop();
  namespaces_.docs.clear();
  Namespace("default", "{}");
  Namespace("other", R"({"team":"blue"})");
  Policy("default", "from-blue", R"({"podSelector":{},
    "ingress":[{"from":[{"namespaceSelector":{"matchLabels":{"team":"blue"}}}]}]})");
  auto rules = Rules();
  ASSERT_THAT(rules, SizeIs(3));
  ASSERT_THAT(rules[0].ingress, SizeIs(1));
  EXPECT_THAT(rules[0].ingress[0].peers, ElementsAre("10.0.0.5"));
}

TEST_F(PolicyModelTest, NamespaceNameLabelIsImplicit) {
  Workshop();
  Policy("default", "from-other", R"({"podSelector":{},
    "ingress":[{"from":[{"namespaceSelector":{"matchLabels":
      {"kubernetes.io/metadata.name":"other"}}}]}]})");
  auto rules = Rules();
  ASSERT_THAT(rules, SizeIs(3));
  EXPECT_THAT(rules[0].ingress[0].peers, ElementsAre("10.0.0.5"));
}

TEST_F(PolicyModelTest, PodAndNamespaceSelectorInOnePeerAreAnAnd) {
  Workshop();
  Pod("other", "web2", R"({"run":"webui"})", "10.0.0.6");
  // One peer with both: testcurl pods in any namespace (the selector
  // matches both). Two peers: any pod of `other`, or testcurl of default.
  Policy("default", "and", R"({"podSelector":{"matchLabels":{"run":"testweb"}},
    "ingress":[{"from":[{"namespaceSelector":{},
                         "podSelector":{"matchLabels":{"run":"testcurl"}}}]}]})");
  auto rules = Rules();
  ASSERT_THAT(rules, SizeIs(1));
  EXPECT_THAT(rules[0].ingress[0].peers, ElementsAre("10.0.0.3", "10.0.0.5"));

  policies_.docs.clear();
  Policy("default", "or", R"({"podSelector":{"matchLabels":{"run":"testweb"}},
    "ingress":[{"from":[
      {"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"other"}}},
      {"podSelector":{"matchLabels":{"run":"testcurl"}}}]}]})");
  rules = Rules();
  ASSERT_THAT(rules, SizeIs(1));
  EXPECT_THAT(rules[0].ingress[0].peers,
              ElementsAre("10.0.0.3", "10.0.0.5", "10.0.0.6"));
}

TEST_F(PolicyModelTest, MatchExpressionsSelectPeers) {
  Workshop();
  Policy("default", "expr", R"({"podSelector":{"matchLabels":{"run":"testweb"}},
    "ingress":[{"from":[{"podSelector":{"matchExpressions":[
      {"key":"run","operator":"In","values":["testcurl","webui"]}]}}]}]})");
  auto rules = Rules();
  ASSERT_THAT(rules, SizeIs(1));
  EXPECT_THAT(rules[0].ingress[0].peers, ElementsAre("10.0.0.3", "10.0.0.4"));
}

TEST_F(PolicyModelTest, IpBlockKeepsItsExcepts) {
  Workshop();
  Policy("default", "block",
         R"({"podSelector":{"matchLabels":{"run":"testweb"}},
    "ingress":[{"from":[{"ipBlock":{"cidr":"172.17.0.0/16",
                                    "except":["172.17.1.0/24"]}}]}]})");
  auto rules = Rules();
  ASSERT_THAT(rules, SizeIs(1));
  ASSERT_THAT(rules[0].ingress, SizeIs(1));
  EXPECT_THAT(rules[0].ingress[0].peers, ElementsAre("172.17.0.0/16"));
  EXPECT_THAT(rules[0].ingress[0].except, ElementsAre("172.17.1.0/24"));
}

TEST_F(PolicyModelTest, PortsWithEndPortAndProtocol) {
  Workshop();
  Policy("default", "ports",
         R"({"podSelector":{"matchLabels":{"run":"testweb"}},
    "ingress":[{"ports":[{"protocol":"TCP","port":8000,"endPort":8010},
                         {"protocol":"UDP","port":53},{"protocol":"SCTP"}]}]})");
  auto rules = Rules();
  ASSERT_THAT(rules, SizeIs(1));
  ASSERT_THAT(rules[0].ingress, SizeIs(1));
  EXPECT_TRUE(rules[0].ingress[0].any_peer);
  EXPECT_THAT(rules[0].ingress[0].ports,
              ElementsAre(PortMatch{"tcp", 8000, 8010}, PortMatch{"udp", 53, 0},
                          PortMatch{"sctp", 0, 0}));
}

TEST_F(PolicyModelTest, IngressNamedPortIsTheIsolatedPodsOwn) {
  Namespace("default", "{}");
  Pod("default", "web", R"({"run":"testweb"})", "10.0.0.2", "node1",
      R"([{"name":"http","containerPort":8000}])");
  Pod("default", "other", R"({"run":"testweb"})", "10.0.0.3", "node1",
      R"([{"name":"web","containerPort":9000}])");
  Policy("default", "named", R"({"podSelector":{},
    "ingress":[{"ports":[{"port":"http"}]}]})");
  auto rules = Rules();
  ASSERT_THAT(rules, SizeIs(2));
  ASSERT_THAT(rules[0].ingress, SizeIs(1));
  EXPECT_THAT(rules[0].ingress[0].ports,
              ElementsAre(PortMatch{"tcp", 8000, 0}));
  // The pod without a port of that name is isolated and admits nothing.
  EXPECT_TRUE(rules[1].ingress_isolated);
  EXPECT_THAT(rules[1].ingress, IsEmpty());
}

TEST_F(PolicyModelTest, EgressNamedPortIsEachDestinationsOwn) {
  Namespace("default", "{}");
  Pod("default", "client", R"({"run":"testcurl"})", "10.0.0.1");
  Pod("default", "a", R"({"run":"web"})", "10.0.0.2", "node2",
      R"([{"name":"http","containerPort":8000}])");
  Pod("default", "b", R"({"run":"web"})", "10.0.0.3", "node2",
      R"([{"name":"http","containerPort":9000}])");
  Policy("default", "out", R"({"podSelector":{"matchLabels":{"run":"testcurl"}},
    "egress":[{"to":[{"podSelector":{"matchLabels":{"run":"web"}}}],
               "ports":[{"port":"http","protocol":"TCP"}]}]})");
  auto rules = Rules();
  ASSERT_THAT(rules, SizeIs(1));
  EXPECT_EQ(rules[0].pod, "default/client");
  // policyTypes defaulted: Ingress always (no rules: nothing in), Egress
  // because egress rules exist.
  EXPECT_TRUE(rules[0].ingress_isolated);
  EXPECT_TRUE(rules[0].egress_isolated);
  ASSERT_THAT(rules[0].egress, SizeIs(2));
  EXPECT_THAT(rules[0].egress[0].peers, ElementsAre("10.0.0.2"));
  EXPECT_THAT(rules[0].egress[0].ports, ElementsAre(PortMatch{"tcp", 8000, 0}));
  EXPECT_THAT(rules[0].egress[1].peers, ElementsAre("10.0.0.3"));
  EXPECT_THAT(rules[0].egress[1].ports, ElementsAre(PortMatch{"tcp", 9000, 0}));
}

TEST_F(PolicyModelTest, EgressOnlyPolicyLeavesIngressOpen) {
  Workshop();
  Policy("default", "deny-egress", R"({"podSelector":{"matchLabels":
    {"run":"testcurl"}},"policyTypes":["Egress"]})");
  auto rules = Rules();
  ASSERT_THAT(rules, SizeIs(1));
  EXPECT_FALSE(rules[0].ingress_isolated);
  EXPECT_TRUE(rules[0].egress_isolated);
  EXPECT_THAT(rules[0].egress, IsEmpty());
}

TEST_F(PolicyModelTest, PolicyTypesWithoutEgressIgnoreEgressRules) {
  Workshop();
  Policy("default", "in-only", R"({"podSelector":{"matchLabels":
    {"run":"testcurl"}},"policyTypes":["Ingress"],
    "egress":[{"to":[{"podSelector":{}}]}]})");
  auto rules = Rules();
  ASSERT_THAT(rules, SizeIs(1));
  EXPECT_TRUE(rules[0].ingress_isolated);
  EXPECT_FALSE(rules[0].egress_isolated);
  EXPECT_THAT(rules[0].egress, IsEmpty());
}

TEST_F(PolicyModelTest, LabelChangesMoveAPodInAndOut) {
  Workshop();
  Policy("default", "deny",
         R"({"podSelector":{"matchLabels":{"run":"testweb"}},"ingress":[]})");
  ASSERT_THAT(Rules(), SizeIs(1));
  pods_.docs.clear();
  Pod("default", "testweb", R"({"run":"relabelled"})", "10.0.0.2");
  EXPECT_THAT(Rules(), IsEmpty());
}

TEST(PolicySelectorTest, EmptyOrAbsentSelectsEverything) {
  auto labels = ParseJson(R"({"a":"b"})");
  auto empty = ParseJson(R"({})");
  auto other = ParseJson(R"({"matchLabels":{"a":"c"}})");
  EXPECT_TRUE(PolicySelectorMatches(nullptr, &*labels));
  EXPECT_TRUE(PolicySelectorMatches(&*empty, nullptr));
  EXPECT_FALSE(PolicySelectorMatches(&*other, &*labels));
}

}  // namespace
}  // namespace berth::policy
