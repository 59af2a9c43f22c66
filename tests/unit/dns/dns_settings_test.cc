// The dns plugin's settings: defaults as Kubernetes users expect them, and
// mistakes named.
#include "dns_settings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace berth::dns {
namespace {

using ::testing::ElementsAre;

TEST(DnsSettings, Defaults) {
  auto s = ParseDnsSettings("{}");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->zone, "cluster.local");
  EXPECT_EQ(s->ttl, 30u);
  EXPECT_EQ(s->port, 53);
  EXPECT_EQ(s->service_ip, "10.96.0.10");
  EXPECT_EQ(s->cache_seconds, 30u);
  EXPECT_FALSE(s->node_name.empty());
}

TEST(DnsSettings, ValuesAndMistakes) {
  auto s = ParseDnsSettings(
      R"({"zone":"Berth.Test.","ttl":5,"port":1053,"upstreams":["10.0.0.1"],
          "nodeName":"n1","serviceIP":"","cacheSeconds":0})");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->zone, "berth.test");
  EXPECT_EQ(s->ttl, 5u);
  EXPECT_EQ(s->port, 1053);
  EXPECT_THAT(s->upstreams, ElementsAre("10.0.0.1"));
  EXPECT_EQ(s->node_name, "n1");
  EXPECT_EQ(s->service_ip, "");
  EXPECT_EQ(s->cache_seconds, 0u);
  EXPECT_FALSE(ParseDnsSettings(R"({"cacheSeconds":-1})").ok());
  auto bad = ParseDnsSettings(R"({"port":70000})");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("port"), std::string::npos);
  EXPECT_FALSE(ParseDnsSettings(R"({"zonee":"x"})").ok());
}

TEST(DnsSettings, ResolvConfNameservers) {
  EXPECT_THAT(ResolvConfNameservers("# generated\nsearch example.com\n"
                                    "nameserver 192.168.1.1\n"
                                    "nameserver  fd00::1 \noptions ndots:1\n"),
              ElementsAre("192.168.1.1", "fd00::1"));
}

}  // namespace
}  // namespace berth::dns
