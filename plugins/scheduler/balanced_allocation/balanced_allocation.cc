#include "balanced_allocation.h"

#include <algorithm>
#include <cmath>

namespace berth::scheduler {

SchedulingStatus BalancedAllocation::Score(const CycleState&,
                                           const PodInfo& pod,
                                           const NodeInfo& node,
                                           int64_t& score) {
  auto fraction = [](int64_t requested, int64_t capacity) {
    if (capacity <= 0) return 1.0;
    return std::min(1.0, static_cast<double>(requested) / capacity);
  };
  double cpu = fraction(node.requested.milli_cpu + pod.requests.milli_cpu,
                        node.allocatable.milli_cpu);
  double mem = fraction(node.requested.memory + pod.requests.memory,
                        node.allocatable.memory);
  // The standard deviation of two values is half their distance.
  double std_dev = std::fabs(cpu - mem) / 2;
  score = static_cast<int64_t>((1 - std_dev) * kMaxNodeScore);
  return {};
}

}  // namespace berth::scheduler
