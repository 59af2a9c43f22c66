// ControllerManager: runs the plugins' controllers, as controller-runtime's
// manager does. For each controller it watches the primary resource in all
// namespaces and queues the {namespace, name} of every object it sees; it
// watches each owned resource and queues the key of the object's controller
// owner (the ownerReferences entry with controller=true and the primary's
// kind). Worker threads take keys from the controller's WorkQueue, so one
// key is never reconciled twice at once, and act on the result: an error is
// logged and retried with per-key backoff, requeue_after > 0 reconciles again
// after that delay, success forgets the key's backoff.
//
// A watch that fails to open or reports an "ERROR" event is re-opened from
// resourceVersion "0" (current state replayed as ADDED) after a short,
// growing delay, so missed events are made up by level-based reconciles.
//
// Thread safety: Add, Start and Stop are called from one thread (start-up
// and exit). The manager's own threads call the Client and the controllers.
#ifndef BERTH_KERNEL_CONTROLLER_CONTROLLER_MANAGER_H_
#define BERTH_KERNEL_CONTROLLER_CONTROLLER_MANAGER_H_

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "berth/client.h"
#include "berth/controller.h"
#include "berth/status.h"
#include "kernel/controller/rate_limiter.h"

namespace berth {

class ControllerManager {
 public:
  struct Options {
    // Backoff of failed reconciles (client-go defaults).
    std::chrono::milliseconds backoff_base = ItemBackoff::kDefaultBase;
    std::chrono::milliseconds backoff_max = ItemBackoff::kDefaultMax;
    // Delay before re-opening a failed watch; doubles while it keeps
    // failing, up to the max.
    std::chrono::milliseconds watch_retry_initial{100};
    std::chrono::milliseconds watch_retry_max{5000};
  };

  // `client` must outlive the manager.
  explicit ControllerManager(Client& client);
  ControllerManager(Client& client, const Options& options);
  ControllerManager(const ControllerManager&) = delete;
  ControllerManager& operator=(const ControllerManager&) = delete;
  // Stops.
  ~ControllerManager();

  // Registers a controller to run at Start; the manager shares ownership.
  // Invalid when null, when its name is taken, or after Start.
  Status Add(std::shared_ptr<Controller> controller);

  // Opens the watches and starts `workers_per_controller` (at least 1)
  // reconcile threads per controller. Watches that cannot be opened yet are
  // retried in the background. Calling it twice does nothing.
  void Start(int workers_per_controller = 2);

  // Closes the watches (no event is delivered after), shuts the queues down
  // and joins every thread, letting running reconciles finish. Idempotent;
  // the manager cannot be started again.
  void Stop();

 private:
  struct Runner;
  struct WatchSlot;

  void KeepWatches();
  void OnEvent(WatchSlot& slot, uint64_t generation, const WatchEvent& event);
  void Work(Runner& runner);

  Client& client_;
  const Options options_;
  std::vector<std::unique_ptr<Runner>> runners_;
  std::vector<std::unique_ptr<WatchSlot>> watches_;

  std::mutex mu_;
  std::condition_variable cv_;  // wakes the watch keeper
  bool started_ = false;
  bool stopping_ = false;
  std::thread keeper_;
};

}  // namespace berth

#endif  // BERTH_KERNEL_CONTROLLER_CONTROLLER_MANAGER_H_
