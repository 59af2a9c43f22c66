// PolicyEnforcer: the node side of NetworkPolicy. It follows
// NetworkPolicies, Pods and Namespaces through the host's shared
// informers; any change marks the state dirty, and one sync thread (at most
// once per min_sync_period) recomputes this node's PodRules and, when the
// nftables program they make differs from the last one applied, replaces
// the table with `nft -f -`. A failed sync is retried a second later. The
// first sync replaces whatever an earlier run left; Stop removes the table
// when settings ask.
//
// Thread safety: Start and Stop from one thread (plugin start and
// shutdown); informer handlers only flag work for the sync thread.
#ifndef BERTH_PLUGINS_NETWORK_POLICY_POLICY_ENFORCER_H_
#define BERTH_PLUGINS_NETWORK_POLICY_POLICY_ENFORCER_H_

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "berth/host.h"
#include "policy_settings.h"

namespace berth::policy {

class PolicyEnforcer {
 public:
  // `host` (and its process runner) must outlive the enforcer.
  PolicyEnforcer(Host& host, const PolicySettings& settings);
  ~PolicyEnforcer();

  // Subscribes to the informers and starts the sync thread.
  void Start();
  // Stops the thread; removes the table when settings.cleanup_on_exit.
  void Stop();

 private:
  void Loop();
  // One sync from the caches; false when it failed.
  bool SyncOnce();
  Status Apply(const std::string& script);

  Host& host_;
  const PolicySettings settings_;
  Informer* policies_ = nullptr;
  Informer* pods_ = nullptr;
  Informer* namespaces_ = nullptr;
  uint64_t policies_handlers_ = 0;
  uint64_t pods_handlers_ = 0;
  uint64_t namespaces_handlers_ = 0;

  std::mutex mu_;
  std::condition_variable cv_;
  bool dirty_ = true;      // guarded by mu_
  bool stopping_ = false;  // guarded by mu_
  std::string last_;       // the script last applied (sync thread)
  std::thread thread_;
};

}  // namespace berth::policy

#endif  // BERTH_PLUGINS_NETWORK_POLICY_POLICY_ENFORCER_H_
