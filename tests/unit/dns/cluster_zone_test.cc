// The cluster zone as Kubernetes' DNS specification lays it out: ClusterIP
// and headless Services, StatefulSet pod names, SRV for named ports, PTR,
// ExternalName, pod names by address, and NXDOMAIN against NODATA.
#include "cluster_zone.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace berth::dns {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

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

std::string Ip(const std::string& rdata) {
  if (rdata.size() != 4) return "?";
  auto b = [&](int i) { return std::to_string(uint8_t(rdata[i])); };
  return b(0) + "." + b(1) + "." + b(2) + "." + b(3);
}

std::vector<std::string> Addresses(const std::vector<DnsRecord>& records) {
  std::vector<std::string> out;
  for (const auto& r : records) {
    if (r.type == kTypeA) out.push_back(Ip(r.rdata));
  }
  return out;
}

std::vector<std::string> Addresses(const ZoneAnswer& a) {
  return Addresses(a.answers);
}

std::string Target(const DnsRecord& r, size_t at = 0) {
  auto name = ReadName(r.rdata, &at);
  return name.ok() ? *name : "?";
}

class ClusterZoneTest : public ::testing::Test {
 protected:
  void SetUp() override {
    services_.Add(R"({"metadata":{"name":"webserver","namespace":"default"},
      "spec":{"type":"ClusterIP","clusterIP":"10.96.12.34",
        "clusterIPs":["10.96.12.34"],
        "ports":[{"name":"http","port":8000,"protocol":"TCP"},
                 {"port":9000,"protocol":"TCP"}]}})");
    services_.Add(R"({"metadata":{"name":"nginx","namespace":"default"},
      "spec":{"clusterIP":"None","clusterIPs":["None"],
        "ports":[{"name":"web","port":80}]}})");
    services_.Add(R"({"metadata":{"name":"db","namespace":"prod"},
      "spec":{"type":"ExternalName","externalName":"db.example.com"}})");
    services_.Add(R"({"metadata":{"name":"alias","namespace":"prod"},
      "spec":{"type":"ExternalName",
        "externalName":"webserver.default.svc.cluster.local"}})");
    services_.Add(R"({"metadata":{"name":"empty","namespace":"default"},
      "spec":{"clusterIP":"None"}})");
    slices_.Add(R"({"metadata":{"name":"nginx-abc","namespace":"default",
      "labels":{"kubernetes.io/service-name":"nginx"}},
      "addressType":"IPv4",
      "endpoints":[
        {"addresses":["10.244.0.5"],"hostname":"web-0",
         "conditions":{"ready":true}},
        {"addresses":["10.244.0.6"],"hostname":"web-1",
         "conditions":{"ready":true}},
        {"addresses":["10.244.0.7"],"conditions":{"ready":true}},
        {"addresses":["10.244.0.8"],"hostname":"web-3",
         "conditions":{"ready":false}}],
      "ports":[{"name":"web","port":8080,"protocol":"TCP"}]})");
  }

  ClusterZone Build(ZoneConfig config = {}) {
    return ClusterZone(config, services_.Ptrs(), slices_.Ptrs());
  }

  Docs services_, slices_;
};

TEST_F(ClusterZoneTest, ClusterIpServiceHasItsAddress) {
  ClusterZone zone = Build();
  ZoneAnswer a = zone.Lookup("webserver.default.svc.cluster.local.", kTypeA);
  EXPECT_EQ(a.outcome, ZoneAnswer::Outcome::kAnswered);
  EXPECT_EQ(a.rcode, kRcodeNoError);
  EXPECT_THAT(Addresses(a), ElementsAre("10.96.12.34"));
  EXPECT_EQ(a.answers[0].ttl, 30u);
  // Spelled as asked, matched without case.
  ZoneAnswer upper = zone.Lookup("WebServer.Default.svc.cluster.local", kTypeA);
  ASSERT_EQ(upper.answers.size(), 1u);
  EXPECT_EQ(upper.answers[0].name, "WebServer.Default.svc.cluster.local");
}

