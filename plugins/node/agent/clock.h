// Clock: where the node agent reads the time, so tests drive back-off and
// status timestamps with a fake one instead of sleeping.
//
// Thread safety: implementations must be safe from any thread.
#ifndef BERTH_PLUGINS_NODE_AGENT_CLOCK_H_
#define BERTH_PLUGINS_NODE_AGENT_CLOCK_H_

#include <chrono>

namespace berth::node {

class Clock {
 public:
  using TimePoint = std::chrono::system_clock::time_point;
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClock : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

}  // namespace berth::node

#endif  // BERTH_PLUGINS_NODE_AGENT_CLOCK_H_
