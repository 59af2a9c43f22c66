// ServiceSyncLocks: a fixed set of mutexes a Service's key hashes to, so
// that a controller's own worker and the pod watcher never sync the same
// Service at once, while most different Services sync in parallel. Fixed
// stripes, unlike one mutex per key, cost nothing per Service.
//
// Thread safety: Lock may be called from any thread.
#ifndef BERTH_PLUGINS_CORE_SERVICE_SYNC_LOCKS_H_
#define BERTH_PLUGINS_CORE_SERVICE_SYNC_LOCKS_H_

#include <array>
#include <functional>
#include <mutex>
#include <string>

namespace berth::core {

class ServiceSyncLocks {
 public:
  // Blocks until Service `ns`/`name`'s stripe is free.
  std::unique_lock<std::mutex> Lock(const std::string& ns,
                                    const std::string& name) {
    const size_t h = std::hash<std::string>{}(ns + "/" + name);
    return std::unique_lock<std::mutex>(stripes_[h % stripes_.size()]);
  }

 private:
  std::array<std::mutex, 32> stripes_;
};

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_SERVICE_SYNC_LOCKS_H_
