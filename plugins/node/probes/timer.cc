#include "probes/timer.h"

namespace berth::node {

ThreadTimer::ThreadTimer(int threads) {
  for (int i = 0; i < std::max(threads, 1); ++i) {
    threads_.emplace_back([this] { Loop(); });
  }
}

ThreadTimer::~ThreadTimer() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stop_ = true;
    queue_.clear();
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

std::chrono::system_clock::time_point ThreadTimer::Now() {
  return std::chrono::system_clock::now();
}

Timer::TaskId ThreadTimer::Schedule(std::chrono::milliseconds delay,
                                    std::function<void()> fn) {
  std::lock_guard<std::mutex> l(mu_);
  const TaskId id = next_id_++;
  queue_.emplace(std::chrono::steady_clock::now() + delay,
                 std::make_pair(id, std::move(fn)));
  cv_.notify_all();
  return id;
}

void ThreadTimer::Cancel(TaskId id) {
  std::unique_lock<std::mutex> l(mu_);
  for (auto it = queue_.begin(); it != queue_.end(); ++it) {
    if (it->second.first == id) {
      queue_.erase(it);
      return;
    }
  }
  auto on = running_on_.find(id);
  if (on != running_on_.end() && on->second == std::this_thread::get_id()) {
    return;  // cancelling itself from inside the task
  }
  cv_.wait(l, [&] { return !running_.count(id); });
}

void ThreadTimer::Loop() {
  std::unique_lock<std::mutex> l(mu_);
  while (!stop_) {
    if (queue_.empty()) {
      cv_.wait(l);
      continue;
    }
    auto first = queue_.begin();
    if (first->first > std::chrono::steady_clock::now()) {
      // A copy: Cancel may erase the entry while this thread waits.
      const auto due = first->first;
      cv_.wait_until(l, due);
      continue;
    }
    const TaskId id = first->second.first;
    std::function<void()> fn = std::move(first->second.second);
    queue_.erase(first);
    running_.insert(id);
    running_on_[id] = std::this_thread::get_id();
    l.unlock();
    fn();
    l.lock();
    running_.erase(id);
    running_on_.erase(id);
    cv_.notify_all();
  }
}

}  // namespace berth::node
