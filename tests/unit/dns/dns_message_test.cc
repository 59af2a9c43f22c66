// The DNS wire codec: what a resolver sends parses, what we write a
// resolver reads (names compressed, EDNS0 kept), and oversized replies are
// cut with TC set instead of exceeding the client's size.
#include "dns_message.h"

#include <gtest/gtest.h>

#include <string>

namespace berth::dns {
namespace {

// `dig webserver.default.svc.cluster.local A +bufsize=1232` as bytes.
std::string DigQuery() {
  DnsMessage q;
  q.id = 0xbeef;
  q.recursion_desired = true;
  q.questions.push_back({"webserver.default.svc.cluster.local", kTypeA, 1});
  q.edns_udp_size = 1232;
  return SerializeDnsMessage(q);
}

TEST(DnsMessage, QueryRoundTrips) {
  const std::string wire = DigQuery();
  // Header, question (37 bytes of name + type + class), 11 bytes of OPT.
  EXPECT_EQ(wire.size(), 12u + 37 + 4 + 11);
  EXPECT_EQ(wire.substr(0, 4), std::string("\xbe\xef\x01\x00", 4));
  auto m = ParseDnsMessage(wire);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->id, 0xbeef);
  EXPECT_TRUE(m->recursion_desired);
  EXPECT_FALSE(m->response);
  ASSERT_EQ(m->questions.size(), 1u);
  EXPECT_EQ(m->questions[0].name, "webserver.default.svc.cluster.local");
  EXPECT_EQ(m->questions[0].type, kTypeA);
  ASSERT_TRUE(m->edns_udp_size.has_value());
  EXPECT_EQ(*m->edns_udp_size, 1232);
  EXPECT_TRUE(m->additional.empty());  // OPT is not a record here
  EXPECT_EQ(MaxUdpReplySize(*m), 1232u);
}

TEST(DnsMessage, OwnerNamesAreCompressed) {
  DnsMessage r;
  r.response = true;
  r.questions.push_back({"web.default.svc.cluster.local", kTypeA, 1});
  for (uint32_t i = 0; i < 3; ++i) {
    r.answers.push_back({"web.default.svc.cluster.local", kTypeA, 1, 30,
                         ARdata(0x0af40000 + i)});
  }
  const std::string wire = SerializeDnsMessage(r);
  // Each answer's owner is a two-byte pointer to the question's name (at
  // offset 12): 2 + 10 + 4 bytes per answer.
  EXPECT_EQ(wire.size(), 12u + 31 + 4 + 3 * 16);
  EXPECT_EQ(wire.substr(12 + 31 + 4, 2), std::string("\xc0\x0c", 2));
  auto m = ParseDnsMessage(wire);
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->answers.size(), 3u);
  EXPECT_EQ(m->answers[2].name, "web.default.svc.cluster.local");
  EXPECT_EQ(m->answers[2].ttl, 30u);
  EXPECT_EQ(m->answers[2].rdata, ARdata(0x0af40002));
}

TEST(DnsMessage, ASuffixIsPointedAt) {
  DnsMessage r;
  r.questions.push_back({"a.default.svc.cluster.local", kTypeA, 1});
  r.answers.push_back(
      {"b.default.svc.cluster.local", kTypeA, 1, 30, ARdata(1)});
  const std::string wire = SerializeDnsMessage(r);
  // "b" then a pointer to "default.svc.cluster.local" at offset 14.
  EXPECT_EQ(wire.substr(12 + 29 + 4, 4), std::string("\x01"
                                                     "b\xc0\x0e",
                                                     4));
  auto m = ParseDnsMessage(wire);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->answers[0].name, "b.default.svc.cluster.local");
}

TEST(DnsMessage, OversizedRepliesAreTruncatedWithTc) {
  DnsMessage r;
  r.response = true;
  r.questions.push_back({"big.default.svc.cluster.local", kTypeA, 1});
  for (uint32_t i = 0; i < 100; ++i) {
    r.answers.push_back({"big.default.svc.cluster.local", kTypeA, 1, 30,
                         ARdata(0x0a000000 + i)});
  }
  const std::string full = SerializeDnsMessage(r, 0);
  EXPECT_GT(full.size(), 512u);
  auto whole = ParseDnsMessage(full);
  ASSERT_TRUE(whole.ok());
  EXPECT_FALSE(whole->truncated);
  EXPECT_EQ(whole->answers.size(), 100u);

  const std::string cut = SerializeDnsMessage(r, 512);
  EXPECT_LE(cut.size(), 512u);
  auto m = ParseDnsMessage(cut);
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->truncated);
  EXPECT_LT(m->answers.size(), 100u);
  EXPECT_EQ(m->questions.size(), 1u);

  // An EDNS0 size the client offered is honoured: everything fits.
  r.edns_udp_size = 4096;
  auto big = ParseDnsMessage(SerializeDnsMessage(r, 4096));
  ASSERT_TRUE(big.ok());
  EXPECT_FALSE(big->truncated);
  EXPECT_EQ(big->answers.size(), 100u);
  EXPECT_TRUE(big->edns_udp_size.has_value());
}

TEST(DnsMessage, MalformedInputIsRefused) {
  EXPECT_FALSE(ParseDnsMessage(std::string("\x00\x01", 2)).ok());
  std::string wire = DigQuery();
  EXPECT_FALSE(ParseDnsMessage(wire.substr(0, 20)).ok());
  // A pointer to itself (a loop) in the question name.
  std::string loop =
      wire.substr(0, 12) + std::string("\xc0\x0c\x00\x01\x00\x01", 6);
  loop[5] = 1;   // one question
  loop[11] = 0;  // no additional
  auto m = ParseDnsMessage(loop);
  EXPECT_FALSE(m.ok());
  // A label of 64 bytes cannot be written.
  EXPECT_EQ(EncodeName(std::string(64, 'a') + ".local"), "");
  EXPECT_NE(EncodeName(std::string(63, 'a') + ".local"), "");
}

TEST(DnsMessage, NamesCompareWithoutCase) {
  EXPECT_EQ(LowerName("WebServer.Default.SVC.cluster.local."),
            "webserver.default.svc.cluster.local");
}

TEST(DnsMessage, RdataHelpers) {
  EXPECT_EQ(ARdata(0x0a600000 + 10), std::string("\x0a\x60\x00\x0a", 4));
  EXPECT_EQ(SrvRdata(0, 100, 53, "a.b"),
            std::string("\x00\x00\x00\x64\x00\x35\x01"
                        "a\x01"
                        "b\x00",
                        11));
  size_t at = 0;
  auto name = ReadName(NameRdata("web-0.nginx.default.svc.cluster.local"), &at);
  ASSERT_TRUE(name.ok());
  EXPECT_EQ(*name, "web-0.nginx.default.svc.cluster.local");
}

}  // namespace
}  // namespace berth::dns
