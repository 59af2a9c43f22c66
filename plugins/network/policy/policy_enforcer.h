// PolicyEnforcer: the node side of NetworkPolicy. It follows
// NetworkPolicies, Pods and Namespaces through the host's shared
// informers; any change marks the state dirty, and one sync thread
// (common::CoalescingSync, at most once per min_sync_period) recomputes this
// node's PodRules and, when they differ from the last ones programmed, hands
// them to the backend. A failed sync is retried a second later. The first sync
// replaces whatever an earlier run left; Stop removes everything when settings
// ask.
//
// Thread safety: Start and Stop from one thread (plugin start and
// shutdown); informer handlers only flag work for the sync thread.
#ifndef BERTH_PLUGINS_NETWORK_POLICY_POLICY_ENFORCER_H_
#define BERTH_PLUGINS_NETWORK_POLICY_POLICY_ENFORCER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "berth/host.h"
#include "plugins/common/coalescing_sync.h"
#include "policy_backend.h"
#include "policy_model.h"
#include "policy_settings.h"

namespace berth::policy {

class PolicyEnforcer {
 public:
  // `host` must outlive the enforcer.
  PolicyEnforcer(Host& host, const PolicySettings& settings,
                 std::unique_ptr<PolicyBackend> backend);
  ~PolicyEnforcer();

  // Subscribes to the informers and starts the sync thread.
  void Start();
  // Stops the thread; removes the table when settings.cleanup_on_exit.
  void Stop();

 private:
  // One sync from the caches; false when it failed.
  bool SyncOnce();

  Host& host_;
  const PolicySettings settings_;
  std::unique_ptr<PolicyBackend> backend_;
  Informer* policies_ = nullptr;  // set while started
  Informer* pods_ = nullptr;
  Informer* namespaces_ = nullptr;
  bool programmed_ = false;     // a sync succeeded (sync thread)
  std::vector<PodRules> last_;  // what it programmed (sync thread)
  // Last: its thread uses the members above.
  common::CoalescingSync loop_;
};

}  // namespace berth::policy

#endif  // BERTH_PLUGINS_NETWORK_POLICY_POLICY_ENFORCER_H_