TEST_F(ClusterZoneTest, TtlIsSettable) {
  ZoneConfig config;
  config.ttl = 5;
  ZoneAnswer a =
      Build(config).Lookup("webserver.default.svc.cluster.local", kTypeA);
  ASSERT_EQ(a.answers.size(), 1u);
  EXPECT_EQ(a.answers[0].ttl, 5u);
}

TEST_F(ClusterZoneTest, NamedPortsHaveSrvRecords) {
  ClusterZone zone = Build();
  ZoneAnswer a =
      zone.Lookup("_http._tcp.webserver.default.svc.cluster.local", kTypeSrv);
  ASSERT_EQ(a.answers.size(), 1u);
  const std::string& rd = a.answers[0].rdata;
  EXPECT_EQ((uint8_t(rd[4]) << 8) | uint8_t(rd[5]), 8000);
  EXPECT_EQ(Target(a.answers[0], 6), "webserver.default.svc.cluster.local");
  EXPECT_THAT(Addresses(a.additional), ElementsAre("10.96.12.34"));
  // The unnamed port has none.
  EXPECT_EQ(
      zone.Lookup("_9000._tcp.webserver.default.svc.cluster.local", kTypeSrv)
          .rcode,
      kRcodeNxDomain);
}

TEST_F(ClusterZoneTest, HeadlessServiceListsReadyEndpoints) {
  ClusterZone zone = Build();
  ZoneAnswer a = zone.Lookup("nginx.default.svc.cluster.local", kTypeA);
  EXPECT_THAT(Addresses(a),
              UnorderedElementsAre("10.244.0.5", "10.244.0.6", "10.244.0.7"));
  // StatefulSet pods by hostname; endpoints without one by dashed address.
  EXPECT_THAT(
      Addresses(zone.Lookup("web-0.nginx.default.svc.cluster.local", kTypeA)),
      ElementsAre("10.244.0.5"));
  EXPECT_THAT(Addresses(zone.Lookup(
                  "10-244-0-7.nginx.default.svc.cluster.local", kTypeA)),
              ElementsAre("10.244.0.7"));
  // The one not ready is not published.
  EXPECT_EQ(zone.Lookup("web-3.nginx.default.svc.cluster.local", kTypeA).rcode,
            kRcodeNxDomain);
  // SRV: one per endpoint, the endpoint's name and the slice's port.
  ZoneAnswer srv =
      zone.Lookup("_web._tcp.nginx.default.svc.cluster.local", kTypeSrv);
  ASSERT_EQ(srv.answers.size(), 3u);
  EXPECT_EQ(Target(srv.answers[0], 6), "web-0.nginx.default.svc.cluster.local");
  EXPECT_EQ((uint8_t(srv.answers[0].rdata[4]) << 8) |
                uint8_t(srv.answers[0].rdata[5]),
            8080);
  EXPECT_EQ(srv.additional.size(), 3u);
}

TEST_F(ClusterZoneTest, PublishNotReadyAddressesPublishesAll) {
  auto& spec = services_.docs[1]["spec"];
  spec.AddMember("publishNotReadyAddresses", true,
                 services_.docs[1].GetAllocator());
  ClusterZone zone = Build();
  EXPECT_EQ(
      Addresses(zone.Lookup("nginx.default.svc.cluster.local", kTypeA)).size(),
      4u);
  EXPECT_THAT(
      Addresses(zone.Lookup("web-3.nginx.default.svc.cluster.local", kTypeA)),
      ElementsAre("10.244.0.8"));
}

TEST_F(ClusterZoneTest, ReverseNamesOfClusterIpsAndEndpoints) {
  ClusterZone zone = Build();
  ZoneAnswer svc = zone.Lookup("34.12.96.10.in-addr.arpa", kTypePtr);
  ASSERT_EQ(svc.answers.size(), 1u);
  EXPECT_EQ(Target(svc.answers[0]), "webserver.default.svc.cluster.local");
  ZoneAnswer pod = zone.Lookup("5.0.244.10.in-addr.arpa", kTypePtr);
  ASSERT_EQ(pod.answers.size(), 1u);
  EXPECT_EQ(Target(pod.answers[0]), "web-0.nginx.default.svc.cluster.local");
  // Addresses the cluster does not know go upstream.
  EXPECT_EQ(zone.Lookup("1.1.168.192.in-addr.arpa", kTypePtr).outcome,
            ZoneAnswer::Outcome::kNotOurs);
  EXPECT_EQ(ReverseName("2001:db8::1"),
            "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2."
            "ip6.arpa");
}

