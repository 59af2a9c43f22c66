// What the service proxy programs from Services and EndpointSlices: ports
// matched by name and protocol, ready endpoints only (terminating serving
// ones when none is ready), Local traffic policies keeping this node's
// endpoints, ClientIP affinity, NodePorts, and headless and ExternalName
// Services left out.
#include "service_port_model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace berth::proxy {
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

std::string Service(const std::string& name, const std::string& spec) {
  return R"({"metadata":{"namespace":"ns","name":")" + name + R"("},"spec":)" +
         spec + "}";
}

std::string Endpoint(const std::string& ip, bool ready,
                     const std::string& node = "n1", bool serving = true,
                     bool terminating = false) {
  return R"({"addresses":[")" + ip + R"("],"nodeName":")" + node +
         R"(","conditions":{"ready":)" + (ready ? "true" : "false") +
         R"(,"serving":)" + (serving ? "true" : "false") +
         R"(,"terminating":)" + (terminating ? "true" : "false") + "}}";
}

std::string Slice(const std::string& svc, const std::string& ports,
                  const std::vector<std::string>& endpoints) {
  std::string eps;
  for (const auto& e : endpoints) eps += (eps.empty() ? "" : ",") + e;
  return R"({"metadata":{"namespace":"ns","name":")" + svc +
         R"(-x","labels":{"kubernetes.io/service-name":")" + svc +
         R"("}},"addressType":"IPv4","ports":)" + ports + R"(,"endpoints":[)" +
         eps + "]}";
}

std::vector<std::string> Ips(const std::vector<ProxyEndpoint>& eps) {
  std::vector<std::string> out;
  for (const auto& e : eps) out.push_back(e.ip + ":" + std::to_string(e.port));
  return out;
}

TEST(ServicePortModel, MatchesSlicePortsByNameAndKeepsReadyEndpoints) {
  Docs svcs, slices;
  svcs.Add(Service("web", R"({"clusterIP":"10.96.0.10","type":"NodePort",
      "ports":[{"name":"http","port":80,"protocol":"TCP","nodePort":30300},
               {"name":"dns","port":53,"protocol":"UDP"}]})"));
  slices.Add(Slice("web",
                   R"([{"name":"http","port":8080,"protocol":"TCP"},
                       {"name":"dns","port":5353,"protocol":"UDP"}])",
                   {Endpoint("10.244.0.3", true), Endpoint("10.244.0.2", true),
                    Endpoint("10.244.0.4", false)}));
  auto ports = BuildServicePorts(svcs.Ptrs(), slices.Ptrs(), "n1");
  ASSERT_THAT(ports, SizeIs(2));
  EXPECT_EQ(ports[0].Id(), "ns/web:dns/udp");
  EXPECT_EQ(ports[0].port, 53);
  EXPECT_EQ(ports[0].node_port, 0);
  EXPECT_THAT(Ips(ports[0].cluster_endpoints),
              ElementsAre("10.244.0.2:5353", "10.244.0.3:5353"));
  EXPECT_EQ(ports[1].Id(), "ns/web:http/tcp");
  EXPECT_EQ(ports[1].cluster_ip, "10.96.0.10");
  EXPECT_EQ(ports[1].node_port, 30300);
  EXPECT_THAT(Ips(ports[1].cluster_endpoints),
              ElementsAre("10.244.0.2:8080", "10.244.0.3:8080"));
  EXPECT_EQ(ports[1].external_endpoints, ports[1].cluster_endpoints);
}

TEST(ServicePortModel, TerminatingServingEndpointsOnlyWhenNoneIsReady) {
  Docs svcs, slices;
  svcs.Add(Service("web", R"({"clusterIP":"10.96.0.10",
      "ports":[{"port":80,"protocol":"TCP"}]})"));
  slices.Add(Slice("web", R"([{"name":"","port":8080,"protocol":"TCP"}])",
                   {Endpoint("10.244.0.2", false, "n1", true, true),
                    Endpoint("10.244.0.3", false, "n1", false, false)}));
  auto ports = BuildServicePorts(svcs.Ptrs(), slices.Ptrs(), "n1");
  ASSERT_THAT(ports, SizeIs(1));
  EXPECT_THAT(Ips(ports[0].cluster_endpoints), ElementsAre("10.244.0.2:8080"));

  slices.Add(Slice("web", R"([{"name":"","port":8080,"protocol":"TCP"}])",
                   {Endpoint("10.244.0.9", true)}));
  ports = BuildServicePorts(svcs.Ptrs(), slices.Ptrs(), "n1");
  EXPECT_THAT(Ips(ports[0].cluster_endpoints), ElementsAre("10.244.0.9:8080"));
}

