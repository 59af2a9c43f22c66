// Integration: the dns plugin inside a real `berth server` (core and dns
// only, no nodes), queried with a real resolver client, `dig`. Objects are
// made with the real kubectl; hand-made EndpointSlices stand in for pods.
// Shows the kube-dns Service (10.96.0.10, dns/dns-tcp) and this node's
// EndpointSlice for it, A/SRV/PTR for a ClusterIP Service, a headless
// Service's endpoints and StatefulSet-style names, ExternalName as CNAME,
// NXDOMAIN against NODATA, names outside the zone forwarded to an
// upstream (a DnsServer this test runs), and truncation with TC over UDP
// while EDNS0 and TCP get the whole answer; and the same plugin inside a
// `berth agent`, publishing its own listener and removing it at stop.
// Waits poll with a generous deadline; nothing here measures speed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "cluster_zone.h"
#include "dns_responder.h"
#include "dns_server.h"
#include "tests/support/kubectl.h"
#include "tests/support/process.h"

namespace berth::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

bool HaveDig() { return RunCommand("command -v dig").exit_code == 0; }

std::vector<std::string> Words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  std::sort(out.begin(), out.end());
  return out;
}

class DnsIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!HaveKubectl() || !HaveDig()) return;
    // The upstream: another zone with a name of its own.
    std::vector<JsonDoc> docs;
    auto svc = ParseJson(R"({"metadata":{"name":"outside","namespace":"web"},
      "spec":{"clusterIP":"192.0.2.7"}})");
    docs.push_back(std::move(*svc));
    dns::ZoneConfig config;
    config.zone = "upstream.test";
    auto zone = std::make_shared<const dns::ClusterZone>(
        config, std::vector<const Json*>{&docs[0]}, std::vector<const Json*>{});
    upstream_responder_ =
        new dns::DnsResponder([zone] { return zone; }, nullptr);
    upstream_ = new dns::DnsServer(*upstream_responder_);
    ASSERT_TRUE(upstream_->Start("127.0.0.1", 0).ok());

    dir_ = new TempDir();
    std::filesystem::create_directories(dir_->path() + "/home");
    server_ = new BerthServer(dir_->path() + "/data");
    const std::string conf = dir_->path() + "/berth.yaml";
    std::ofstream(conf) << "plugins:\n"
                        << "  - core\n"
                        << "  - name: dns\n"
                        << "    settings:\n"
                        << "      bindAddress: 127.0.0.1\n"
                        << "      port: 0\n"
                        << "      nodeName: test-node\n"
                        << "      advertiseAddress: 192.0.2.1\n"
                        << "      upstreams: [\"127.0.0.1:" << upstream_->port()
                        << "\"]\n";
    ASSERT_TRUE(server_->Start({"--config", conf})) << server_->log();
  }
  static void TearDownTestSuite() {
    if (server_) {
      EXPECT_EQ(server_->Stop(), 0) << server_->log();
      delete server_;
      server_ = nullptr;
    }
    delete dir_;
    dir_ = nullptr;
    if (upstream_) upstream_->Stop();
    delete upstream_;
    upstream_ = nullptr;
    delete upstream_responder_;
    upstream_responder_ = nullptr;
  }
  void SetUp() override {
    if (!HaveKubectl()) GTEST_SKIP() << kNoKubectl;
    if (!HaveDig()) GTEST_SKIP() << "dig is not installed (bind9-dnsutils)";
    // The slice's address is what the service proxy would send queries to
    // (Kubernetes refuses loopback ones); the test asks 127.0.0.1 directly.
    ASSERT_TRUE(Eventually([&] { return !Port().empty(); }))
        << "no kube-dns EndpointSlice\n"
        << server_->log();
  }

  CommandResult Kubectl(const std::string& args,
                        const std::string& input = "") {
    return RunCommand("kubectl " + args,
                      KubectlEnv(*server_, dir_->path() + "/home"), input);
  }
  std::string Get(const std::string& what, const std::string& jsonpath) {
    auto r = Kubectl("get " + what + " -o jsonpath='" + jsonpath + "'");
    return r.exit_code == 0 ? r.out : "";
  }
  // The listening port, as this node's kube-dns slice publishes it.
  std::string Port() {
    return Get("endpointslice -n kube-system kube-dns-test-node",
               "{.ports[?(@.name==\"dns\")].port}");
  }
  // dig's whole output for `args` against the plugin.
  std::string Dig(const std::string& args) {
    return RunCommand("dig @127.0.0.1 -p " + Port() + " +time=5 +tries=1 " +
                      args)
        .out;
  }
  std::vector<std::string> Short(const std::string& args) {
    return Words(Dig("+short " + args));
  }
  template <typename F>
  bool Eventually(F probe) {
    for (int i = 0; i < 300; ++i) {
      if (probe()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }
  // A Service without selector and its hand-made EndpointSlice with
  // `count` ready endpoints 10.244.7.1.. (the first two named web-0 and
  // web-1) on port "web" 8080.
  void HeadlessWithEndpoints(const std::string& ns, const std::string& name,
                             int count) {
    std::string endpoints;
    for (int i = 0; i < count; ++i) {
      endpoints += std::string(i ? "," : "") + R"({"addresses":["10.244.7.)" +
                   std::to_string(i + 1) + R"("],"conditions":{"ready":true})" +
                   (i < 2 ? R"(,"hostname":"web-)" + std::to_string(i) + "\""
                          : std::string()) +
                   "}";
    }
    EXPECT_OK(Kubectl("apply -f -", R"({"apiVersion":"v1","kind":"List",
      "items":[{"apiVersion":"v1","kind":"Service","metadata":{"name":")" +
                                        name + R"(","namespace":")" + ns +
                                        R"("},"spec":{"clusterIP":"None",
        "ports":[{"name":"web","port":80,"targetPort":8080}]}},
      {"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice",
       "metadata":{"name":")" + name + R"(-1","namespace":")" +
                                        ns +
                                        R"(","labels":{
         "kubernetes.io/service-name":")" +
                                        name +
                                        R"("}},"addressType":"IPv4",
       "ports":[{"name":"web","port":8080,"protocol":"TCP"}],
       "endpoints":[)" + endpoints + "]}]}"));
  }

  static TempDir* dir_;
  static BerthServer* server_;
  static dns::DnsResponder* upstream_responder_;
  static dns::DnsServer* upstream_;
};

