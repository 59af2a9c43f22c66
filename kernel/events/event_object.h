// Event objects: the core/v1 Event JSON the EventRecorder creates for a new
// event and the merge patch it sends for a repeat, shaped like client-go's
// recorder output (involvedObject, source, reportingComponent, first and
// last timestamps, count) so that `kubectl describe` and `kubectl get
// events` show them as they show Kubernetes' own.
//
// Thread safety: pure functions.
#ifndef BERTH_KERNEL_EVENTS_EVENT_OBJECT_H_
#define BERTH_KERNEL_EVENTS_EVENT_OBJECT_H_

#include <string>

#include "kernel/events/event_correlator.h"

namespace berth::events {

// RFC 3339 in UTC with whole seconds ("2026-11-22T03:04:05Z"), as
// metav1.Time is serialized.
std::string Rfc3339(Clock::time_point t);

// The Event to create for `e` as correlated by `c` (c.create is true).
std::string NewEventJson(const EventRecord& e, const Correlation& c);

// The merge patch that records a repeat: count and lastTimestamp.
std::string RepeatPatchJson(const Correlation& c);

}  // namespace berth::events

#endif  // BERTH_KERNEL_EVENTS_EVENT_OBJECT_H_
