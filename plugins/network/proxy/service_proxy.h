// ServiceProxy: the kube-proxy loop. It follows Services and EndpointSlices
// through the host's shared informers; any change marks the state dirty,
// and one sync thread (common::CoalescingSync: at most once per
// min_sync_period, so a burst of changes costs one sync, and everything
// again every sync_period) rebuilds the ServicePorts from the caches and,
// when the rules they make differ from the last ones programmed, hands
// them to the backend. A failed sync is retried a second later. Stop joins
// the thread and, when asked, removes the rules.
//
// Thread safety: Start and Stop from one thread (plugin start and
// shutdown); the informer handlers only flag work for the sync thread.
#ifndef BERTH_PLUGINS_NETWORK_PROXY_SERVICE_PROXY_H_
#define BERTH_PLUGINS_NETWORK_PROXY_SERVICE_PROXY_H_

#include <cstdint>
#include <memory>
#include <string>

#include "berth/host.h"
#include "plugins/common/coalescing_sync.h"
#include "proxy_backend.h"
#include "proxy_settings.h"

namespace berth::proxy {

class ServiceProxy {
 public:
  // `host` must outlive the proxy.
  ServiceProxy(Host& host, const ProxySettings& settings,
               std::unique_ptr<ProxyBackend> backend);
  ~ServiceProxy();

  // Subscribes to the informers and starts the sync thread.
  void Start();
  // Stops the thread; removes the rules when settings.cleanup_on_exit.
  void Stop();

  // Syncs taken and failed so far (for logs and tests).
  uint64_t syncs() const;

 private:
  // One sync from the caches; false when it failed.
  bool SyncOnce();

  Host& host_;
  const ProxySettings settings_;
  std::unique_ptr<ProxyBackend> backend_;
  Informer* services_ = nullptr;  // set while started
  Informer* slices_ = nullptr;
  std::string last_;  // the ServicePorts last programmed (sync thread)
  // The failure last logged, until a sync succeeds (sync thread): a sync
  // retried every second for the same cause (no root, no nft) says so once.
  std::string last_error_;
  // Last: its thread uses the members above.
  common::CoalescingSync loop_;
};

}  // namespace berth::proxy

#endif  // BERTH_PLUGINS_NETWORK_PROXY_SERVICE_PROXY_H_
