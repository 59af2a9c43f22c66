#include "key_queue.h"

namespace berth::kubelet {

void KeyQueue::AddLocked(const std::string& key) {
  if (shut_down_ || !dirty_.insert(key).second) return;
  if (processing_.count(key)) return;  // queued again by Done
  queue_.push_back(key);
  cv_.notify_one();
}

void KeyQueue::Add(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  AddLocked(key);
}

void KeyQueue::AddAfter(const std::string& key,
                        std::chrono::milliseconds delay) {
  std::lock_guard<std::mutex> lock(mu_);
  if (delay <= std::chrono::milliseconds::zero()) {
    AddLocked(key);
    return;
  }
  if (shut_down_) return;
  const Clock::time_point due = Clock::now() + delay;
  auto [it, added] = waiting_.emplace(key, due);
  if (!added) {
    if (it->second <= due) return;
    it->second = due;  // the entry already in delayed_ becomes stale
  }
  delayed_.emplace(due, key);
  // A sleeping Get may need to wake earlier for this one.
  cv_.notify_all();
}

bool KeyQueue::Get(std::string* key) {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    if (shut_down_) return false;
    const auto now = Clock::now();
    while (!delayed_.empty() && delayed_.top().first <= now) {
      auto [due, k] = delayed_.top();
      delayed_.pop();
      auto w = waiting_.find(k);
      if (w == waiting_.end() || w->second != due) continue;  // stale
      waiting_.erase(w);
      AddLocked(k);
    }
    if (!queue_.empty()) break;
    if (delayed_.empty()) {
      cv_.wait(lock);
    } else {
      cv_.wait_until(lock, delayed_.top().first);
    }
  }
  *key = std::move(queue_.front());
  queue_.pop_front();
  dirty_.erase(*key);
  processing_.insert(*key);
  return true;
}

void KeyQueue::Done(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  processing_.erase(key);
  if (dirty_.count(key)) {
    queue_.push_back(key);
    cv_.notify_one();
  }
}

void KeyQueue::ShutDown() {
  std::lock_guard<std::mutex> lock(mu_);
  shut_down_ = true;
  cv_.notify_all();
}

}  // namespace berth::kubelet
