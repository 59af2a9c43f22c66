// KeyedMutex: one mutex per key, created on first use, so two controllers
// that both sync the same object (the DaemonSet controller, and the node
// watcher that resyncs every DaemonSet when a node changes) never sync it
// at once while different objects sync in parallel.
//
// Thread safety: Lock may be called from any thread.
#ifndef BERTH_PLUGINS_WORKLOADS_KEYED_MUTEX_H_
#define BERTH_PLUGINS_WORKLOADS_KEYED_MUTEX_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace berth::workloads {

class KeyedMutex {
 public:
  // Blocks until `key` is free; the returned lock frees it when destroyed.
  std::unique_lock<std::mutex> Lock(const std::string& key) {
    std::shared_ptr<std::mutex> m;
    {
      std::lock_guard<std::mutex> guard(mu_);
      auto& slot = locks_[key];
      if (!slot) slot = std::make_shared<std::mutex>();
      m = slot;
    }
    // The map keeps every mutex alive; keys are objects, which are few
    // compared to the memory a mutex takes.
    return std::unique_lock<std::mutex>(*m);
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<std::mutex>> locks_;
};

}  // namespace berth::workloads

#endif  // BERTH_PLUGINS_WORKLOADS_KEYED_MUTEX_H_
