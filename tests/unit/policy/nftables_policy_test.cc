// The nftables program for PodRules: one table replaced in one
// transaction, established/related replies first, a verdict map to each
// isolated pod's chain, ingress allows accepting and egress allows
// returning (so the destination's ingress still decides), every chain
// ending in drop; ports, ranges, excepts, and no table at all when nothing
// is isolated.
#include "nftables_policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <string>

namespace berth::policy {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

PodRules Web() {
  PodRules r;
  r.pod = "default/testweb";
  r.ip = "10.0.0.2";
  r.ingress_isolated = true;
  Allow a;
  a.peers = {"10.0.0.3", "10.0.0.4"};
  a.ports = {{"tcp", 8000, 0}, {"udp", 1000, 2000}};
  a.policy = "default/allow";
  r.ingress.push_back(a);
  Allow b;
  b.peers = {"172.17.0.0/16"};
  b.except = {"172.17.1.0/24", "172.17.1.128/25"};
  b.policy = "default/block";
  r.ingress.push_back(b);
  return r;
}

PodRules Client() {
  PodRules r;
  r.pod = "default/testcurl";
  r.ip = "10.0.0.3";
  r.egress_isolated = true;
  Allow any;
  any.any_peer = true;
  any.ports = {{"udp", 53, 0}};
  any.policy = "default/dns";
  r.egress.push_back(any);
  return r;
}

TEST(NftablesPolicyTest, NothingIsolatedRemovesTheTable) {
  EXPECT_EQ(NftablesPolicyScript({}),
            "table inet berth-policy {}\ndelete table inet berth-policy\n");
  EXPECT_EQ(NftablesPolicyCleanup(), NftablesPolicyScript({}));
}

TEST(NftablesPolicyTest, ReplacesTheTableInOneScript) {
  const std::string s = NftablesPolicyScript({Web(), Client()});
  // Leftovers of any earlier run go in the same transaction.
  EXPECT_EQ(s.rfind(NftablesPolicyCleanup(), 0), 0u);
  EXPECT_THAT(s, HasSubstr("type filter hook forward priority filter;"));
  EXPECT_THAT(s, HasSubstr("ct state established,related accept\n"));
  EXPECT_THAT(s, HasSubstr("ip daddr vmap { 10.0.0.2 : jump in-10-0-0-2 }"));
  EXPECT_THAT(s, HasSubstr("ip saddr vmap { 10.0.0.3 : jump eg-10-0-0-3 }"));
}

TEST(NftablesPolicyTest, IngressChainAcceptsAllowedPeersAndPortsThenDrops) {
  const std::string s = NftablesPolicyScript({Web()});
  EXPECT_THAT(s,
              HasSubstr("  chain in-10-0-0-2 {\n"
                        "    ip saddr { 10.0.0.3, 10.0.0.4 } meta l4proto "
                        "tcp th dport 8000 accept comment \"default/allow\"\n"
                        "    ip saddr { 10.0.0.3, 10.0.0.4 } meta l4proto "
                        "udp th dport 1000-2000 accept comment "
                        "\"default/allow\"\n"
                        "    ip saddr 172.17.0.0/16 ip saddr != "
                        "172.17.1.0/24 ip saddr != 172.17.1.128/25 accept "
                        "comment \"default/block\"\n"
                        "    counter drop comment \"default/testweb\"\n"
                        "  }\n"));
  EXPECT_THAT(s, Not(HasSubstr("chain eg-10-0-0-2")));
}

TEST(NftablesPolicyTest, EgressChainReturnsSoIngressStillDecides) {
  const std::string s = NftablesPolicyScript({Client()});
  EXPECT_THAT(s, HasSubstr("  chain eg-10-0-0-3 {\n"
                           "    meta l4proto udp th dport 53 return comment "
                           "\"default/dns\"\n"
                           "    counter drop comment \"default/testcurl\"\n"));
  // Egress also covers traffic to the node itself.
  EXPECT_THAT(s, HasSubstr("type filter hook input priority filter;"));
}

TEST(NftablesPolicyTest, Ipv6BlocksAreLeftOutOfTheIpv4Rules) {
  PodRules r = Web();
  r.ingress.clear();
  Allow v6;
  v6.peers = {"2001:db8::/64"};
  r.ingress.push_back(v6);
  const std::string s = NftablesPolicyScript({r});
  EXPECT_THAT(s, Not(HasSubstr("2001:db8")));
  EXPECT_THAT(s, HasSubstr("  chain in-10-0-0-2 {\n    counter drop"));
}

// nft itself accepts the program (checked only, nothing is changed).
TEST(NftablesPolicyTest, NftAcceptsTheScript) {
  if (geteuid() != 0 || std::system("nft --version >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "needs root and nft";
  }
  const std::string path = ::testing::TempDir() + "/policy.nft";
  FILE* f = std::fopen(path.c_str(), "w");
  ASSERT_NE(f, nullptr);
  // The check runs without the leading delete (nothing to delete here).
  std::string s = NftablesPolicyScript({Web(), Client()});
  s = s.substr(NftablesPolicyCleanup().size());
  std::fputs(s.c_str(), f);
  std::fclose(f);
  EXPECT_EQ(std::system(("nft -c -f " + path).c_str()), 0) << s;
}

}  // namespace
}  // namespace berth::policy