TEST_F(ClusterZoneTest, ExternalNameIsACname) {
  ClusterZone zone = Build();
  ZoneAnswer a = zone.Lookup("db.prod.svc.cluster.local", kTypeA);
  ASSERT_EQ(a.answers.size(), 1u);
  EXPECT_EQ(a.answers[0].type, kTypeCname);
  EXPECT_EQ(Target(a.answers[0]), "db.example.com");
  EXPECT_EQ(a.cname_target, "db.example.com");  // resolved upstream
  // A target inside the zone is followed here.
  ZoneAnswer alias = zone.Lookup("alias.prod.svc.cluster.local", kTypeA);
  ASSERT_EQ(alias.answers.size(), 2u);
  EXPECT_EQ(alias.answers[1].name, "webserver.default.svc.cluster.local");
  EXPECT_EQ(Ip(alias.answers[1].rdata), "10.96.12.34");
  EXPECT_EQ(alias.cname_target, "");
}

TEST_F(ClusterZoneTest, NxdomainAgainstNodata) {
  ClusterZone zone = Build();
  // A name that does not exist.
  ZoneAnswer missing = zone.Lookup("nope.default.svc.cluster.local", kTypeA);
  EXPECT_EQ(missing.outcome, ZoneAnswer::Outcome::kAnswered);
  EXPECT_EQ(missing.rcode, kRcodeNxDomain);
  ASSERT_EQ(missing.authority.size(), 1u);
  EXPECT_EQ(missing.authority[0].type, kTypeSoa);
  // An existing name without the type: NOERROR and no answer.
  ZoneAnswer aaaa =
      zone.Lookup("webserver.default.svc.cluster.local", kTypeAaaa);
  EXPECT_EQ(aaaa.rcode, kRcodeNoError);
  EXPECT_THAT(aaaa.answers, IsEmpty());
  EXPECT_EQ(aaaa.authority.size(), 1u);
  // Empty non-terminals and a headless Service without endpoints exist.
  for (const char* name :
       {"default.svc.cluster.local", "svc.cluster.local",
        "empty.default.svc.cluster.local", "cluster.local"}) {
    EXPECT_EQ(zone.Lookup(name, kTypeA).rcode, kRcodeNoError) << name;
  }
  EXPECT_EQ(zone.Lookup("kube-system.svc.cluster.local", kTypeA).rcode,
            kRcodeNxDomain);
  // Outside the zone: not ours.
  EXPECT_EQ(zone.Lookup("example.com", kTypeA).outcome,
            ZoneAnswer::Outcome::kNotOurs);
  EXPECT_EQ(zone.Lookup("cluster.localhost", kTypeA).outcome,
            ZoneAnswer::Outcome::kNotOurs);
}

TEST_F(ClusterZoneTest, PodsByAddress) {
  ClusterZone zone = Build();
  EXPECT_THAT(
      Addresses(zone.Lookup("10-244-1-9.default.pod.cluster.local", kTypeA)),
      ElementsAre("10.244.1.9"));
  EXPECT_EQ(zone.Lookup("x-y.default.pod.cluster.local", kTypeA).rcode,
            kRcodeNxDomain);
}

TEST_F(ClusterZoneTest, OtherZoneName) {
  ZoneConfig config;
  config.zone = "Berth.Test";
  ClusterZone zone = Build(config);
  EXPECT_THAT(
      Addresses(zone.Lookup("webserver.default.svc.berth.test", kTypeA)),
      ElementsAre("10.96.12.34"));
  EXPECT_EQ(zone.Lookup("webserver.default.svc.cluster.local", kTypeA).outcome,
            ZoneAnswer::Outcome::kNotOurs);
}

}  // namespace
}  // namespace berth::dns