TempDir* DnsIntegrationTest::dir_ = nullptr;
BerthServer* DnsIntegrationTest::server_ = nullptr;
dns::DnsResponder* DnsIntegrationTest::upstream_responder_ = nullptr;
dns::DnsServer* DnsIntegrationTest::upstream_ = nullptr;

TEST_F(DnsIntegrationTest, KubeDnsServiceAndThisNodesSlice) {
  EXPECT_EQ(Get("service -n kube-system kube-dns", "{.spec.clusterIP}"),
            "10.96.0.10");
  EXPECT_EQ(Get("service -n kube-system kube-dns",
                "{.spec.ports[*].name} {.spec.ports[*].protocol}"),
            "dns dns-tcp UDP TCP");
  // Pods use their own node's listener when it has one.
  EXPECT_EQ(
      Get("service -n kube-system kube-dns", "{.spec.trafficDistribution}"),
      "PreferSameNode");
  EXPECT_EQ(Get("endpointslice -n kube-system kube-dns-test-node",
                "{.metadata.labels.endpointslice\\.kubernetes\\.io/"
                "managed-by} {.endpoints[0].addresses[0]}"),
            "dns.berth.io 192.0.2.1");
  // It answers for itself.
  EXPECT_THAT(Short("kube-dns.kube-system.svc.cluster.local"),
              ElementsAre("10.96.0.10"));
}

TEST_F(DnsIntegrationTest, ClusterIpServiceARecordSrvAndPtr) {
  EXPECT_OK(Kubectl("create namespace shop"));
  EXPECT_OK(
      Kubectl("-n shop create service clusterip webserver "
              "--tcp=8000:80"));
  const std::string ip = Get("-n shop service webserver", "{.spec.clusterIP}");
  ASSERT_FALSE(ip.empty());
  ASSERT_TRUE(Eventually([&] {
    return Short("webserver.shop.svc.cluster.local") ==
           std::vector<std::string>{ip};
  })) << Dig("webserver.shop.svc.cluster.local");
  const std::string full = Dig("WebServer.Shop.svc.cluster.local");
  EXPECT_THAT(full, HasSubstr("status: NOERROR"));
  EXPECT_THAT(full, HasSubstr("flags: qr aa rd ra"));
  EXPECT_THAT(full, HasSubstr(" 30 IN\tA\t" + ip));
  // kubectl names the port "8000-80".
  EXPECT_THAT(
      Short("_8000-80._tcp.webserver.shop.svc.cluster.local SRV"),
      ElementsAre("0", "100", "8000", "webserver.shop.svc.cluster.local."));
  EXPECT_THAT(Short("-x " + ip),
              ElementsAre("webserver.shop.svc.cluster.local."));
}

TEST_F(DnsIntegrationTest, HeadlessServiceAndPodNames) {
  EXPECT_OK(Kubectl("create namespace stateful"));
  HeadlessWithEndpoints("stateful", "nginx", 3);
  ASSERT_TRUE(Eventually([&] {
    return Short("nginx.stateful.svc.cluster.local").size() == 3;
  })) << Dig("nginx.stateful.svc.cluster.local");
  EXPECT_THAT(Short("nginx.stateful.svc.cluster.local"),
              ElementsAre("10.244.7.1", "10.244.7.2", "10.244.7.3"));
  EXPECT_THAT(Short("web-0.nginx.stateful.svc.cluster.local"),
              ElementsAre("10.244.7.1"));
  EXPECT_THAT(Short("10-244-7-3.nginx.stateful.svc.cluster.local"),
              ElementsAre("10.244.7.3"));
  EXPECT_THAT(Short("-x 10.244.7.2"),
              ElementsAre("web-1.nginx.stateful.svc.cluster.local."));
  EXPECT_EQ(Short("_web._tcp.nginx.stateful.svc.cluster.local SRV").size(),
            12u);  // 3 records of 4 fields
}

