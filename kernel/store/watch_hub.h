// WatchHub: the watch window (the most recent events, kept so a watch can
// resume from an older revision) and the open watchers, each with its own
// event queue, fed when a batch of writes commits.
//
// Thread safety: all methods are safe to call concurrently; Publish must be
// called by one thread at a time, in revision order.
#ifndef BERTH_KERNEL_STORE_WATCH_HUB_H_
#define BERTH_KERNEL_STORE_WATCH_HUB_H_

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "berth/status.h"
#include "kernel/store/store.h"

namespace berth::store {

// One committed change. `prev` is the object before the change (empty for
// ADDED): watchers with a predicate need it to turn a change that leaves or
// enters their selection into DELETED or ADDED.
struct WindowEntry {
  Event event;
  Object prev;
};

// A WindowEntry as the hub fans it out: the event shared with every
// watcher that gets it unchanged (and freed once they all have sent it;
// the window keeps its own copy, without the API layer's encoded bytes).
// `prev` points into the WindowEntry, which outlives the fan-out.
struct SharedWindowEntry {
  EventPtr event;
  const Object* prev = nullptr;
};

class WatcherState;

class WatchHub : public std::enable_shared_from_this<WatchHub> {
 public:
  // `start_revision`: every event after it will be in the window (the store
  // revision at open, when the window is empty). The window keeps at most
  // `window_events` events and `window_bytes` bytes of object data.
  WatchHub(size_t window_events, size_t window_bytes, size_t queue_limit,
           uint64_t start_revision);
  WatchHub(const WatchHub&) = delete;
  WatchHub& operator=(const WatchHub&) = delete;

  // Opens a watcher on keys under `prefix` matching `pred`: `initial` is
  // queued first, then every event after `from_revision`, from the window
  // and then from Publish. Gone when events after `from_revision` have left
  // the window. `from_revision` may be ahead of what was published (the
  // store's state at `from_revision` being in `initial`): the events up to
  // it are skipped when they arrive.
  StatusOr<std::unique_ptr<Watcher>> Register(std::string prefix,
                                              Predicate pred,
                                              uint64_t from_revision,
                                              std::vector<Event> initial);

  // Appends a committed batch (non-empty, in revision order) to the window,
  // trims the window to its size, and fans the events out: each event is
  // copied once into the window and once into an event all the watchers
  // share. A watcher whose queue overflows is closed with Gone.
  void Publish(const std::vector<WindowEntry>& entries);

  // Closes every open watcher with `why` (store shutdown).
  void CloseAll(const Status& why);

 private:
  friend class WatchHandle;
  void Unregister(uint64_t id);

  std::vector<SharedWindowEntry> batch_;  // Publish's scratch, under mu_

  const size_t window_events_;
  const size_t window_bytes_;
  const size_t queue_limit_;
  mutable std::mutex mu_;
  std::deque<WindowEntry> window_;
  size_t window_size_bytes_ = 0;  // EntryBytes summed over window_
  // Every published event with a revision > window_start_ is in window_.
  uint64_t window_start_;
  uint64_t published_;  // revision of the last published event
  uint64_t next_id_ = 1;
  std::map<uint64_t, std::shared_ptr<WatcherState>> watchers_;
};

}  // namespace berth::store

#endif  // BERTH_KERNEL_STORE_WATCH_HUB_H_
