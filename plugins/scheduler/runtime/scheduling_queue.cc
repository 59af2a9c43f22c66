#include "scheduling_queue.h"

#include <algorithm>

namespace berth::scheduler {

SchedulingQueue::SchedulingQueue(Options options) : options_(options) {}

Clock::duration SchedulingQueue::BackoffOf(const QueuedPod& qp) const {
  Clock::duration d = options_.initial_backoff;
  for (int i = 1; i < qp.attempts && d < options_.max_backoff; ++i) d *= 2;
  return std::min<Clock::duration>(d, options_.max_backoff);
}

void SchedulingQueue::PushActiveLocked(Entry& e, Clock::time_point now) {
  e.qp.timestamp = now;
  e.active_key = {-static_cast<int64_t>(e.qp.pod->priority), now,
                  KeyOf(*e.qp.pod)};
  active_.insert(e.active_key);
  e.where = Where::kActive;
  cv_.notify_one();
}

void SchedulingQueue::PushBackoffLocked(Entry& e) {
  e.backoff_key = {e.qp.timestamp + BackoffOf(e.qp), KeyOf(*e.qp.pod)};
  backoff_.insert(e.backoff_key);
  e.where = Where::kBackoff;
  cv_.notify_one();
}

void SchedulingQueue::RemoveLocked(Entry& e) {
  switch (e.where) {
    case Where::kActive:
      active_.erase(e.active_key);
      break;
    case Where::kBackoff:
      backoff_.erase(e.backoff_key);
      break;
    case Where::kUnschedulable:
      unschedulable_.erase(KeyOf(*e.qp.pod));
      break;
    case Where::kInFlight:
      break;
  }
}

void SchedulingQueue::AddOrUpdate(std::shared_ptr<const PodInfo> pod) {
  std::lock_guard<std::mutex> lock(mu_);
  if (closed_) return;
  std::string key = KeyOf(*pod);
  auto it = entries_.find(key);
  Clock::time_point now = Clock::now();
  if (it == entries_.end()) {
    Entry& e = entries_[key];
    e.qp.pod = std::move(pod);
    e.qp.initial_attempt = now;
    PushActiveLocked(e, now);
    return;
  }
  Entry& e = it->second;
  e.qp.pod = std::move(pod);
  if (e.where == Where::kUnschedulable) {
    RemoveLocked(e);
    PushActiveLocked(e, now);
  }
}

void SchedulingQueue::Delete(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return;
  RemoveLocked(it->second);
  entries_.erase(it);
}

void SchedulingQueue::FlushLocked(Clock::time_point now) {
  while (!backoff_.empty() && backoff_.begin()->first <= now) {
    std::string key = backoff_.begin()->second;
    backoff_.erase(backoff_.begin());
    PushActiveLocked(entries_.at(key), now);
  }
  for (auto it = unschedulable_.begin(); it != unschedulable_.end();) {
    if (now - it->second < options_.max_unschedulable) {
      ++it;
      continue;
    }
    Entry& e = entries_.at(it->first);
    it = unschedulable_.erase(it);
    PushActiveLocked(e, now);
  }
}

std::optional<QueuedPod> SchedulingQueue::Pop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    if (closed_) return std::nullopt;
    Clock::time_point now = Clock::now();
    FlushLocked(now);
    if (!active_.empty()) {
      ActiveKey top = *active_.begin();
      active_.erase(active_.begin());
      Entry& e = entries_.at(std::get<2>(top));
      e.where = Where::kInFlight;
      e.qp.attempts++;
      e.qp.cycle = ++cycle_;
      return e.qp;
    }
    Clock::time_point wake = now + std::chrono::seconds(1);
    if (!backoff_.empty()) wake = std::min(wake, backoff_.begin()->first);
    cv_.wait_until(lock, wake);
  }
}

void SchedulingQueue::AddUnschedulable(QueuedPod qp) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(KeyOf(*qp.pod));
  // Deleted or bound while it was being scheduled.
  if (it == entries_.end() || it->second.where != Where::kInFlight) return;
  Entry& e = it->second;
  e.qp.attempts = qp.attempts;
  e.qp.timestamp = Clock::now();
  if (move_request_cycle_ >= qp.cycle) {
    PushBackoffLocked(e);
  } else {
    e.where = Where::kUnschedulable;
    unschedulable_[KeyOf(*e.qp.pod)] = e.qp.timestamp;
  }
}

void SchedulingQueue::AddBackoff(QueuedPod qp) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(KeyOf(*qp.pod));
  if (it == entries_.end()) return;
  Entry& e = it->second;
  RemoveLocked(e);
  e.qp.attempts = qp.attempts;
  e.qp.timestamp = Clock::now();
  PushBackoffLocked(e);
}

void SchedulingQueue::MoveAllToActiveOrBackoff() {
  std::lock_guard<std::mutex> lock(mu_);
  move_request_cycle_ = cycle_;
  Clock::time_point now = Clock::now();
  for (const auto& [key, since] : unschedulable_) {
    Entry& e = entries_.at(key);
    if (e.qp.timestamp + BackoffOf(e.qp) > now) {
      PushBackoffLocked(e);
    } else {
      PushActiveLocked(e, now);
    }
  }
  unschedulable_.clear();
}

void SchedulingQueue::Close() {
  std::lock_guard<std::mutex> lock(mu_);
  closed_ = true;
  cv_.notify_all();
}

size_t SchedulingQueue::ActiveSize() const {
  std::lock_guard<std::mutex> lock(mu_);
  return active_.size();
}
size_t SchedulingQueue::BackoffSize() const {
  std::lock_guard<std::mutex> lock(mu_);
  return backoff_.size();
}
size_t SchedulingQueue::UnschedulableSize() const {
  std::lock_guard<std::mutex> lock(mu_);
  return unschedulable_.size();
}

void SchedulingQueue::FlushForTest(Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  FlushLocked(now);
}

}  // namespace berth::scheduler
