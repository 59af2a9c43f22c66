#include "policy_backend.h"

#include "iptables_policy.h"
#include "nftables_policy.h"

namespace berth::policy {
namespace {

constexpr std::chrono::seconds kToolTimeout{60};

StatusOr<ProcessResult> Run(ProcessRunner& runner,
                            std::vector<std::string> argv,
                            const std::string& input = "") {
  ProcessSpec spec;
  spec.argv = std::move(argv);
  spec.stdin_data = input;
  spec.timeout = kToolTimeout;
  return runner.Run(spec);
}

Status Check(const StatusOr<ProcessResult>& r, const std::string& what) {
  if (!r.ok()) return r.status();
  if (r->exit_code == 0) return Status::Ok();
  return Status::Internal(what + " failed (exit " +
                          std::to_string(r->exit_code) +
                          "): " + r->stderr_data);
}

class NftablesBackend : public PolicyBackend {
 public:
  explicit NftablesBackend(ProcessRunner& runner) : runner_(runner) {}
  std::string Name() const override { return "nftables"; }
  Status Sync(const std::vector<PodRules>& rules) override {
    return Check(Run(runner_, {"nft", "-f", "-"}, NftablesPolicyScript(rules)),
                 "nft");
  }
  Status Cleanup() override {
    return Check(Run(runner_, {"nft", "-f", "-"}, NftablesPolicyCleanup()),
                 "nft");
  }

 private:
  ProcessRunner& runner_;
};

class IptablesBackend : public PolicyBackend {
 public:
  IptablesBackend(ProcessRunner& runner, const std::string& prefix)
      : runner_(runner), prefix_(prefix) {}
  std::string Name() const override { return "iptables"; }

  Status Sync(const std::vector<PodRules>& rules) override {
    if (rules.empty()) return Cleanup();
    auto existing = Chains();
    if (!existing.ok()) return existing.status();
    Status s = Check(Run(runner_, {prefix_ + "-restore", "-w", "--noflush"},
                         IptablesPolicyRestore(rules, *existing)),
                     prefix_ + "-restore");
    if (!s.ok()) return s;
    for (const char* chain : {"FORWARD", "INPUT"}) {
      auto present = Run(runner_, Jump("-C", chain));
      if (!present.ok()) return present.status();
      if (present->exit_code == 0) continue;
      if (Status j = Check(Run(runner_, Jump("-I", chain)), prefix_); !j.ok()) {
        return j;
      }
    }
    return Status::Ok();
  }

  Status Cleanup() override {
    for (const char* chain : {"FORWARD", "INPUT"}) {
      // -D removes one copy; repeat while one is there.
      for (int i = 0; i < 8; ++i) {
        auto r = Run(runner_, Jump("-D", chain));
        if (!r.ok()) return r.status();
        if (r->exit_code != 0) break;
      }
    }
    auto existing = Chains();
    if (!existing.ok()) return existing.status();
    const std::string input = IptablesPolicyCleanup(*existing);
    if (input.empty()) return Status::Ok();
    return Check(Run(runner_, {prefix_ + "-restore", "-w", "--noflush"}, input),
                 prefix_ + "-restore");
  }

 private:
  std::vector<std::string> Jump(const std::string& op, const char* chain) {
    std::vector<std::string> argv = {prefix_, "-w", "-t", "filter", op, chain};
    if (op == "-I") argv.push_back("1");
    argv.push_back("-j");
    argv.push_back(kIptablesChain);
    return argv;
  }

  StatusOr<std::set<std::string>> Chains() {
    auto saved = Run(runner_, {prefix_ + "-save", "-t", "filter"});
    if (Status s = Check(saved, prefix_ + "-save"); !s.ok()) return s;
    return IptablesPolicyChains(saved->stdout_data);
  }

  ProcessRunner& runner_;
  const std::string prefix_;
};

}  // namespace

std::unique_ptr<PolicyBackend> NewNftablesPolicyBackend(ProcessRunner& runner) {
  return std::make_unique<NftablesBackend>(runner);
}

std::unique_ptr<PolicyBackend> NewIptablesPolicyBackend(
    ProcessRunner& runner, const std::string& prefix) {
  return std::make_unique<IptablesBackend>(runner, prefix);
}

bool NftWorks(ProcessRunner& runner) {
  auto r = Run(runner, {"nft", "list", "tables"});
  return r.ok() && r->exit_code == 0;
}

}  // namespace berth::policy
