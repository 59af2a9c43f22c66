// ProxyBackend: how the service proxy programs a host — the nftables and
// iptables backends behind one interface, both running their tools (nft,
// iptables-restore) through the host's exec service, in the network
// namespace of the calling process.
//
// Thread safety: not thread-safe; the proxy's one sync thread calls it.
#ifndef BERTH_PLUGINS_NETWORK_PROXY_PROXY_BACKEND_H_
#define BERTH_PLUGINS_NETWORK_PROXY_PROXY_BACKEND_H_

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "berth/process.h"
#include "berth/status.h"
#include "proxy_rules_config.h"
#include "service_port_model.h"

namespace berth::proxy {

class ProxyBackend {
 public:
  virtual ~ProxyBackend() = default;
  // "nftables" or "iptables".
  virtual std::string Name() const = 0;
  // Replaces the rules with those for `ports` (what an earlier run left
  // included). On failure (the tool is missing or refused the rules:
  // Internal with its message) the old rules stay as they were.
  virtual Status Sync(const std::vector<ServicePort>& ports) = 0;
  // Makes the next Sync program everything from scratch rather than what
  // changed since the last one: the host may have lost rules meanwhile
  // (someone flushed a table). Connections keep their conntrack entries.
  virtual void ForgetProgrammed() = 0;
  // Removes every rule, chain, map and table the proxy owns; nothing else.
  // OK when there was nothing.
  virtual Status Cleanup() = 0;
};

// The nftables backend (`nft -f -`, table ip berth-proxy). `runner` must
// outlive it.
std::unique_ptr<ProxyBackend> NewNftablesBackend(ProcessRunner& runner,
                                                 const ProxyRulesConfig& c);

// The iptables backend (`iptables-restore --noflush`, `iptables` for the
// jumps from the built-in chains; `iptables_prefix` picks the variant:
// "iptables" or "iptables-legacy"). `runner` must outlive it.
std::unique_ptr<ProxyBackend> NewIptablesBackend(
    ProcessRunner& runner, const ProxyRulesConfig& c,
    const std::string& iptables_prefix = "iptables");

// True when `nft` runs and can list tables here (the auto backend's test).
bool NftablesWorks(ProcessRunner& runner);

}  // namespace berth::proxy

#endif  // BERTH_PLUGINS_NETWORK_PROXY_PROXY_BACKEND_H_
