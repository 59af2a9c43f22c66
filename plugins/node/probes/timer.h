// Timer: the clock and scheduler probe workers run on, injectable so tests
// drive time by hand. ThreadTimer is the real one: callbacks run on a small
// pool of its threads (a probe may block for its timeout, so one slow probe
// must not hold up the others).
//
// Thread safety: every method may be called from any thread, also from
// inside a callback.
#ifndef BERTH_PLUGINS_NODE_PROBES_TIMER_H_
#define BERTH_PLUGINS_NODE_PROBES_TIMER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace berth::node {

class Timer {
 public:
  using TaskId = uint64_t;
  virtual ~Timer() = default;
  // Wall-clock now (compared with a container's startedAt).
  virtual std::chrono::system_clock::time_point Now() = 0;
  // Runs `fn` once, `delay` from now. Returns an id for Cancel.
  virtual TaskId Schedule(std::chrono::milliseconds delay,
                          std::function<void()> fn) = 0;
  // The task will not start after this returns; when it is running on
  // another thread, waits for it to finish (not when called from the task
  // itself).
  virtual void Cancel(TaskId id) = 0;
};

class ThreadTimer : public Timer {
 public:
  explicit ThreadTimer(int threads = 4);
  // Cancels what is pending and joins the threads.
  ~ThreadTimer() override;

  std::chrono::system_clock::time_point Now() override;
  TaskId Schedule(std::chrono::milliseconds delay,
                  std::function<void()> fn) override;
  void Cancel(TaskId id) override;

 private:
  void Loop();

  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  TaskId next_id_ = 1;
  // Due time → task; ids of pending tasks map to their due time.
  std::multimap<std::chrono::steady_clock::time_point,
                std::pair<TaskId, std::function<void()>>>
      queue_;
  std::set<TaskId> running_;
  std::map<TaskId, std::thread::id> running_on_;
  std::vector<std::thread> threads_;
};

}  // namespace berth::node

#endif  // BERTH_PLUGINS_NODE_PROBES_TIMER_H_