TEST(ServicePortModel, LocalPoliciesKeepThisNodesEndpoints) {
  Docs svcs, slices;
  svcs.Add(Service("web", R"({"clusterIP":"10.96.0.10","type":"NodePort",
      "externalTrafficPolicy":"Local","sessionAffinity":"ClientIP",
      "ports":[{"port":80,"protocol":"TCP","nodePort":31111}]})"));
  slices.Add(Slice("web", R"([{"name":"","port":8080,"protocol":"TCP"}])",
                   {Endpoint("10.244.0.2", true, "n1"),
                    Endpoint("10.244.1.2", true, "n2")}));
  auto ports = BuildServicePorts(svcs.Ptrs(), slices.Ptrs(), "n1");
  ASSERT_THAT(ports, SizeIs(1));
  EXPECT_THAT(Ips(ports[0].cluster_endpoints),
              ElementsAre("10.244.0.2:8080", "10.244.1.2:8080"));
  EXPECT_THAT(Ips(ports[0].external_endpoints), ElementsAre("10.244.0.2:8080"));
  EXPECT_TRUE(ports[0].external_local);
  EXPECT_EQ(ports[0].affinity_seconds, 10800);
}

TEST(ServicePortModel, PreferSameNodeKeepsThisNodesEndpointsWhenItHasAny) {
  Docs svcs, slices;
  svcs.Add(Service("kube-dns", R"({"clusterIP":"10.96.0.10",
      "trafficDistribution":"PreferSameNode",
      "ports":[{"name":"dns","port":53,"protocol":"UDP"}]})"));
  slices.Add(Slice("kube-dns", R"([{"name":"dns","port":53,"protocol":"UDP"}])",
                   {Endpoint("192.168.0.1", true, "n1"),
                    Endpoint("192.168.0.2", true, "n2")}));
  auto on_n1 = BuildServicePorts(svcs.Ptrs(), slices.Ptrs(), "n1");
  ASSERT_THAT(on_n1, SizeIs(1));
  EXPECT_THAT(Ips(on_n1[0].cluster_endpoints), ElementsAre("192.168.0.1:53"));
  // A node without an endpoint of its own uses the others.
  auto on_n3 = BuildServicePorts(svcs.Ptrs(), slices.Ptrs(), "n3");
  EXPECT_THAT(Ips(on_n3[0].cluster_endpoints),
              ElementsAre("192.168.0.1:53", "192.168.0.2:53"));
}

TEST(ServicePortModel, HeadlessAndExternalNameServicesAreLeftOut) {
  Docs svcs, slices;
  svcs.Add(Service("db", R"({"clusterIP":"None","ports":[{"port":5432}]})"));
  svcs.Add(Service("ext", R"({"type":"ExternalName",
      "externalName":"example.com","ports":[{"port":80}]})"));
  svcs.Add(Service("empty", R"({"clusterIP":"10.96.0.11",
      "ports":[{"port":80,"protocol":"TCP"}]})"));
  auto ports = BuildServicePorts(svcs.Ptrs(), slices.Ptrs(), "n1");
  ASSERT_THAT(ports, SizeIs(1));
  EXPECT_EQ(ports[0].name, "empty");
  EXPECT_THAT(ports[0].cluster_endpoints, IsEmpty());
}

TEST(ServicePortModel, AllEndpointsListsEachEndpointOfEitherPolicyOnce) {
  ServicePort sp;
  sp.cluster_endpoints = {{"10.244.0.2", 80}, {"10.244.0.3", 80}};
  sp.external_endpoints = {
      {"10.244.0.3", 80}, {"10.244.0.3", 81}, {"10.244.0.9", 80}};
  const std::vector<ProxyEndpoint> all = AllEndpoints(sp);
  const std::vector<ProxyEndpoint> want = {{"10.244.0.2", 80},
                                           {"10.244.0.3", 80},
                                           {"10.244.0.3", 81},
                                           {"10.244.0.9", 80}};
  EXPECT_EQ(all, want);
}

}  // namespace
}  // namespace berth::proxy
