// JobLabels: the label keys a Job's pods carry, as Kubernetes sets them —
// the batch.kubernetes.io/ keys and the legacy unprefixed ones that older
// selectors and tools still read — and the Job status text kubectl prints.
//
// Thread safety: constants and pure functions.
#ifndef BERTH_PLUGINS_WORKLOADS_JOB_LABELS_H_
#define BERTH_PLUGINS_WORKLOADS_JOB_LABELS_H_

#include <string>

#include "berth/json.h"

namespace berth::workloads {

inline constexpr char kJobControllerUidLabel[] =
    "batch.kubernetes.io/controller-uid";
inline constexpr char kJobNameLabel[] = "batch.kubernetes.io/job-name";
inline constexpr char kLegacyControllerUidLabel[] = "controller-uid";
inline constexpr char kLegacyJobNameLabel[] = "job-name";

// The STATUS column of `kubectl get jobs` (Complete, Failed, Terminating,
// Suspended, FailureTarget, SuccessCriteriaMet, Running).
std::string JobStatusText(const Json& job);

}  // namespace berth::workloads

#endif  // BERTH_PLUGINS_WORKLOADS_JOB_LABELS_H_
