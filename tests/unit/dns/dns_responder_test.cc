// Replies as a resolver sees them: cluster names answered authoritatively,
// other names forwarded to an upstream (here another DnsServer on
// loopback) with a TCP retry when its UDP reply is truncated, UDP replies
// kept within the client's size, and broken queries answered FORMERR.
#include "dns_responder.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "dns_server.h"

namespace berth::dns {
namespace {

std::shared_ptr<const ClusterZone> Zone(const std::string& zone,
                                        int endpoints) {
  std::vector<JsonDoc> docs;
  auto add = [&](const std::string& text) {
    auto d = ParseJson(text);
    EXPECT_TRUE(d.ok()) << text;
    docs.push_back(std::move(*d));
  };
  add(R"({"metadata":{"name":"webserver","namespace":"default"},
    "spec":{"clusterIP":"10.96.12.34","ports":[{"port":8000}]}})");
  add(R"({"metadata":{"name":"big","namespace":"default"},
    "spec":{"clusterIP":"None"}})");
  std::string slice = R"({"metadata":{"name":"big-1","namespace":"default",
    "labels":{"kubernetes.io/service-name":"big"}},"endpoints":[)";
  for (int i = 0; i < endpoints; ++i) {
    slice += std::string(i ? "," : "") + R"({"addresses":["10.244.1.)" +
             std::to_string(i + 1) + R"("]})";
  }
  add(slice + "]}");
  std::vector<const Json*> services{&docs[0], &docs[1]}, slices{&docs[2]};
  ZoneConfig config;
  config.zone = zone;
  return std::make_shared<const ClusterZone>(config, services, slices);
}

std::string Query(const std::string& name, uint16_t type,
                  std::optional<uint16_t> edns = std::nullopt) {
  DnsMessage q;
  q.id = 77;
  q.recursion_desired = true;
  q.questions.push_back({name, type, kClassIn});
  q.edns_udp_size = edns;
  return SerializeDnsMessage(q);
}

DnsMessage Parsed(const std::string& wire) {
  auto m = ParseDnsMessage(wire);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return m.ok() ? *m : DnsMessage{};
}

class DnsResponderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The upstream: another zone, with a reply too big for 512 bytes.
    auto upstream_zone = Zone("upstream.test", 100);
    upstream_responder_ = std::make_unique<DnsResponder>(
        [upstream_zone] { return upstream_zone; }, nullptr);
    upstream_ = std::make_unique<DnsServer>(*upstream_responder_);
    ASSERT_TRUE(upstream_->Start("127.0.0.1", 0).ok());
    auto addr = ParseSocketAddress("127.0.0.1", upstream_->port());
    ASSERT_TRUE(addr.ok());
    forwarder_ = std::make_unique<UpstreamForwarder>(
        std::vector<SocketAddress>{*addr}, std::chrono::milliseconds(5000));
    zone_ = Zone("cluster.local", 3);
    responder_ = std::make_unique<DnsResponder>([this] { return zone_; },
                                                forwarder_.get());
  }

  std::unique_ptr<DnsResponder> upstream_responder_;
  std::unique_ptr<DnsServer> upstream_;
  std::unique_ptr<UpstreamForwarder> forwarder_;
  std::shared_ptr<const ClusterZone> zone_;
  std::unique_ptr<DnsResponder> responder_;
};

TEST_F(DnsResponderTest, ClusterNamesAreAnsweredAuthoritatively) {
  DnsMessage r = Parsed(responder_->Respond(
      Query("webserver.default.svc.cluster.local", kTypeA), true));
  EXPECT_EQ(r.id, 77);
  EXPECT_TRUE(r.response);
  EXPECT_TRUE(r.authoritative);
  EXPECT_TRUE(r.recursion_available);
  EXPECT_EQ(r.rcode, kRcodeNoError);
  ASSERT_EQ(r.answers.size(), 1u);
  EXPECT_EQ(r.answers[0].rdata, std::string("\x0a\x60\x0c\x22", 4));

  DnsMessage nx = Parsed(responder_->Respond(
      Query("nope.default.svc.cluster.local", kTypeA), true));
  EXPECT_EQ(nx.rcode, kRcodeNxDomain);
  EXPECT_EQ(nx.authority.size(), 1u);
}

TEST_F(DnsResponderTest, OtherNamesAreForwarded) {
  DnsMessage r = Parsed(responder_->Respond(
      Query("webserver.default.svc.upstream.test", kTypeA), true));
  EXPECT_EQ(r.id, 77);
  EXPECT_EQ(r.rcode, kRcodeNoError);
  ASSERT_EQ(r.answers.size(), 1u);
  EXPECT_EQ(r.answers[0].rdata, std::string("\x0a\x60\x0c\x22", 4));
  DnsMessage nx = Parsed(responder_->Respond(
      Query("nope.default.svc.upstream.test", kTypeA), true));
  EXPECT_EQ(nx.rcode, kRcodeNxDomain);
}

