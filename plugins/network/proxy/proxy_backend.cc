#include "proxy_backend.h"

#include <functional>
#include <map>

#include "iptables_ruleset.h"
#include "nftables_ruleset.h"

namespace berth::proxy {
namespace {

// Programming 100,000 endpoints with iptables-restore takes minutes on a
// small machine; a tool stuck longer than this is killed.
constexpr std::chrono::seconds kToolTimeout{600};

// Runs argv with `input` on stdin; Internal naming the tool and its stderr
// when it fails.
StatusOr<ProcessResult> Run(ProcessRunner& runner,
                            std::vector<std::string> argv,
                            const std::string& input = "") {
  ProcessSpec spec;
  spec.argv = std::move(argv);
  spec.stdin_data = input;
  spec.timeout = kToolTimeout;
  auto r = runner.Run(spec);
  if (!r.ok()) return r.status();
  return r;
}

Status Check(const StatusOr<ProcessResult>& r, const std::string& what) {
  if (!r.ok()) return r.status();
  if (r->exit_code == 0) return Status::Ok();
  return Status::Internal(what + " failed (exit " +
                          std::to_string(r->exit_code) +
                          "): " + r->stderr_data);
}

class NftablesBackend : public ProxyBackend {
 public:
  NftablesBackend(ProcessRunner& runner, const ProxyRulesConfig& c)
      : runner_(runner), config_(c) {}
  std::string Name() const override { return "nftables"; }
  // The first sync (and any after a failure) replaces the table whole;
  // later ones send only what changed since the last success.
  Status Sync(const std::vector<ServicePort>& ports) override {
    NftRules now = BuildNftRules(ports, config_);
    const std::string script =
        programmed_ ? NftablesUpdate(last_, now) : NftablesScript(now, config_);
    if (script.empty()) return Status::Ok();
    Status s = Check(Run(runner_, {"nft", "-f", "-"}, script), "nft");
    programmed_ = s.ok();
    if (s.ok()) last_ = std::move(now);
    return s;
  }
  void ForgetProgrammed() override { programmed_ = false; }
  Status Cleanup() override {
    programmed_ = false;
    last_ = NftRules{};
    return Check(Run(runner_, {"nft", "-f", "-"}, NftablesCleanup()), "nft");
  }

 private:
  ProcessRunner& runner_;
  const ProxyRulesConfig config_;
  bool programmed_ = false;
  NftRules last_;
};

class IptablesBackend : public ProxyBackend {
 public:
  IptablesBackend(ProcessRunner& runner, const ProxyRulesConfig& c,
                  const std::string& prefix)
      : runner_(runner), config_(c), prefix_(prefix) {}
  std::string Name() const override { return "iptables"; }

  // The first sync, any after a failure and the periodic resync
  // (ForgetProgrammed) write every chain; the others write the top-level
  // chains and only the Services' chains whose rules changed since the
  // last success, as kube-proxy's partial syncs do.
  Status Sync(const std::vector<ServicePort>& ports) override {
    const bool full = !known_;
    if (!known_) {
      // What an earlier run left: its stale chains go in this batch.
      auto chains = Chains("nat");
      if (!chains.ok()) return chains.status();
      nat_chains_ = *chains;
      written_.clear();
      known_ = true;
    }
    const std::map<std::string, std::string> chains =
        IptablesServiceChainRules(ports, config_);
    std::map<std::string, size_t> now;
    const std::hash<std::string> hash;
    const auto changed = [&](const std::string& chain,
                             const std::string& rules) {
      const size_t h = hash(rules);
      now[chain] = h;
      auto it = written_.find(chain);
      return it == written_.end() || it->second != h;
    };
    Status s = Check(
        Run(runner_, {prefix_ + "-restore", "-w", "--noflush"},
            IptablesRuleset(ports, config_, nat_chains_, chains, changed)),
        prefix_ + "-restore");
    if (!s.ok()) {
      // The chains may be anything now; the next sync reads and writes all.
      known_ = false;
      return s;
    }
    written_ = std::move(now);
    nat_chains_ = IptablesNatChains(chains);
    // Each check lists the built-in chain; as kube-proxy, they are made on
    // full syncs only, so a jump someone deleted is back by the periodic
    // resync.
    if (!full) return Status::Ok();
    for (const auto& jump : IptablesJumps()) {
      if (Status j = EnsureJump(jump); !j.ok()) {
        known_ = false;
        return j;
      }
    }
    return Status::Ok();
  }

  // What may be gone is a chain another tool deleted or flushed: reading
  // the chains again and writing all of them restores it.
  void ForgetProgrammed() override { known_ = false; }
  Status Cleanup() override {
    for (const auto& jump : IptablesJumps()) {
      // -D removes one copy; repeat while one is there.
      for (int i = 0; i < 8; ++i) {
        auto r = Run(runner_, JumpArgv("-D", jump));
        if (!r.ok()) return r.status();
        if (r->exit_code != 0) break;
      }
    }
    auto nat = Chains("nat");
    if (!nat.ok()) return nat.status();
    auto filter = Chains("filter");
    if (!filter.ok()) return filter.status();
    known_ = false;
    nat_chains_.clear();
    if (nat->empty() && filter->empty()) return Status::Ok();
    return Check(Run(runner_, {prefix_ + "-restore", "-w", "--noflush"},
                     IptablesCleanup(*nat, *filter)),
                 prefix_ + "-restore");
  }

 private:
  std::vector<std::string> JumpArgv(const std::string& op,
                                    const IptablesJump& jump) {
    std::vector<std::string> argv = {prefix_,    "-w", "-t",
                                     jump.table, op,   jump.chain};
    if (op == "-I") argv.push_back("1");
    for (auto& a : jump.Args()) argv.push_back(a);
    return argv;
  }

  Status EnsureJump(const IptablesJump& jump) {
    auto present = Run(runner_, JumpArgv("-C", jump));
    if (!present.ok()) return present.status();
    if (present->exit_code == 0) return Status::Ok();
    return Check(Run(runner_, JumpArgv("-I", jump)), prefix_);
  }

  StatusOr<std::set<std::string>> Chains(const std::string& table) {
    auto saved = Run(runner_, {prefix_ + "-save", "-t", table});
    if (Status s = Check(saved, prefix_ + "-save"); !s.ok()) return s;
    return ProxyChainsIn(saved->stdout_data, table);
  }

  ProcessRunner& runner_;
  const ProxyRulesConfig config_;
  const std::string prefix_;
  bool known_ = false;
  std::set<std::string> nat_chains_;
  // Each Service chain's rules (a hash of their text) as last written.
  std::map<std::string, size_t> written_;
};

}  // namespace

std::unique_ptr<ProxyBackend> NewNftablesBackend(ProcessRunner& runner,
                                                 const ProxyRulesConfig& c) {
  return std::make_unique<NftablesBackend>(runner, c);
}

std::unique_ptr<ProxyBackend> NewIptablesBackend(
    ProcessRunner& runner, const ProxyRulesConfig& c,
    const std::string& iptables_prefix) {
  return std::make_unique<IptablesBackend>(runner, c, iptables_prefix);
}

bool NftablesWorks(ProcessRunner& runner) {
  auto r = Run(runner, {"nft", "list", "tables"});
  return r.ok() && r->exit_code == 0;
}

}  // namespace berth::proxy
