// ServiceProxy: the kube-proxy loop. It follows Services and EndpointSlices
// through the host's shared informers; any change marks the state dirty,
// and one sync thread (at most once per min_sync_period, so a burst of
// changes costs one sync) rebuilds the ServicePorts from the caches and,
// when the rules they make differ from the last ones programmed, hands
// them to the backend. A failed sync is retried a second later. Stop joins
// the thread and, when asked, removes the rules.
//
// Thread safety: Start and Stop from one thread (plugin start and
// shutdown); the informer handlers only flag work for the sync thread.
#ifndef BERTH_PLUGINS_NETWORK_PROXY_SERVICE_PROXY_H_
#define BERTH_PLUGINS_NETWORK_PROXY_SERVICE_PROXY_H_

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "berth/host.h"
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
  void Loop();
  // One sync from the caches; false when it failed.
  bool SyncOnce();

  Host& host_;
  const ProxySettings settings_;
  std::unique_ptr<ProxyBackend> backend_;
  Informer* services_ = nullptr;
  Informer* slices_ = nullptr;
  uint64_t services_handlers_ = 0;
  uint64_t slices_handlers_ = 0;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool dirty_ = true;      // guarded by mu_
  bool stopping_ = false;  // guarded by mu_
  uint64_t syncs_ = 0;     // guarded by mu_
  std::string last_;       // the ServicePorts last programmed (sync thread)
  // The failure last logged, until a sync succeeds (sync thread): a sync
  // retried every second for the same cause (no root, no nft) says so once.
  std::string last_error_;
  std::thread thread_;
};

}  // namespace berth::proxy

#endif  // BERTH_PLUGINS_NETWORK_PROXY_SERVICE_PROXY_H_
