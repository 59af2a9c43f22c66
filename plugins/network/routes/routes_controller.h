// RoutesController: the node-side loop of the `routes` plugin. It follows
// Nodes through the host's shared informer; any change marks the state
// dirty, and one sync thread plans the routes from the cache (RoutePlan)
// and, when the plan or this machine's subnets changed or the resync
// period passed, programs them (RouteProgrammer). When the plan needs the
// VXLAN device it creates it and publishes its MAC on this machine's Node
// (kVtepMacAnnotation) so the other nodes can plan a peer for it. A failed
// sync is retried a second later. Stop joins the thread and, when asked,
// removes everything it programmed.
//
// Thread safety: Start and Stop from one thread (plugin start and
// shutdown); the informer handlers only flag work for the sync thread.
#ifndef BERTH_PLUGINS_NETWORK_ROUTES_ROUTES_CONTROLLER_H_
#define BERTH_PLUGINS_NETWORK_ROUTES_ROUTES_CONTROLLER_H_

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "berth/host.h"
#include "route_programmer.h"
#include "routes_settings.h"

namespace berth::routes {

class RoutesController {
 public:
  // `host` and its process runner must outlive the controller.
  RoutesController(Host& host, const RoutesSettings& settings);
  ~RoutesController();

  void Start();
  void Stop();

 private:
  void Loop();
  // One sync from the cache; false when it failed or must wait.
  bool SyncOnce();
  Status PublishVtepMac(const std::string& current, const std::string& mac);
  // Logs a failed sync as a warning once, then at debug level while the
  // same failure repeats every retry.
  void Warn(const std::string& message);

  Host& host_;
  const RoutesSettings settings_;
  RouteProgrammer programmer_;
  Informer* nodes_ = nullptr;
  uint64_t handlers_ = 0;

  std::mutex mu_;
  std::condition_variable cv_;
  bool dirty_ = true;      // guarded by mu_
  bool stopping_ = false;  // guarded by mu_
  // The sync thread's own: what it last programmed, and when.
  std::string last_;
  std::chrono::steady_clock::time_point last_time_;
  std::string last_warning_;
  std::thread thread_;
};

}  // namespace berth::routes

#endif  // BERTH_PLUGINS_NETWORK_ROUTES_ROUTES_CONTROLLER_H_
