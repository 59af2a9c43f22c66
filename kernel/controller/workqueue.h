// WorkQueue: the rate-limited work queue behind every controller, with
// client-go's semantics. It is fair (FIFO) and stingy: a key added many
// times before a worker takes it is handed out once; a key is never handed
// to two workers at once; a key added while a worker processes it is queued
// again when that worker calls Done, so the change is not lost. Failed keys
// come back after a per-key exponential backoff (see ItemBackoff).
//
// A worker loops: Get(&key) -> work -> Forget/AddRateLimited/AddAfter ->
// Done(key).
//
// Thread safety: every method may be called from any thread concurrently.
#ifndef BERTH_KERNEL_CONTROLLER_WORKQUEUE_H_
#define BERTH_KERNEL_CONTROLLER_WORKQUEUE_H_

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "kernel/controller/rate_limiter.h"

namespace berth {

class WorkQueue {
 public:
  using Clock = std::chrono::steady_clock;

  explicit WorkQueue(
      std::chrono::milliseconds backoff_base = ItemBackoff::kDefaultBase,
      std::chrono::milliseconds backoff_max = ItemBackoff::kDefaultMax);
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  // Queues `key` unless it is already waiting to be handed out. Ignored
  // after ShutDown.
  void Add(const std::string& key);
  // Adds `key` once `delay` has passed; of several pending delays for one
  // key the earliest wins.
  void AddAfter(const std::string& key, std::chrono::milliseconds delay);
  // Adds `key` after its next backoff step: 5 ms, 10 ms, 20 ms ... up to the
  // cap, counting consecutive calls since the last Forget.
  void AddRateLimited(const std::string& key);
  // Resets the backoff of `key` (after it was processed successfully).
  void Forget(const std::string& key);
  // Rate-limited adds of `key` since the last Forget.
  int NumRequeues(const std::string& key) const;

  // Blocks until a key is ready, stores it in *key and marks it processing;
  // the caller must call Done(*key). Returns false, without a key, once the
  // queue is shut down.
  bool Get(std::string* key);
  // Ends processing of `key`; re-queues it if it was added meanwhile.
  void Done(const std::string& key);

  // Wakes every Get (they return false) and drops pending keys. Idempotent.
  void ShutDown();
  bool ShuttingDown() const;

  // Keys ready to be handed out now (not counting delayed ones).
  size_t Len() const;

 private:
  void AddLocked(const std::string& key);
  // Moves delayed keys whose time has come into the queue.
  void PromoteDueLocked(Clock::time_point now);

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool shutting_down_ = false;
  std::deque<std::string> queue_;               // order of hand-out
  std::unordered_set<std::string> dirty_;       // needs processing
  std::unordered_set<std::string> processing_;  // held by a worker
  std::unordered_map<std::string, Clock::time_point> waiting_;  // delayed
  std::set<std::pair<Clock::time_point, std::string>> waiting_order_;
  ItemBackoff backoff_;
};

}  // namespace berth

#endif  // BERTH_KERNEL_CONTROLLER_WORKQUEUE_H_
