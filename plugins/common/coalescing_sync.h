// CoalescingSync: the loop behind the node-side programmers (service proxy,
// NetworkPolicy enforcer, cluster DNS): any add, update or delete in the
// informers of the given resources marks the state dirty; a thread waits
// `min_period` for a burst of changes to land, then calls `sync` once for
// all of them. A sync that returns false is retried after `retry`. With a
// `resync_period`, `resync` runs (then `sync`) when nothing changed for
// that long, so state lost behind the plugin's back comes back. The first
// sync runs at start, whatever the informers hold (what a crashed run left
// is replaced even when there is nothing to program).
//
// Also ParseAll and Pointers: informer caches as parsed documents.
//
// Thread safety: Start and Stop from one thread; the callbacks run on the
// loop's thread only, never two at once. syncs() may be read from any.
#ifndef BERTH_PLUGINS_COMMON_COALESCING_SYNC_H_
#define BERTH_PLUGINS_COMMON_COALESCING_SYNC_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "berth/host.h"
#include "berth/informer.h"
#include "berth/json.h"

namespace berth::common {

struct CoalescingSyncOptions {
  std::chrono::milliseconds min_period{50};
  std::chrono::milliseconds retry{1000};
  // Zero: no periodic resync.
  std::chrono::milliseconds resync_period{0};
};

class CoalescingSync {
 public:
  // `sync` returns whether it succeeded; `resync` (may be empty) runs
  // before a periodic sync.
  CoalescingSync(CoalescingSyncOptions options, std::function<bool()> sync,
                 std::function<void()> resync = nullptr)
      : options_(options), sync_(std::move(sync)), resync_(std::move(resync)) {}
  ~CoalescingSync() { Stop(); }
  CoalescingSync(const CoalescingSync&) = delete;
  CoalescingSync& operator=(const CoalescingSync&) = delete;

  // Watches `informers` (they must outlive Stop) and starts the thread;
  // a first sync follows at once. May be called again after Stop.
  void Start(const std::vector<Informer*>& informers);
  // Removes the handlers and joins the thread. Idempotent.
  void Stop();
  // Syncs attempted so far.
  uint64_t syncs() const;

 private:
  void Loop();

  const CoalescingSyncOptions options_;
  const std::function<bool()> sync_;
  const std::function<void()> resync_;
  std::vector<std::pair<Informer*, uint64_t>> handlers_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool dirty_ = true;  // a first sync at start, changes or not
  bool stopping_ = false;
  uint64_t syncs_ = 0;
  std::thread thread_;
};

// Every cached object parsed; unparsable ones are skipped.
std::vector<JsonDoc> ParseAll(const std::vector<CachedObject>& objects);

// Pointers to `docs`, valid while they live.
std::vector<const Json*> Pointers(const std::vector<JsonDoc>& docs);

}  // namespace berth::common

#endif  // BERTH_PLUGINS_COMMON_COALESCING_SYNC_H_
