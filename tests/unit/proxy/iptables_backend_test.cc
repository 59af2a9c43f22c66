// The iptables backend's partial syncs, against a runner that records what
// it would run: after a full first batch, a batch writes the top-level
// chains and only the chains of Services whose rules changed, deletes the
// chains of endpoints that went, and goes back to writing everything after
// a failed batch or ForgetProgrammed (the periodic resync).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "chain_names.h"
#include "proxy_backend.h"

namespace berth::proxy {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Answers every command with success (iptables-save with no chains),
// except iptables-restore while `fail_restore` is set; keeps each
// iptables-restore input and counts iptables-save calls.
class RecordingRunner : public ProcessRunner {
 public:
  StatusOr<ProcessResult> Run(const ProcessSpec& spec) override {
    ProcessResult r;
    r.exit_code = 0;
    if (spec.argv[0] == "iptables-restore") {
      batches.push_back(spec.stdin_data);
      if (fail_restore) r.exit_code = 1;
    } else if (spec.argv[0] == "iptables-save") {
      ++saves;
    }
    return r;
  }
  StatusOr<int> SpawnDaemon(const DaemonSpec&) override {
    return Status::Internal("not used");
  }

  std::vector<std::string> batches;
  int saves = 0;
  bool fail_restore = false;
};

ServicePort Port(const std::string& name, const std::string& ip,
                 std::vector<ProxyEndpoint> eps) {
  ServicePort sp;
  sp.ns = "default";
  sp.name = name;
  sp.cluster_ip = ip;
  sp.protocol = "tcp";
  sp.port = 80;
  sp.cluster_endpoints = eps;
  sp.external_endpoints = eps;
  return sp;
}

std::string Declared(const std::string& chain) {
  return ":" + chain + " - [0:0]\n";
}

TEST(IptablesBackend, ABatchWritesOnlyTheChainsOfServicesThatChanged) {
  RecordingRunner runner;
  auto backend = NewIptablesBackend(runner, ProxyRulesConfig{});
  const ServicePort a = Port("a", "10.96.0.10", {{"10.244.0.2", 80}});
  const ServicePort b = Port("b", "10.96.0.11", {{"10.244.0.3", 80}});
  const std::string a_svc = ServiceChain("BERTH-SVC-", a);
  const std::string b_svc = ServiceChain("BERTH-SVC-", b);
  const std::string b_sep = EndpointChain("BERTH-SEP-", b, {"10.244.0.3", 80});
  ASSERT_TRUE(backend->Sync({a, b}).ok());
  ASSERT_EQ(runner.batches.size(), 1u);
  EXPECT_THAT(runner.batches[0], HasSubstr(Declared(a_svc)));
  EXPECT_THAT(runner.batches[0], HasSubstr(Declared(b_svc)));

  // b's endpoint moves: b's chains are written, the old endpoint's chain
  // deleted, a's left alone; the top-level chains are always written.
  const ServicePort b2 = Port("b", "10.96.0.11", {{"10.244.0.4", 80}});
  const std::string b2_sep =
      EndpointChain("BERTH-SEP-", b2, {"10.244.0.4", 80});
  ASSERT_TRUE(backend->Sync({a, b2}).ok());
  ASSERT_EQ(runner.batches.size(), 2u);
  const std::string& partial = runner.batches[1];
  EXPECT_THAT(partial, HasSubstr(Declared("BERTH-SERVICES")));
  EXPECT_THAT(partial, HasSubstr("-j " + a_svc + "\n"));
  EXPECT_THAT(partial, Not(HasSubstr(Declared(a_svc))));
  EXPECT_THAT(partial, Not(HasSubstr("-A " + a_svc)));
  EXPECT_THAT(partial, HasSubstr(Declared(b_svc)));
  EXPECT_THAT(partial, HasSubstr(Declared(b2_sep)));
  EXPECT_THAT(partial, HasSubstr("-X " + b_sep + "\n"));

  // Nothing changed: only the top-level chains.
  ASSERT_TRUE(backend->Sync({a, b2}).ok());
  EXPECT_THAT(runner.batches[2], Not(HasSubstr(Declared(b_svc))));
  EXPECT_EQ(runner.saves, 1);
}

TEST(IptablesBackend, AfterAFailureOrAForgetEverythingIsWrittenAgain) {
  RecordingRunner runner;
  auto backend = NewIptablesBackend(runner, ProxyRulesConfig{});
  const ServicePort a = Port("a", "10.96.0.10", {{"10.244.0.2", 80}});
  const ServicePort b = Port("b", "10.96.0.11", {{"10.244.0.3", 80}});
  const std::string a_svc = ServiceChain("BERTH-SVC-", a);
  ASSERT_TRUE(backend->Sync({a, b}).ok());

  runner.fail_restore = true;
  const ServicePort b2 = Port("b", "10.96.0.11", {{"10.244.0.4", 80}});
  EXPECT_FALSE(backend->Sync({a, b2}).ok());
  runner.fail_restore = false;
  ASSERT_TRUE(backend->Sync({a, b2}).ok());
  EXPECT_THAT(runner.batches.back(), HasSubstr(Declared(a_svc)));
  EXPECT_EQ(runner.saves, 2) << "the chains are read again";

  ASSERT_TRUE(backend->Sync({a, b2}).ok());
  EXPECT_THAT(runner.batches.back(), Not(HasSubstr(Declared(a_svc))));
  backend->ForgetProgrammed();
  ASSERT_TRUE(backend->Sync({a, b2}).ok());
  EXPECT_THAT(runner.batches.back(), HasSubstr(Declared(a_svc)));
}

}  // namespace
}  // namespace berth::proxy
