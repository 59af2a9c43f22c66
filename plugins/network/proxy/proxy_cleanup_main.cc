// berth-proxy: `berth proxy cleanup` as a CLI extension (kernel/cli
// runs berth-<word>), kube-proxy's `--cleanup`: removes every rule, chain
// and table the service proxy owns on this machine — the nftables table
// `ip berth-proxy` and the BERTH-* iptables chains with their jumps — and
// nothing else. A clean stop of Berth removes them itself; this is for a
// machine where Berth crashed and the proxy is then disabled, or a backend
// was switched. Needs root. Exit 0 when nothing of the proxy is left
// (including when there was nothing), 1 with one line per backend that
// failed, 2 on a usage error.
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "kernel/exec/process_runner.h"
#include "proxy_backend.h"

namespace {

constexpr char kUsage[] =
    "usage: berth proxy cleanup [--iptables iptables|iptables-nft|"
    "iptables-legacy]\n"
    "Removes the service proxy's nftables table and iptables chains from\n"
    "this machine (as kube-proxy --cleanup).\n";

// True when `argv` runs and exits 0 (the tool is installed).
bool Works(berth::ProcessRunner& runner, std::vector<std::string> argv) {
  berth::ProcessSpec spec;
  spec.argv = std::move(argv);
  auto r = runner.Run(spec);
  return r.ok() && r->exit_code == 0;
}

int Cleanup(const std::string& iptables) {
  berth::SpawnProcessRunner runner;
  int failed = 0;
  // nft is optional on an iptables-only host: no nft, no nftables rules.
  if (Works(runner, {"nft", "--version"})) {
    auto backend = berth::proxy::NewNftablesBackend(
        runner, berth::proxy::ProxyRulesConfig{});
    if (berth::Status s = backend->Cleanup(); !s.ok()) {
      std::cerr << "berth proxy cleanup: nftables: " << s.message() << "\n";
      ++failed;
    }
  }
  if (Works(runner, {iptables + "-save", "--version"})) {
    auto backend = berth::proxy::NewIptablesBackend(
        runner, berth::proxy::ProxyRulesConfig{}, iptables);
    if (berth::Status s = backend->Cleanup(); !s.ok()) {
      std::cerr << "berth proxy cleanup: " << iptables << ": " << s.message()
                << "\n";
      ++failed;
    }
  }
  return failed ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] != "cleanup") {
    std::cerr << kUsage;
    return 2;
  }
  std::string iptables = "iptables";
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--iptables" && i + 1 < args.size()) {
      iptables = args[++i];
    } else {
      std::cerr << kUsage;
      return 2;
    }
  }
  if (geteuid() != 0) {
    std::cerr << "berth proxy cleanup: needs root (it changes the host's "
                 "nftables and iptables rules)\n";
    return 1;
  }
  return Cleanup(iptables);
}
