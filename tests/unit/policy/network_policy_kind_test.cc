// The NetworkPolicy kind as the apiserver has it: defaulting (TCP, and
// policyTypes from the rules present), ValidateNetworkPolicy's messages
// for ports, peers, ipBlocks and policyTypes, and kubectl's columns.
#include "network_policy_kind.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace berth::policy {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

JsonDoc Parse(const std::string& spec) {
  auto d = ParseJson(R"({"metadata":{"name":"p","namespace":"default"},)"
                     R"("spec":)" +
                     spec + "}");
  EXPECT_TRUE(d.ok()) << spec;
  return std::move(*d);
}

std::vector<std::string> Errors(const std::string& spec) {
  NetworkPolicyKind kind;
  JsonDoc d = Parse(spec);
  kind.Default(d, d.GetAllocator());
  std::vector<std::string> out;
  for (const auto& c : kind.Validate(d, nullptr)) {
    out.push_back(c.field + ": " + c.message);
  }
  return out;
}

TEST(NetworkPolicyKindTest, Info) {
  NetworkPolicyKind kind;
  EXPECT_EQ(kind.Info().group, "networking.k8s.io");
  EXPECT_EQ(kind.Info().plural, "networkpolicies");
  EXPECT_TRUE(kind.Info().namespaced);
  EXPECT_THAT(kind.Info().short_names, ElementsAre("netpol"));
  EXPECT_THAT(kind.OpenApiSchemas(),
              ::testing::HasSubstr("io.k8s.api.networking.v1.IPBlock"));
}

TEST(NetworkPolicyKindTest, DefaultsProtocolAndPolicyTypes) {
  NetworkPolicyKind kind;
  JsonDoc d =
      Parse(R"({"podSelector":{},"ingress":[{"ports":[{"port":80}]}]})");
  kind.Default(d, d.GetAllocator());
  EXPECT_EQ(ToJson(*Find(d, {"spec", "policyTypes"})), R"(["Ingress"])");
  EXPECT_EQ(ToJson(*Find(d, {"spec", "ingress"})),
            R"([{"ports":[{"port":80,"protocol":"TCP"}]}])");

  JsonDoc e = Parse(R"({"podSelector":{},"egress":[{}]})");
  kind.Default(e, e.GetAllocator());
  EXPECT_EQ(ToJson(*Find(e, {"spec", "policyTypes"})),
            R"(["Ingress","Egress"])");

  JsonDoc kept = Parse(R"({"podSelector":{},"policyTypes":["Egress"]})");
  kind.Default(kept, kept.GetAllocator());
  EXPECT_EQ(ToJson(*Find(kept, {"spec", "policyTypes"})), R"(["Egress"])");
}

TEST(NetworkPolicyKindTest, TheWorkshopPoliciesAreValid) {
  EXPECT_THAT(Errors(R"({"podSelector":{"matchLabels":{"run":"testweb"}},
                         "ingress":[]})"),
              IsEmpty());
  EXPECT_THAT(Errors(R"({"podSelector":{"matchLabels":{"run":"testweb"}},
      "ingress":[{"from":[{"podSelector":{"matchLabels":{"run":"testcurl"}}}]}]})"),
              IsEmpty());
  EXPECT_THAT(
      Errors(R"({"podSelector":{},"ingress":[{"from":[{"podSelector":{}}]}]})"),
      IsEmpty());
  EXPECT_THAT(Errors(R"({"podSelector":{"matchLabels":{"run":"webui"}},
                         "ingress":[{"from":[]}]})"),
              IsEmpty());
}

TEST(NetworkPolicyKindTest, PortRules) {
  EXPECT_THAT(
      Errors(
          R"({"podSelector":{},"ingress":[{"ports":[{"protocol":"ICMP"}]}]})"),
      ElementsAre("spec.ingress[0].ports[0].protocol: Unsupported value: "
                  "\"ICMP\": supported values: \"TCP\", \"UDP\", \"SCTP\""));
  EXPECT_THAT(
      Errors(R"({"podSelector":{},"ingress":[{"ports":[{"port":0}]}]})"),
      ElementsAre("spec.ingress[0].ports[0].port: Invalid value: 0: must be "
                  "between 1 and 65535, inclusive"));
  EXPECT_THAT(Errors(R"({"podSelector":{},
                         "egress":[{"ports":[{"port":90,"endPort":80}]}]})"),
              ElementsAre("spec.egress[0].ports[0].endPort: Invalid value: "
                          "90: must be greater than or equal to `port`"));
  EXPECT_THAT(Errors(R"({"podSelector":{},
                         "ingress":[{"ports":[{"port":"http","endPort":80}]}]})"),
              ElementsAre("spec.ingress[0].ports[0].endPort: Invalid value: "
                          "80: may not be specified when `port` is "
                          "non-numeric"));
  EXPECT_THAT(Errors(R"({"podSelector":{},
                         "ingress":[{"ports":[{"endPort":80}]}]})"),
              ElementsAre("spec.ingress[0].ports[0].endPort: Invalid value: "
                          "80: may not be specified when `port` is not "
                          "specified"));
  EXPECT_THAT(Errors(R"({"podSelector":{},
                         "ingress":[{"ports":[{"port":"Not_A_Name"}]}]})"),
              ::testing::SizeIs(::testing::Ge(1u)));
}

