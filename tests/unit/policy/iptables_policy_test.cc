// The iptables program for PodRules: BERTHPOL chains only (never the
// proxy's BERTH- prefix), replies first, dispatch by pod IP, allowed
// traffic RETURNs and the rest is DROPped, ipBlock excepts as the CIDRs
// left, stale chains deleted in the same commit; and the CIDR arithmetic
// behind the excepts.
#include "iptables_policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cidr.h"

namespace berth::policy {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

std::vector<std::string> Subtract(const std::string& block,
                                  const std::vector<std::string>& except) {
  std::vector<Cidr> e;
  for (const auto& x : except) e.push_back(*ParseCidr(x));
  return SubtractCidrs(*ParseCidr(block), e);
}

TEST(CidrTest, SubtractLeavesTheFewestCidrs) {
  EXPECT_THAT(Subtract("10.0.0.0/8", {}), ElementsAre("10.0.0.0/8"));
  EXPECT_THAT(Subtract("10.0.0.0/8", {"10.0.0.0/9"}),
              ElementsAre("10.128.0.0/9"));
  EXPECT_THAT(Subtract("10.0.0.0/30", {"10.0.0.1/32"}),
              ElementsAre("10.0.0.0/32", "10.0.0.2/31"));
  EXPECT_THAT(Subtract("10.0.0.0/24", {"10.0.0.0/24"}), IsEmpty());
  EXPECT_THAT(Subtract("10.0.0.0/24", {"192.168.0.0/16"}),
              ElementsAre("10.0.0.0/24"));
  // Overlapping excepts.
  EXPECT_THAT(Subtract("10.0.0.0/30", {"10.0.0.0/31", "10.0.0.1/32"}),
              ElementsAre("10.0.0.2/31"));
}

TEST(CidrTest, ParseAndStrictSubset) {
  EXPECT_FALSE(ParseCidr("10.0.0.0"));
  EXPECT_FALSE(ParseCidr("10.0.0.0/33"));
  EXPECT_FALSE(ParseCidr("10.0.0/8"));
  EXPECT_TRUE(ParseCidr("2001:db8::/64"));
  EXPECT_TRUE(
      IsStrictSubset(*ParseCidr("10.1.0.0/16"), *ParseCidr("10.0.0.0/8")));
  EXPECT_FALSE(
      IsStrictSubset(*ParseCidr("10.0.0.0/8"), *ParseCidr("10.0.0.0/8")));
  EXPECT_FALSE(
      IsStrictSubset(*ParseCidr("11.0.0.0/16"), *ParseCidr("10.0.0.0/8")));
}

PodRules Web() {
  PodRules r;
  r.pod = "default/testweb";
  r.ip = "10.0.0.2";
  r.ingress_isolated = true;
  Allow a;
  a.peers = {"10.0.0.3"};
  a.ports = {{"tcp", 8000, 8010}};
  a.policy = "default/allow";
  r.ingress.push_back(a);
  Allow b;
  b.peers = {"10.1.0.0/30"};
  b.except = {"10.1.0.1/32"};
  b.policy = "default/block";
  r.ingress.push_back(b);
  return r;
}

TEST(IptablesPolicyTest, ChainsDispatchAndVerdicts) {
  PodRules client;
  client.pod = "default/testcurl";
  client.ip = "10.0.0.3";
  client.egress_isolated = true;
  const std::string s =
      IptablesPolicyRestore({Web(), client}, {"BERTHPOL-IN-10-0-0-9"});
  EXPECT_EQ(s.rfind("*filter\n", 0), 0u);
  EXPECT_THAT(s, HasSubstr(":BERTHPOL-IN-10-0-0-2 - [0:0]\n"));
  EXPECT_THAT(
      s, HasSubstr("-A BERTHPOL -m conntrack --ctstate RELATED,ESTABLISHED "
                   "-j RETURN\n-A BERTHPOL -j BERTHPOL-EGRESS\n"
                   "-A BERTHPOL -j BERTHPOL-INGRESS\n"));
  EXPECT_THAT(s, HasSubstr("-A BERTHPOL-EGRESS -s 10.0.0.3/32 -j "
                           "BERTHPOL-EG-10-0-0-3\n"));
  EXPECT_THAT(s, HasSubstr("-A BERTHPOL-INGRESS -d 10.0.0.2/32 -j "
                           "BERTHPOL-IN-10-0-0-2\n"));
  EXPECT_THAT(s, HasSubstr("-A BERTHPOL-IN-10-0-0-2 -s 10.0.0.3/32 -p tcp -m "
                           "tcp --dport 8000:8010 -m comment --comment "
                           "\"default/allow\" -j RETURN\n"
                           "-A BERTHPOL-IN-10-0-0-2 -s 10.1.0.0/32 -m comment "
                           "--comment \"default/block\" -j RETURN\n"
                           "-A BERTHPOL-IN-10-0-0-2 -s 10.1.0.2/31 -m comment "
                           "--comment \"default/block\" -j RETURN\n"
                           "-A BERTHPOL-IN-10-0-0-2 -m comment --comment "
                           "\"default/testweb\" -j DROP\n"));
  EXPECT_THAT(s, HasSubstr("-A BERTHPOL-EG-10-0-0-3 -m comment --comment "
                           "\"default/testcurl\" -j DROP\n"));
  // The stale chain is flushed and deleted in the same commit.
  EXPECT_THAT(s, HasSubstr(":BERTHPOL-IN-10-0-0-9 - [0:0]\n"));
  EXPECT_THAT(s, HasSubstr("-X BERTHPOL-IN-10-0-0-9\nCOMMIT\n"));
  EXPECT_THAT(s, Not(HasSubstr("BERTH-")));
}

TEST(IptablesPolicyTest, ChainsAreFoundAndCleanedUp) {
  const std::string save =
      "*nat\n:BERTHPOL-X - [0:0]\nCOMMIT\n*filter\n:INPUT ACCEPT [0:0]\n"
      ":BERTHPOL - [0:0]\n:BERTHPOL-IN-10-0-0-2 - [0:0]\n"
      ":BERTH-SERVICES - [0:0]\n:BERTHPOLX - [0:0]\nCOMMIT\n";
  const auto chains = IptablesPolicyChains(save);
  EXPECT_THAT(chains, ElementsAre("BERTHPOL", "BERTHPOL-IN-10-0-0-2"));
  EXPECT_EQ(IptablesPolicyCleanup(chains),
            "*filter\n:BERTHPOL - [0:0]\n:BERTHPOL-IN-10-0-0-2 - [0:0]\n"
            "-X BERTHPOL\n-X BERTHPOL-IN-10-0-0-2\nCOMMIT\n");
  EXPECT_EQ(IptablesPolicyCleanup({}), "");
}

}  // namespace
}  // namespace berth::policy
