// KeyQueue: the node agents' (sim and real) work queue of string keys, shaped
// like client-go's workqueue: a key is queued at most once (dirty set), never
// handed to two workers at once (processing set: an Add while it is processed
// queues it again when Done), and AddAfter delays an add. As client-go's
// delaying queue, a key waits at most once: a later AddAfter of a key already
// waiting keeps the earlier time, so two requeues of one key do not come due
// one after the other and sync it twice in a row. The kernel's queue is not
// part of the SDK, so the plugin keeps this small one.
//
// Thread safety: all methods may be called from any thread.
#ifndef BERTH_PLUGINS_NODE_COMMON_KEY_QUEUE_H_
#define BERTH_PLUGINS_NODE_COMMON_KEY_QUEUE_H_

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <queue>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace berth::kubelet {

class KeyQueue {
 public:
  using Clock = std::chrono::steady_clock;

  void Add(const std::string& key);
  // Adds `key` once `delay` has passed (at once when it is not positive);
  // nothing when `key` already waits to be added sooner.
  void AddAfter(const std::string& key, std::chrono::milliseconds delay);
  // Blocks until a key is ready (true) or the queue is shut down (false).
  // The caller must call Done(key) when finished with it.
  bool Get(std::string* key);
  void Done(const std::string& key);
  // Wakes every Get with false; later adds are dropped.
  void ShutDown();

 private:
  void AddLocked(const std::string& key);

  using Delayed = std::pair<Clock::time_point, std::string>;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;
  std::unordered_set<std::string> dirty_;
  std::unordered_set<std::string> processing_;
  std::priority_queue<Delayed, std::vector<Delayed>, std::greater<Delayed>>
      delayed_;
  // When each waiting key is due; delayed_ entries that differ are stale.
  std::unordered_map<std::string, Clock::time_point> waiting_;
  bool shut_down_ = false;
};

}  // namespace berth::kubelet

#endif  // BERTH_PLUGINS_NODE_COMMON_KEY_QUEUE_H_
