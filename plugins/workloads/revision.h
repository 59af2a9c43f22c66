// Revision: the annotations through which a Deployment and its
// ReplicaSets record rollout history — `deployment.kubernetes.io/revision`
// (a template that comes back gets max+1), `desired-replicas` and
// `max-replicas` (what proportional scaling reads), and which of the
// Deployment's own annotations its ReplicaSets copy.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_WORKLOADS_REVISION_H_
#define BERTH_PLUGINS_WORKLOADS_REVISION_H_

#include <cstdint>
#include <optional>
#include <string>

#include "berth/json.h"

namespace berth::workloads {

inline constexpr char kRevisionAnnotation[] =
    "deployment.kubernetes.io/revision";
inline constexpr char kDesiredReplicasAnnotation[] =
    "deployment.kubernetes.io/desired-replicas";
inline constexpr char kMaxReplicasAnnotation[] =
    "deployment.kubernetes.io/max-replicas";

// The object's revision annotation as a number; 0 when absent or invalid.
int64_t Revision(const Json& obj);

// An integer annotation of `obj`, nullopt when absent or not a number.
std::optional<int64_t> IntAnnotation(const Json& obj, const char* key);

// SetNewReplicaSetAnnotations: copies the Deployment's annotations (all but
// kubectl's last-applied and the deployment.kubernetes.io ones), raises
// the revision to `new_revision` when it is lower, and for a ReplicaSet
// being created (`exists` false) sets desired/max replicas. True when the
// ReplicaSet's annotations changed.
bool SetNewReplicaSetAnnotations(const Json& deployment, Json& rs,
                                 int64_t new_revision, bool exists,
                                 int64_t desired, int64_t max_total,
                                 JsonAlloc& alloc);

// Sets desired-replicas and max-replicas; true when either changed.
bool SetReplicasAnnotations(Json& rs, int64_t desired, int64_t max_total,
                            JsonAlloc& alloc);

// SetDeploymentRevision: the Deployment's revision annotation; true when
// it changed.
bool SetDeploymentRevision(Json& deployment, const std::string& revision,
                           JsonAlloc& alloc);

}  // namespace berth::workloads

#endif  // BERTH_PLUGINS_WORKLOADS_REVISION_H_
