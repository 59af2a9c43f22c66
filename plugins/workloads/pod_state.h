// PodState: what the workload controllers read off a Pod — whether it
// still counts (active), is Ready, has been Ready long enough to be
// available, and the order in which a ReplicaSet gives pods up when it
// scales down (controller.ActivePods: the cheapest pods to lose first).
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_WORKLOADS_POD_STATE_H_
#define BERTH_PLUGINS_WORKLOADS_POD_STATE_H_

#include <chrono>
#include <optional>

#include "berth/json.h"

namespace berth::workloads {

using TimePoint = std::chrono::system_clock::time_point;

// Not Succeeded, not Failed, and not being deleted.
bool IsPodActive(const Json& pod);

// The Ready condition is True.
bool IsPodReady(const Json& pod);

// When the Ready condition last became True; nullopt when the pod is not
// Ready or the time is missing.
std::optional<TimePoint> ReadySince(const Json& pod);

// podutil.IsPodAvailable: Ready, and Ready for at least min_ready_seconds
// at `now` (a missing transition time counts as long ago).
bool IsPodAvailable(const Json& pod, int64_t min_ready_seconds, TimePoint now);

// controller.ActivePods' Less: true when `a` should be deleted before `b`.
// In order: unassigned before assigned; Pending before Unknown before
// Running; not ready before ready; ready for less time before more;
// more container restarts before fewer; newer before older.
bool DeletesFirst(const Json& a, const Json& b);

}  // namespace berth::workloads

#endif  // BERTH_PLUGINS_WORKLOADS_POD_STATE_H_
