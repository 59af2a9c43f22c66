// SchedulingQueue: kube-scheduler's priority queue of pending pods. activeQ
// pops by priority (highest first) then by when the pod was queued; a pod
// that failed waits in backoffQ (1s doubling per attempt, capped at 10s) or,
// when no node fitted, in the unschedulable set until a cluster event that
// could help (node added or updated, a pod deleted) moves it back. A pod
// unschedulable for 5 minutes is retried anyway.
//
// Thread safety: every method may be called from any thread; Pop blocks.
#ifndef BERTH_PLUGINS_SCHEDULER_RUNTIME_SCHEDULING_QUEUE_H_
#define BERTH_PLUGINS_SCHEDULER_RUNTIME_SCHEDULING_QUEUE_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <tuple>

#include "berth/scheduler.h"

namespace berth::scheduler {

using Clock = std::chrono::steady_clock;

// A pod in the queue with its attempt history.
struct QueuedPod {
  std::shared_ptr<const PodInfo> pod;
  int attempts = 0;
  Clock::time_point timestamp;  // when it last entered activeQ
  Clock::time_point initial_attempt;
  // The scheduling cycle in which it was popped.
  int64_t cycle = 0;
};

class SchedulingQueue {
 public:
  struct Options {
    std::chrono::milliseconds initial_backoff{1000};
    std::chrono::milliseconds max_backoff{10000};
    std::chrono::milliseconds max_unschedulable{5 * 60 * 1000};
  };
  explicit SchedulingQueue(Options options);
  SchedulingQueue() : SchedulingQueue(Options{}) {}

  // A new pending pod, or a newer version of one already queued (which keeps
  // its place; an unschedulable one is moved to activeQ, since the change
  // may make it fit).
  void AddOrUpdate(std::shared_ptr<const PodInfo> pod);
  // Forgets the pod (deleted, or bound by someone else).
  void Delete(const std::string& key);
  // The next pod to schedule; nullopt once Close was called. Flushes
  // completed backoffs and long-unschedulable pods while it waits.
  std::optional<QueuedPod> Pop();
  // A pod whose attempt found no node. It waits in the unschedulable set,
  // or in backoffQ when a cluster event happened since it was popped.
  void AddUnschedulable(QueuedPod qp);
  // A pod whose attempt failed with an error: backoffQ.
  void AddBackoff(QueuedPod qp);
  // A cluster event that could make pods fit: unschedulable pods go to
  // backoffQ (still backing off) or activeQ.
  void MoveAllToActiveOrBackoff();
  // Wakes Pop, which then returns nullopt.
  void Close();

  // Sizes, for tests and logs.
  size_t ActiveSize() const;
  size_t BackoffSize() const;
  size_t UnschedulableSize() const;

  // Flushes backoff and unschedulable entries as if `now` had come (tests).
  void FlushForTest(Clock::time_point now);

  static std::string KeyOf(const PodInfo& pod) {
    return pod.ns + "/" + pod.name;
  }

 private:
  using ActiveKey = std::tuple<int64_t, Clock::time_point, std::string>;
  using BackoffKey = std::pair<Clock::time_point, std::string>;
  enum class Where { kActive, kBackoff, kUnschedulable, kInFlight };
  struct Entry {
    QueuedPod qp;
    Where where = Where::kActive;
    ActiveKey active_key;
    BackoffKey backoff_key;
  };

  Clock::duration BackoffOf(const QueuedPod& qp) const;
  void PushActiveLocked(Entry& e, Clock::time_point now);
  void PushBackoffLocked(Entry& e);
  void RemoveLocked(Entry& e);
  void FlushLocked(Clock::time_point now);

  const Options options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool closed_ = false;
  int64_t cycle_ = 0;
  int64_t move_request_cycle_ = -1;
  std::map<std::string, Entry> entries_;
  std::set<ActiveKey> active_;
  std::set<BackoffKey> backoff_;
  // Unschedulable pods by when they became so.
  std::map<std::string, Clock::time_point> unschedulable_;
};

}  // namespace berth::scheduler

#endif  // BERTH_PLUGINS_SCHEDULER_RUNTIME_SCHEDULING_QUEUE_H_
