// kube-scheduler's helper.DefaultNormalizeScore: scales scores so the
// highest becomes `max_priority` (or, reversed, the lowest does).
//
// Thread safety: pure function.
#ifndef BERTH_PLUGINS_SCHEDULER_FRAMEWORK_NORMALIZE_H_
#define BERTH_PLUGINS_SCHEDULER_FRAMEWORK_NORMALIZE_H_

#include <vector>

#include "berth/scheduler.h"

namespace berth::scheduler {

inline void DefaultNormalizeScore(int64_t max_priority, bool reverse,
                                  std::vector<NodeScore>& scores) {
  int64_t max = 0;
  for (const auto& s : scores) max = std::max(max, s.score);
  if (max == 0) {
    if (reverse) {
      for (auto& s : scores) s.score = max_priority;
    }
    return;
  }
  for (auto& s : scores) {
    s.score = max_priority * s.score / max;
    if (reverse) s.score = max_priority - s.score;
  }
}

}  // namespace berth::scheduler

#endif  // BERTH_PLUGINS_SCHEDULER_FRAMEWORK_NORMALIZE_H_
