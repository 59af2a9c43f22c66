// PolicyBackend: how the enforcer programs a host — nftables (`nft -f -`,
// table inet berth-policy) or iptables (`iptables-restore --noflush` of the
// BERTHPOL chains plus jumps from FORWARD and INPUT) behind one interface,
// both running their tools through the host's exec service in the network
// namespace of the calling process.
//
// Thread safety: not thread-safe; the enforcer's one sync thread calls it.
#ifndef BERTH_PLUGINS_NETWORK_POLICY_POLICY_BACKEND_H_
#define BERTH_PLUGINS_NETWORK_POLICY_POLICY_BACKEND_H_

#include <memory>
#include <string>
#include <vector>

#include "berth/process.h"
#include "berth/status.h"
#include "policy_model.h"

namespace berth::policy {

class PolicyBackend {
 public:
  virtual ~PolicyBackend() = default;
  // "nftables" or "iptables".
  virtual std::string Name() const = 0;
  // Replaces what is programmed (an earlier run's leftovers included) with
  // `rules`. On failure (the tool is missing or refused: Internal with its
  // message) the old rules stay.
  virtual Status Sync(const std::vector<PodRules>& rules) = 0;
  // Removes everything the enforcer owns; OK when there was nothing.
  virtual Status Cleanup() = 0;
};

// `runner` must outlive the backends.
std::unique_ptr<PolicyBackend> NewNftablesPolicyBackend(ProcessRunner& runner);
// `prefix`: "iptables", "iptables-legacy" or "iptables-nft".
std::unique_ptr<PolicyBackend> NewIptablesPolicyBackend(
    ProcessRunner& runner, const std::string& prefix = "iptables");

// True when `nft list tables` works here (the auto backend's test).
bool NftWorks(ProcessRunner& runner);

}  // namespace berth::policy

#endif  // BERTH_PLUGINS_NETWORK_POLICY_POLICY_BACKEND_H_
