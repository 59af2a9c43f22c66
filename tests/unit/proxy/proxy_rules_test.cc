// The rules both proxy backends write, as text: nftables verdict maps for
// constant-time dispatch, random endpoint picks, DNAT, hairpin masquerade,
// rejects for Services without endpoints, ClientIP affinity, NodePorts; the
// iptables batch with kube-proxy's chains and probabilities, stale chains
// deleted, and reading back which chains exist.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "chain_names.h"
#include "iptables_ruleset.h"
#include "nftables_ruleset.h"

namespace berth::proxy {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

ServicePort Web() {
  ServicePort sp;
  sp.ns = "default";
  sp.name = "web";
  sp.cluster_ip = "10.96.0.10";
  sp.protocol = "tcp";
  sp.port = 80;
  sp.node_port = 30300;
  sp.cluster_endpoints = {{"10.244.0.2", 8080}, {"10.244.0.3", 8080}};
  sp.external_endpoints = sp.cluster_endpoints;
  return sp;
}

ServicePort Empty() {
  ServicePort sp;
  sp.ns = "default";
  sp.name = "empty";
  sp.cluster_ip = "10.96.0.11";
  sp.protocol = "udp";
  sp.port = 53;
  return sp;
}

TEST(NftablesRuleset, DispatchesThroughVerdictMapsAndDnatsToEndpoints) {
  const ServicePort web = Web();
  const std::string svc = ServiceChain("svc-", web);
  const std::string a = EndpointChain("sep-", web, {"10.244.0.2", 8080});
  const std::string b = EndpointChain("sep-", web, {"10.244.0.3", 8080});
  const std::string rules = NftablesRuleset({web, Empty()}, {});
  // Replaced whole in one transaction.
  EXPECT_THAT(rules, StartsWith("table ip berth-proxy\n"
                                "delete table ip berth-proxy\n"
                                "table ip berth-proxy {\n"));
  EXPECT_THAT(rules, HasSubstr("10.96.0.10 . tcp . 80 : goto " + svc));
  EXPECT_THAT(rules,
              HasSubstr("tcp . 30300 : goto " + ServiceChain("ext-", web)));
  EXPECT_THAT(rules, HasSubstr("ip daddr . meta l4proto . th dport vmap "
                               "@service-ips"));
  EXPECT_THAT(rules, HasSubstr("numgen random mod 2 vmap { 0 : goto " + a +
                               ", 1 : goto " + b + " }"));
  EXPECT_THAT(rules, HasSubstr("chain " + a +
                               " {\n"
                               "\t\tip saddr 10.244.0.2 jump "
                               "mark-for-masquerade\n"
                               "\t\tmeta l4proto tcp dnat to "
                               "10.244.0.2:8080\n"));
  EXPECT_THAT(rules, HasSubstr("ip daddr 10.96.0.10 ip saddr != "
                               "10.244.0.0/16 jump mark-for-masquerade"));
  // No endpoints: refused at once rather than left to time out.
  EXPECT_THAT(rules, HasSubstr("10.96.0.11 . udp . 53 : goto reject-chain"));
  EXPECT_THAT(rules, Not(HasSubstr(ServiceChain("svc-", Empty()))));
}

TEST(NftablesRuleset, OneEndpointAffinityAndLocalPolicy) {
  ServicePort sp = Web();
  sp.cluster_endpoints.resize(1);
  sp.external_endpoints = sp.cluster_endpoints;
  sp.affinity_seconds = 600;
  sp.external_local = true;
  const std::string rules = NftablesRuleset({sp}, {});
  const std::string sep = EndpointChain("sep-", sp, sp.cluster_endpoints[0]);
  const std::string aff = EndpointChain("aff-", sp, sp.cluster_endpoints[0]);
  EXPECT_THAT(rules, HasSubstr("\t\tgoto " + sep + "\n"));
  EXPECT_THAT(rules, Not(HasSubstr("numgen")));
  EXPECT_THAT(rules, HasSubstr("set " + aff +
                               " {\n\t\ttype ipv4_addr\n"
                               "\t\tflags dynamic,timeout\n"
                               "\t\ttimeout 600s\n"));
  EXPECT_THAT(rules, HasSubstr("ip saddr @" + aff + " goto " + sep));
  EXPECT_THAT(rules, HasSubstr("update @" + aff + " { ip saddr }"));
  // Local: the client's address is kept (no masquerade mark in ext-).
  const std::string ext = ServiceChain("ext-", sp);
  const size_t at = rules.find("chain " + ext + " {");
  ASSERT_NE(at, std::string::npos);
  EXPECT_THAT(rules.substr(at, rules.find('}', at) - at),
              Not(HasSubstr("mark-for-masquerade")));
}

TEST(NftablesRuleset, NoServicesStillMakesAValidEmptyTable) {
  const std::string rules = NftablesRuleset({}, {});
  EXPECT_THAT(rules, Not(HasSubstr("elements")));
  EXPECT_THAT(rules, HasSubstr("map service-ips {\n\t\ttype ipv4_addr . "
                               "inet_proto . inet_service : verdict\n\t}"));
  EXPECT_EQ(NftablesCleanup(),
            "table ip berth-proxy\ndelete table ip berth-proxy\n");
}

TEST(NftablesRuleset, UpdatesOnlyWhatChanged) {
  const ServicePort web = Web();
  ServicePort fewer = web;
  fewer.cluster_endpoints.resize(1);
  fewer.external_endpoints = fewer.cluster_endpoints;
  const NftRules before = BuildNftRules({web}, {});
  const NftRules after = BuildNftRules({fewer, Empty()}, {});
  EXPECT_EQ(NftablesUpdate(before, before), "");

  const std::string svc = ServiceChain("svc-", web);
  const std::string kept = EndpointChain("sep-", web, {"10.244.0.2", 8080});
  const std::string gone = EndpointChain("sep-", web, {"10.244.0.3", 8080});
  const std::string update = NftablesUpdate(before, after);
  // The Service chain is rewritten to its one endpoint.
  EXPECT_THAT(update, HasSubstr("flush chain ip berth-proxy " + svc + "\n"));
  EXPECT_THAT(update,
              HasSubstr("add rule ip berth-proxy " + svc + " goto " + kept));
  // The endpoint that stayed is not touched; the one that went is emptied,
  // then deleted, after the chains that jumped to it were rewritten.
  EXPECT_THAT(update, Not(HasSubstr("chain ip berth-proxy " + kept)));
  const size_t flushed = update.find("flush chain ip berth-proxy " + gone);
  const size_t deleted = update.find("delete chain ip berth-proxy " + gone);
  ASSERT_NE(flushed, std::string::npos);
  ASSERT_NE(deleted, std::string::npos);
  EXPECT_GT(flushed, update.find("add rule ip berth-proxy " + svc));
  EXPECT_GT(deleted, flushed);
  // The Service's map element kept its verdict; the new Service's is added.
  EXPECT_THAT(update, Not(HasSubstr("service-ips")));
  EXPECT_THAT(update, HasSubstr("add element ip berth-proxy "
                                "no-endpoint-services { 10.96.0.11 . udp . "
                                "53 : goto reject-chain }"));
  // And back: the element goes, the chain comes again.
  const std::string back = NftablesUpdate(after, before);
  EXPECT_THAT(back, HasSubstr("delete element ip berth-proxy "
                              "no-endpoint-services { 10.96.0.11 . udp . 53 "
                              "}"));
  EXPECT_THAT(back, HasSubstr("add chain ip berth-proxy " + gone + "\n"));
}

TEST(NftablesRuleset, AffinitySetsComeAndGoWithTheirEndpoints) {
  ServicePort sp = Web();
  sp.affinity_seconds = 30;
  const NftRules with = BuildNftRules({sp}, {});
  const NftRules without = BuildNftRules({}, {});
  const std::string aff = EndpointChain("aff-", sp, sp.cluster_endpoints[0]);
  EXPECT_THAT(NftablesUpdate(without, with),
              HasSubstr("add set ip berth-proxy " + aff +
                        " { type ipv4_addr; flags dynamic,timeout; timeout "
                        "30s; }\n"));
  const std::string removal = NftablesUpdate(with, without);
  EXPECT_THAT(removal, HasSubstr("delete set ip berth-proxy " + aff + "\n"));
  EXPECT_GT(removal.find("delete set"), removal.find("delete chain"));
}

TEST(IptablesRuleset, WritesKubeProxyStyleChainsAndDropsStaleOnes) {
  const ServicePort web = Web();
  const std::string svc = ServiceChain("BERTH-SVC-", web);
  const std::string a = EndpointChain("BERTH-SEP-", web, {"10.244.0.2", 8080});
  const std::string b = EndpointChain("BERTH-SEP-", web, {"10.244.0.3", 8080});
  EXPECT_LE(svc.size(), 28u);
  const std::string rules =
      IptablesRuleset({web, Empty()}, {}, {"BERTH-SVC-0000000000000000"});
  EXPECT_THAT(rules, StartsWith("*nat\n"));
  EXPECT_THAT(rules, HasSubstr(":" + svc + " - [0:0]\n"));
  EXPECT_THAT(rules,
              HasSubstr("-A BERTH-SERVICES -m comment --comment "
                        "\"default/web:\" -d 10.96.0.10/32 -p tcp -m tcp "
                        "--dport 80 -j " +
                        svc + "\n"));
  EXPECT_THAT(rules, HasSubstr("-A " + svc +
                               " -m comment --comment \"default/web:\" -m "
                               "statistic --mode random --probability "
                               "0.5000000000 -j " +
                               a + "\n-A " + svc +
                               " -m comment --comment \"default/web:\" -j " +
                               b + "\n"));
  EXPECT_THAT(rules, HasSubstr("-A " + a +
                               " -m comment --comment \"default/web:\" -p "
                               "tcp -m tcp -j DNAT --to-destination "
                               "10.244.0.2:8080\n"));
  EXPECT_THAT(rules, HasSubstr("-A BERTH-NODEPORTS -m comment --comment "
                               "\"default/web:\" -p tcp -m tcp --dport 30300 "
                               "-j " +
                               ServiceChain("BERTH-EXT-", web)));
  EXPECT_THAT(rules, HasSubstr("-A BERTH-POSTROUTING -j MASQUERADE"));
  // A chain of a Service that went: declared (emptied), then deleted.
  EXPECT_THAT(rules, HasSubstr(":BERTH-SVC-0000000000000000 - [0:0]\n"));
  EXPECT_THAT(rules, HasSubstr("-X BERTH-SVC-0000000000000000\nCOMMIT\n"));
  // The Service without endpoints is rejected in the filter table.
  EXPECT_THAT(rules, HasSubstr("*filter\n:BERTH-SERVICES - [0:0]\n-A "
                               "BERTH-SERVICES -m comment --comment "
                               "\"default/empty:\" -m conntrack --ctstate NEW "
                               "-d 10.96.0.11/32 -p udp -m udp --dport 53 -j "
                               "REJECT\nCOMMIT\n"));
}

TEST(IptablesRuleset, ReadsItsChainsBackFromIptablesSave) {
  const std::string saved =
      "*filter\n:INPUT ACCEPT [0:0]\n:BERTH-SERVICES - [0:0]\nCOMMIT\n"
      "*nat\n:PREROUTING ACCEPT [0:0]\n:BERTH-SERVICES - [0:0]\n"
      ":BERTH-SVC-ABC - [0:0]\n:KUBE-SERVICES - [0:0]\nCOMMIT\n";
  EXPECT_EQ(ProxyChainsIn(saved, "nat"),
            (std::set<std::string>{"BERTH-SERVICES", "BERTH-SVC-ABC"}));
  EXPECT_EQ(ProxyChainsIn(saved, "filter"),
            (std::set<std::string>{"BERTH-SERVICES"}));
  EXPECT_EQ(IptablesCleanup({"BERTH-A"}, {}),
            "*nat\n:BERTH-A - [0:0]\n-X BERTH-A\nCOMMIT\n");
}

}  // namespace
}  // namespace berth::proxy
