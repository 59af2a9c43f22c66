// ForwardCache: an upstream reply kept for its TTL (at most the cap), given
// back with the asker's id and TTLs lowered by the time it spent cached;
// failures and truncated replies are not kept; a question with another
// type or the DO bit is another entry.
#include "forward_cache.h"

#include <gtest/gtest.h>

#include <string>

#include "dns_message.h"

namespace berth::dns {
namespace {

using Clock = ForwardCache::Clock;
using std::chrono::seconds;

std::string Query(uint16_t id, uint16_t type = kTypeA) {
  DnsMessage q;
  q.id = id;
  q.recursion_desired = true;
  q.questions.push_back({"www.example.test", type, kClassIn});
  return SerializeDnsMessage(q);
}

// The upstream's reply: one A record with `ttl`.
std::string Reply(uint16_t id, uint32_t ttl, uint8_t rcode = kRcodeNoError,
                  bool truncated = false) {
  DnsMessage r;
  r.id = id;
  r.response = true;
  r.recursion_available = true;
  r.rcode = rcode;
  r.truncated = truncated;
  r.questions.push_back({"www.example.test", kTypeA, kClassIn});
  if (rcode == kRcodeNoError) {
    r.answers.push_back({"www.example.test", kTypeA, kClassIn, ttl,
                         std::string("\xc0\x00\x02\x07", 4)});
  }
  return SerializeDnsMessage(r);
}

DnsMessage Parsed(const std::string& wire) {
  auto m = ParseDnsMessage(wire);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return m.ok() ? *m : DnsMessage{};
}

TEST(ForwardCache, AHitHasTheAskersIdAndTheTtlLeft) {
  ForwardCache cache(30);
  const Clock::time_point t0 = Clock::now();
  cache.Put(Query(1), Reply(1, 20), t0);
  auto hit = cache.Get(Query(2), t0 + seconds(7));
  ASSERT_TRUE(hit.has_value());
  DnsMessage m = Parsed(*hit);
  EXPECT_EQ(m.id, 2);
  ASSERT_EQ(m.answers.size(), 1u);
  EXPECT_EQ(m.answers[0].ttl, 13u);
  EXPECT_EQ(m.answers[0].rdata, std::string("\xc0\x00\x02\x07", 4));
  // Gone once its TTL has passed.
  EXPECT_FALSE(cache.Get(Query(3), t0 + seconds(20)).has_value());
}

TEST(ForwardCache, KeptAtMostTheCap) {
  ForwardCache cache(30);
  const Clock::time_point t0 = Clock::now();
  cache.Put(Query(1), Reply(1, 3600), t0);
  EXPECT_TRUE(cache.Get(Query(2), t0 + seconds(29)).has_value());
  EXPECT_FALSE(cache.Get(Query(2), t0 + seconds(30)).has_value());
}

TEST(ForwardCache, FailuresTruncatedRepliesAndOtherQuestionsAreNotServed) {
  const Clock::time_point t0 = Clock::now();
  ForwardCache cache(30);
  cache.Put(Query(1), Reply(1, 20, kRcodeServFail), t0);
  cache.Put(Query(1), Reply(1, 20, kRcodeNoError, /*truncated=*/true), t0);
  EXPECT_EQ(cache.size(), 0u);
  cache.Put(Query(1), Reply(1, 20), t0);
  EXPECT_FALSE(cache.Get(Query(2, kTypeAaaa), t0).has_value());
  DnsMessage dnssec;
  dnssec.id = 2;
  dnssec.questions.push_back({"www.example.test", kTypeA, kClassIn});
  dnssec.edns_udp_size = 1232;
  std::string with_do = SerializeDnsMessage(dnssec);
  // The same question with EDNS0 is served...
  EXPECT_TRUE(cache.Get(with_do, t0).has_value());
  // ...but not once it sets the DO bit: the OPT record ends with its TTL
  // field (extended rcode, version, flags) and RDLENGTH, and DO is the top
  // bit of the flags, 4 bytes from the end.
  with_do[with_do.size() - 4] = static_cast<char>(0x80);
  EXPECT_FALSE(cache.Get(with_do, t0).has_value());
  // A reply to another question is not kept for this one.
  ForwardCache other(30);
  other.Put(Query(1, kTypeAaaa), Reply(1, 20), t0);
  EXPECT_EQ(other.size(), 0u);
  // A cap of 0 keeps nothing.
  ForwardCache off(0);
  off.Put(Query(1), Reply(1, 20), t0);
  EXPECT_FALSE(off.Get(Query(2), t0).has_value());
}

TEST(ForwardCache, NxdomainWithoutSoaIsKeptBriefly) {
  ForwardCache cache(30);
  const Clock::time_point t0 = Clock::now();
  cache.Put(Query(1), Reply(1, 0, kRcodeNxDomain), t0);
  auto hit = cache.Get(Query(2), t0 + seconds(4));
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(Parsed(*hit).rcode, kRcodeNxDomain);
  EXPECT_FALSE(cache.Get(Query(2), t0 + seconds(5)).has_value());
}

TEST(ForwardCache, WhenFullTheOldestGoes) {
  ForwardCache cache(30, 2);
  const Clock::time_point t0 = Clock::now();
  cache.Put(Query(1, kTypeA), Reply(1, 20), t0);
  DnsMessage r = Parsed(Reply(1, 20));
  for (uint16_t type : {kTypeAaaa, kTypeTxt}) {
    r.questions[0].type = type;
    cache.Put(Query(1, type), SerializeDnsMessage(r), t0 + seconds(1));
  }
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_FALSE(cache.Get(Query(2, kTypeA), t0 + seconds(2)).has_value());
  EXPECT_TRUE(cache.Get(Query(2, kTypeTxt), t0 + seconds(2)).has_value());
}

}  // namespace
}  // namespace berth::dns
