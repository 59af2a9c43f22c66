// RollingUpdate arithmetic of the Kubernetes deployment controller: int or
// percent values scaled against the replica count (maxSurge rounds up,
// maxUnavailable rounds down), the fenceposts, how far the new ReplicaSet
// may grow, how far old ones may shrink, and proportional scaling shares.
// Plain integers in and out so the rules are testable on their own.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_WORKLOADS_ROLLING_UPDATE_H_
#define BERTH_PLUGINS_WORKLOADS_ROLLING_UPDATE_H_

#include <cstdint>
#include <string>

#include "berth/json.h"

namespace berth::workloads {

// intstr.GetScaledValueFromIntOrPercent: an integer as is; "N%" as N% of
// `total`, rounded up or down. Anything else is BadRequest with
// Kubernetes' wording. nullptr counts as 0.
StatusOr<int64_t> ScaledValue(const Json* value, int64_t total, bool round_up);

// True when `value` is a string of the form "N%" with N digits; sets *pct.
bool ParsePercent(const Json& value, int64_t* pct);

struct Fenceposts {
  int64_t max_surge = 0;
  int64_t max_unavailable = 0;
};

// deploymentutil.ResolveFenceposts: both scaled against `desired`; when
// both come out 0, maxUnavailable becomes 1 so a rollout can progress.
// Unparsable values count as 0 (validation refuses them earlier).
Fenceposts ResolveFenceposts(const Json* max_surge, const Json* max_unavailable,
                             int64_t desired);

// NewRSNewReplicas for RollingUpdate: the new ReplicaSet's next size given
// the deployment's `desired` replicas, `max_surge`, the sum of every
// ReplicaSet's spec.replicas and the new one's.
int64_t NewReplicaSetReplicas(int64_t desired, int64_t max_surge,
                              int64_t all_replicas, int64_t new_replicas);

// How many old pods may go now (reconcileOldReplicaSets' maxScaledDown):
// all - (desired - max_unavailable) - the new ReplicaSet's unavailable.
int64_t MaxScaledDown(int64_t all_replicas, int64_t desired,
                      int64_t max_unavailable, int64_t new_unavailable);

// getReplicaSetFraction: how much a ReplicaSet of `rs_replicas` that was
// sized for `annotated_max` total replicas grows (or shrinks, negative)
// when the deployment's allowed total becomes `allowed_total`
// (`desired` + surge; a `desired` of 0 empties it).
int64_t ReplicaSetFraction(int64_t rs_replicas, int64_t desired,
                           int64_t allowed_total, int64_t annotated_max);

}  // namespace berth::workloads

#endif  // BERTH_PLUGINS_WORKLOADS_ROLLING_UPDATE_H_