// With a cache, asking again is answered without the upstream: it is
// stopped, and the name still resolves, with the second asker's id.
TEST_F(DnsResponderTest, ForwardedRepliesAreCached) {
  ForwardCache cache(30);
  DnsResponder cached([this] { return zone_; }, forwarder_.get(), &cache);
  const std::string name = "webserver.default.svc.upstream.test";
  DnsMessage first = Parsed(cached.Respond(Query(name, kTypeA), true));
  ASSERT_EQ(first.answers.size(), 1u);
  upstream_->Stop();
  DnsMessage q;
  q.id = 91;
  q.recursion_desired = true;
  q.questions.push_back({name, kTypeA, kClassIn});
  DnsMessage again = Parsed(cached.Respond(SerializeDnsMessage(q), true));
  EXPECT_EQ(again.id, 91);
  EXPECT_EQ(again.rcode, kRcodeNoError);
  ASSERT_EQ(again.answers.size(), 1u);
  EXPECT_EQ(again.answers[0].rdata, first.answers[0].rdata);
  // Without the cache the same question now fails.
  EXPECT_EQ(Parsed(responder_->Respond(SerializeDnsMessage(q), true)).rcode,
            kRcodeServFail);
}

TEST_F(DnsResponderTest, TruncatedUpstreamRepliesAreFetchedOverTcp) {
  // 100 addresses do not fit in 512 bytes: the upstream truncates over
  // UDP, the forwarder asks again over TCP, and a TCP client gets them all.
  DnsMessage tcp = Parsed(responder_->Respond(
      Query("big.default.svc.upstream.test", kTypeA), false));
  EXPECT_FALSE(tcp.truncated);
  EXPECT_EQ(tcp.answers.size(), 100u);
  // A UDP client offering 4096 bytes gets them all too.
  DnsMessage edns = Parsed(responder_->Respond(
      Query("big.default.svc.upstream.test", kTypeA, 4096), true));
  EXPECT_FALSE(edns.truncated);
  EXPECT_EQ(edns.answers.size(), 100u);
  // A classic UDP client gets TC within 512 bytes, and asks over TCP.
  const std::string cut =
      responder_->Respond(Query("big.default.svc.upstream.test", kTypeA), true);
  EXPECT_LE(cut.size(), 512u);
  EXPECT_TRUE(Parsed(cut).truncated);
}

TEST_F(DnsResponderTest, OversizedClusterAnswersSetTc) {
  zone_ = Zone("cluster.local", 100);
  const std::string cut =
      responder_->Respond(Query("big.default.svc.cluster.local", kTypeA), true);
  EXPECT_LE(cut.size(), 512u);
  EXPECT_TRUE(Parsed(cut).truncated);
  DnsMessage edns = Parsed(responder_->Respond(
      Query("big.default.svc.cluster.local", kTypeA, 4096), true));
  EXPECT_FALSE(edns.truncated);
  EXPECT_EQ(edns.answers.size(), 100u);
  ASSERT_TRUE(edns.edns_udp_size.has_value());
}

TEST_F(DnsResponderTest, BrokenQueriesGetFormerr) {
  std::string q = Query("webserver.default.svc.cluster.local", kTypeA);
  DnsMessage r = Parsed(responder_->Respond(q.substr(0, 20), true));
  EXPECT_EQ(r.id, 77);
  EXPECT_EQ(r.rcode, kRcodeFormErr);
  EXPECT_EQ(responder_->Respond(q.substr(0, 5), true), "");
  // Replies are never answered (no loops between two servers).
  std::string reply = q;
  reply[2] = static_cast<char>(reply[2] | 0x80);
  EXPECT_EQ(responder_->Respond(reply, true), "");
}

TEST_F(DnsResponderTest, WithoutUpstreamOtherNamesFail) {
  DnsResponder alone([this] { return zone_; }, nullptr);
  DnsMessage r = Parsed(alone.Respond(Query("example.com", kTypeA), true));
  EXPECT_EQ(r.rcode, kRcodeServFail);
}

TEST_F(DnsResponderTest, ServerAnswersOverUdpAndTcp) {
  // The listeners themselves, through the forwarder's client code.
  DnsServer server(*responder_);
  ASSERT_TRUE(server.Start("127.0.0.1", 0).ok());
  auto addr = ParseSocketAddress("127.0.0.1", server.port());
  ASSERT_TRUE(addr.ok());
  UpstreamForwarder client({*addr}, std::chrono::milliseconds(5000));
  auto reply =
      client.Forward(Query("webserver.default.svc.cluster.local", kTypeA));
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  EXPECT_EQ(Parsed(*reply).answers.size(), 1u);
  // Forwarded through this server to the upstream.
  auto big = client.Forward(Query("big.default.svc.upstream.test", kTypeA));
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(Parsed(*big).answers.size(), 100u);
  server.Stop();
}

}  // namespace
}  // namespace berth::dns
