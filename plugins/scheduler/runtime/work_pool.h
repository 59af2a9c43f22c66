// WorkPool: a few threads running queued tasks, for the binding cycles and
// the API writes that report scheduling results. Tasks beyond `max_queued`
// are dropped (Submit returns false), as kube-scheduler's event broadcaster
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
  WorkPool(int threads, size_t max_queued) : max_queued_(max_queued) {
    for (int i = 0; i < threads; ++i) {
      threads_.emplace_back([this] { Run(); });
    }
  }
  ~WorkPool() { Stop(); }

  bool Submit(std::function<void()> task) {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ || (max_queued_ && tasks_.size() >= max_queued_)) {
      return false;
    }
    tasks_.push_back(std::move(task));
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
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }

 private:
  void Run() {
    while (true) {
      std::function<void()> task;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
        if (tasks_.empty()) return;
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task();
    }
  }

  const size_t max_queued_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::deque<std::function<void()>> tasks_;
  std::vector<std::thread> threads_;
};

}  // namespace berth::scheduler

#endif  // BERTH_PLUGINS_SCHEDULER_RUNTIME_WORK_POOL_H_
