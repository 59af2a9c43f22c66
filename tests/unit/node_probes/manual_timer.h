// ManualTimer: a Timer for tests. Time moves only when the test says so;
// due tasks run on the test's thread inside Advance.
//
// Thread safety: one thread (the test's).
#ifndef BERTH_TESTS_UNIT_NODE_PROBES_MANUAL_TIMER_H_
#define BERTH_TESTS_UNIT_NODE_PROBES_MANUAL_TIMER_H_

#include <algorithm>
#include <functional>
#include <map>

#include "probes/timer.h"

namespace berth::node {

class ManualTimer : public Timer {
 public:
  std::chrono::system_clock::time_point Now() override { return now_; }
  TaskId Schedule(std::chrono::milliseconds delay,
                  std::function<void()> fn) override {
    tasks_[next_] = {now_ + delay, std::move(fn)};
    return next_++;
  }
  void Cancel(TaskId id) override { tasks_.erase(id); }
  // Moves time forward by `d`, running what falls due.
  void Advance(std::chrono::milliseconds d) {
    const auto until = now_ + d;
    while (true) {
      auto next = tasks_.end();
      for (auto it = tasks_.begin(); it != tasks_.end(); ++it) {
        if (it->second.first <= until &&
            (next == tasks_.end() || it->second.first < next->second.first)) {
          next = it;
        }
      }
      if (next == tasks_.end()) break;
      now_ = std::max(now_, next->second.first);
      auto fn = std::move(next->second.second);
      tasks_.erase(next);
      fn();
    }
    now_ = until;
  }
  size_t pending() const { return tasks_.size(); }

 private:
  std::chrono::system_clock::time_point now_ =
      std::chrono::system_clock::time_point(std::chrono::seconds(1700000000));
  TaskId next_ = 1;
  std::map<TaskId, std::pair<std::chrono::system_clock::time_point,
                             std::function<void()>>>
      tasks_;
};

}  // namespace berth::node

#endif  // BERTH_TESTS_UNIT_NODE_PROBES_MANUAL_TIMER_H_