TEST_F(DnsIntegrationTest, ExternalNameNxdomainAndNodata) {
  EXPECT_OK(Kubectl("create namespace ext"));
  EXPECT_OK(
      Kubectl("-n ext create service externalname db "
              "--external-name outside.web.svc.upstream.test"));
  ASSERT_TRUE(Eventually([&] {
    return Dig("db.ext.svc.cluster.local").find("CNAME") != std::string::npos;
  }));
  // The CNAME, and its target's address resolved upstream.
  EXPECT_THAT(Short("db.ext.svc.cluster.local"),
              ElementsAre("192.0.2.7", "outside.web.svc.upstream.test."));
  EXPECT_THAT(Dig("nothing.ext.svc.cluster.local"),
              HasSubstr("status: NXDOMAIN"));
  const std::string nodata = Dig("kube-dns.kube-system.svc.cluster.local AAAA");
  EXPECT_THAT(nodata, HasSubstr("status: NOERROR"));
  EXPECT_THAT(nodata, HasSubstr("ANSWER: 0"));
  EXPECT_THAT(nodata, HasSubstr("SOA"));
}

TEST_F(DnsIntegrationTest, OtherNamesAreForwardedOverUdpAndTcp) {
  EXPECT_THAT(Short("outside.web.svc.upstream.test"), ElementsAre("192.0.2.7"));
  EXPECT_THAT(Short("+tcp outside.web.svc.upstream.test"),
              ElementsAre("192.0.2.7"));
  EXPECT_THAT(Dig("missing.web.svc.upstream.test"),
              HasSubstr("status: NXDOMAIN"));
}

TEST_F(DnsIntegrationTest, BigAnswersTruncateOverUdpOnly) {
  EXPECT_OK(Kubectl("create namespace big"));
  HeadlessWithEndpoints("big", "many", 100);
  ASSERT_TRUE(Eventually(
      [&] { return Short("+tcp many.big.svc.cluster.local").size() == 100; }));
  // Without EDNS0 a UDP answer stops at 512 bytes with TC.
  const std::string cut = Dig("+noedns +ignore many.big.svc.cluster.local");
  EXPECT_THAT(cut, HasSubstr("flags: qr aa tc"));
  // dig's EDNS0 size (1232) fits all 100; so does TCP, and dig's retry
  // over TCP after TC.
  EXPECT_EQ(Short("many.big.svc.cluster.local").size(), 100u);
  EXPECT_EQ(Short("+noedns many.big.svc.cluster.local").size(), 100u);
}

TEST_F(DnsIntegrationTest, TheSamePluginServesInsideBerthAgent) {
  // A second machine's `berth agent` runs the plugin over the remote
  // client: it publishes its own listener for kube-dns and answers from the
  // same Services.
  EXPECT_OK(Kubectl("create namespace remote"));
  EXPECT_OK(Kubectl("-n remote create service clusterip api --tcp=443"));
  const std::string conf = dir_->path() + "/agent.yaml";
  std::ofstream(conf) << "plugins:\n"
                      << "  - name: dns\n"
                      << "    settings: {bindAddress: 127.0.0.1, port: 0, "
                      << "advertiseAddress: 192.0.2.2}\n";
  BerthAgent agent(dir_->path() + "/agent");
  ASSERT_TRUE(
      agent.Start({"--kubeconfig", server_->kubeconfig(), "--config", conf,
                   "--node-name", "agent-node", "--kubelet-port", "off"}))
      << agent.log();
  std::string port;
  ASSERT_TRUE(Eventually([&] {
    port = Get("endpointslice -n kube-system kube-dns-agent-node",
               "{.ports[?(@.name==\"dns\")].port}");
    return !port.empty();
  })) << agent.log();
  EXPECT_EQ(Get("endpointslice -n kube-system kube-dns-agent-node",
                "{.endpoints[0].addresses[0]} {.endpoints[0].nodeName}"),
            "192.0.2.2 agent-node");
  const std::string ip = Get("-n remote service api", "{.spec.clusterIP}");
  ASSERT_FALSE(ip.empty());
  EXPECT_TRUE(Eventually([&] {
    return RunCommand("dig @127.0.0.1 -p " + port +
                      " +time=5 +tries=1 +short api.remote.svc.cluster.local")
               .out == ip + "\n";
  }));
  // Stopping the agent takes its listener out of kube-dns.
  EXPECT_EQ(agent.Stop(), 0) << agent.log();
  EXPECT_EQ(
      Kubectl("get endpointslice -n kube-system kube-dns-agent-node").exit_code,
      1);
}

}  // namespace
}  // namespace berth::testing