TEST(NetworkPolicyKindTest, PeerRules) {
  EXPECT_THAT(Errors(R"({"podSelector":{},"ingress":[{"from":[{}]}]})"),
              ElementsAre("spec.ingress[0].from[0]: Required value: must "
                          "specify a peer"));
  EXPECT_THAT(
      Errors(R"({"podSelector":{},"egress":[{"to":[{"podSelector":{},
                 "ipBlock":{"cidr":"10.0.0.0/8"}}]}]})"),
      ElementsAre("spec.egress[0].to[0]: Forbidden: may not specify both "
                  "ipBlock and another peer"));
  EXPECT_THAT(Errors(R"({"podSelector":{"matchExpressions":[
                 {"key":"a","operator":"Bogus"}]}})"),
              ::testing::SizeIs(::testing::Ge(1u)));
}

TEST(NetworkPolicyKindTest, IpBlockExceptMustBeAStrictSubset) {
  EXPECT_THAT(Errors(R"({"podSelector":{},"ingress":[{"from":[{"ipBlock":
                 {"cidr":"10.0.0.0/8","except":["10.1.0.0/16"]}}]}]})"),
              IsEmpty());
  EXPECT_THAT(Errors(R"({"podSelector":{},"ingress":[{"from":[{"ipBlock":
                 {"cidr":"10.0.0.0/8","except":["10.0.0.0/8","11.0.0.0/16"]}}]}]})"),
              ElementsAre("spec.ingress[0].from[0].ipBlock.except[0]: Invalid "
                          "value: \"10.0.0.0/8\": must be a strict subset of "
                          "`cidr`",
                          "spec.ingress[0].from[0].ipBlock.except[1]: Invalid "
                          "value: \"11.0.0.0/16\": must be a strict subset of "
                          "`cidr`"));
  EXPECT_THAT(Errors(R"({"podSelector":{},"ingress":[{"from":[{"ipBlock":
                 {"cidr":"10.0.0.0"}}]}]})"),
              ElementsAre("spec.ingress[0].from[0].ipBlock.cidr: Invalid "
                          "value: \"10.0.0.0\": must be a valid CIDR value, "
                          "(e.g. 10.9.8.0/24 or 2001:db8::/64)"));
  EXPECT_THAT(Errors(R"({"podSelector":{},"ingress":[{"from":[{"ipBlock":
                 {"cidr":""}}]}]})"),
              ElementsAre("spec.ingress[0].from[0].ipBlock.cidr: Required "
                          "value"));
}

TEST(NetworkPolicyKindTest, PolicyTypes) {
  EXPECT_THAT(Errors(R"({"podSelector":{},"policyTypes":["Ingress","Foo"]})"),
              ElementsAre("spec.policyTypes[1]: Unsupported value: \"Foo\": "
                          "supported values: \"Ingress\", \"Egress\""));
  EXPECT_THAT(Errors(R"({"podSelector":{},
                         "policyTypes":["Ingress","Egress","Ingress"]})"),
              ElementsAre("spec.policyTypes: Invalid value: \"[Ingress Egress "
                          "Ingress]\": may not specify more than two "
                          "policyTypes"));
}

TEST(NetworkPolicyKindTest, ColumnsShowThePodSelector) {
  NetworkPolicyKind kind;
  ASSERT_EQ(kind.Columns().size(), 3u);
  EXPECT_EQ(kind.Columns()[1].name, "Pod-Selector");
  for (const auto& [spec, shown] :
       std::vector<std::pair<std::string, std::string>>{
           {R"({"podSelector":{}})", "<none>"},
           {R"({"podSelector":{"matchLabels":{"run":"testweb"}}})",
            "run=testweb"}}) {
    JsonDoc d = Parse(spec);
    JsonDoc cells;
    cells.SetArray();
    kind.Cells(d, std::chrono::system_clock::now(), cells,
               cells.GetAllocator());
    ASSERT_EQ(cells.Size(), 3u);
    EXPECT_EQ(std::string(cells[1].GetString()), shown);
  }
}

}  // namespace
}  // namespace berth::policy
