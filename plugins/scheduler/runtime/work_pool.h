// WorkPool: up to `max_threads` threads running queued tasks, for the
// binding cycles and the API writes that report scheduling results. A
// thread starts only when a task finds none idle, so an idle scheduler
// holds no binder threads (64 binds in flight is the default, and most
// servers never bind that many at once). Tasks beyond `max_queued` are
// dropped (Submit returns false), as kube-scheduler's event broadcaster
// drops events under load rather than slowing scheduling.
//
// Thread safety: Submit from any thread; Stop joins, once.
#ifndef BERTH_PLUGINS_SCHEDULER_RUNTIME_WORK_POOL_H_
#define BERTH_PLUGINS_SCHEDULER_RUNTIME_WORK_POOL_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace berth::scheduler {

class WorkPool {
 public:
  WorkPool(int max_threads, size_t max_queued)
      : max_threads_(static_cast<size_t>(max_threads)),
        max_queued_(max_queued) {}
  ~WorkPool() { Stop(); }

  bool Submit(std::function<void()> task) {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ || (max_queued_ && tasks_.size() >= max_queued_)) {
      return false;
    }
    tasks_.push_back(std::move(task));
    if (idle_ < tasks_.size() && threads_.size() < max_threads_) {
      threads_.emplace_back([this] { Run(); });
    }
    cv_.notify_one();
    return true;
  }

  // Runs what is queued, then joins the threads.
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
      cv_.notify_all();
    }
    // No thread starts once stopping_ is set, so threads_ no longer changes.
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }

  // How many threads were started so far.
  size_t Threads() {
    std::lock_guard<std::mutex> lock(mu_);
    return threads_.size();
  }

 private:
  void Run() {
    while (true) {
      std::function<void()> task;
      {
        std::unique_lock<std::mutex> lock(mu_);
        ++idle_;
        cv_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
        --idle_;
        if (tasks_.empty()) return;
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task();
    }
  }

  const size_t max_threads_;
  const size_t max_queued_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  size_t idle_ = 0;  // threads waiting for a task
  std::deque<std::function<void()>> tasks_;
  std::vector<std::thread> threads_;
};

}  // namespace berth::scheduler

#endif  // BERTH_PLUGINS_SCHEDULER_RUNTIME_WORK_POOL_H_
