// WatchDispatcher: one thread that delivers the events of every in-process
// watch (InProcessClient::Watch, what plugins and controllers use inside
// `berth server`) to its callback, instead of a thread per watch. A watcher
// that has events (store::Watcher::SetNotify) is queued; the thread drains
// it and calls the callback once per event, then an "ERROR" event when the
// store closed the watch.
//
// Thread safety: Add and the handles' destruction are safe from any thread,
// the dispatcher thread included (a callback may close its own watch or
// open others). The SDK's rule holds: one event at a time per watch, and no
// callback after the handle's destructor returns. Callbacks share the
// thread, so they must not block for long (the SDK says so too).
#ifndef BERTH_KERNEL_API_SERVER_WATCH_DISPATCHER_H_
#define BERTH_KERNEL_API_SERVER_WATCH_DISPATCHER_H_

#include <functional>
#include <memory>
#include <thread>

#include "berth/client.h"
#include "kernel/store/store.h"

namespace berth::api {

class WatchDispatcher {
 public:
  // Starts the thread.
  WatchDispatcher();
  // Stops the thread; open handles stay valid and deliver nothing more.
  ~WatchDispatcher();
  WatchDispatcher(const WatchDispatcher&) = delete;
  WatchDispatcher& operator=(const WatchDispatcher&) = delete;

  // Delivers `watcher`'s events to `on_event` until the returned handle is
  // destroyed.
  std::unique_ptr<WatchHandle> Add(
      std::unique_ptr<store::Watcher> watcher,
      std::function<void(const WatchEvent&)> on_event);

 private:
  // Shared with the thread and the handles, so either may outlive the
  // dispatcher.
  struct State;
  class Handle;
  static void Run(std::shared_ptr<State> state);

  std::shared_ptr<State> state_;
  std::thread thread_;
};

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_WATCH_DISPATCHER_H_
