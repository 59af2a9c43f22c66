#include "kernel/controller/workqueue.h"

namespace berth {

WorkQueue::WorkQueue(std::chrono::milliseconds backoff_base,
                     std::chrono::milliseconds backoff_max)
    : backoff_(backoff_base, backoff_max) {}

void WorkQueue::Add(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  AddLocked(key);
}

void WorkQueue::AddLocked(const std::string& key) {
  if (shutting_down_) return;
  if (!dirty_.insert(key).second) return;
  // A key being processed goes back into the queue at Done.
  if (processing_.count(key)) return;
  queue_.push_back(key);
  cv_.notify_one();
}

void WorkQueue::AddAfter(const std::string& key,
                         std::chrono::milliseconds delay) {
  if (delay <= std::chrono::milliseconds::zero()) {
    Add(key);
    return;
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (shutting_down_) return;
  Clock::time_point ready = Clock::now() + delay;
  auto [it, inserted] = waiting_.try_emplace(key, ready);
  if (!inserted) {
    if (it->second <= ready) return;
    waiting_order_.erase({it->second, key});
    it->second = ready;
  }
  waiting_order_.emplace(ready, key);
  // A Get may be sleeping until a later deadline (or none).
  cv_.notify_one();
}

void WorkQueue::AddRateLimited(const std::string& key) {
  AddAfter(key, backoff_.When(key));
}

void WorkQueue::Forget(const std::string& key) { backoff_.Forget(key); }

int WorkQueue::NumRequeues(const std::string& key) const {
  return backoff_.NumRequeues(key);
}

void WorkQueue::PromoteDueLocked(Clock::time_point now) {
  while (!waiting_order_.empty() && waiting_order_.begin()->first <= now) {
    std::string key = waiting_order_.begin()->second;
    waiting_order_.erase(waiting_order_.begin());
    waiting_.erase(key);
    AddLocked(key);
  }
}

bool WorkQueue::Get(std::string* key) {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    if (shutting_down_) return false;
    PromoteDueLocked(Clock::now());
    if (!queue_.empty()) break;
    if (waiting_order_.empty()) {
      cv_.wait(lock);
    } else {
      // A copy: the set may change while this thread sleeps.
      Clock::time_point next = waiting_order_.begin()->first;
      cv_.wait_until(lock, next);
    }
  }
  *key = std::move(queue_.front());
  queue_.pop_front();
  processing_.insert(*key);
  dirty_.erase(*key);
  // Promotion may have readied several keys; pass the wake-up on.
  if (!queue_.empty()) cv_.notify_one();
  return true;
}

void WorkQueue::Done(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  processing_.erase(key);
  if (dirty_.count(key) && !shutting_down_) {
    queue_.push_back(key);
    cv_.notify_one();
  }
}

void WorkQueue::ShutDown() {
  std::lock_guard<std::mutex> lock(mu_);
  shutting_down_ = true;
  queue_.clear();
  waiting_.clear();
  waiting_order_.clear();
  cv_.notify_all();
}

bool WorkQueue::ShuttingDown() const {
  std::lock_guard<std::mutex> lock(mu_);
  return shutting_down_;
}

size_t WorkQueue::Len() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

}  // namespace berth
