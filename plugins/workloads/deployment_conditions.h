// DeploymentConditions: the Available and Progressing conditions of a
// Deployment's status, with deploymentutil's rules — setting a condition
// whose status and reason are unchanged does nothing; a changed reason
// with the same status keeps lastTransitionTime; the set condition moves
// to the end of the list. Also the reasons and the progress predicates.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_WORKLOADS_DEPLOYMENT_CONDITIONS_H_
#define BERTH_PLUGINS_WORKLOADS_DEPLOYMENT_CONDITIONS_H_

#include <string>

#include "berth/json.h"

namespace berth::workloads {

inline constexpr char kAvailable[] = "Available";
inline constexpr char kProgressing[] = "Progressing";
inline constexpr char kNewReplicaSetCreated[] = "NewReplicaSetCreated";
inline constexpr char kFoundNewReplicaSet[] = "FoundNewReplicaSet";
inline constexpr char kReplicaSetUpdated[] = "ReplicaSetUpdated";
inline constexpr char kNewReplicaSetAvailable[] = "NewReplicaSetAvailable";
inline constexpr char kProgressDeadlineExceeded[] = "ProgressDeadlineExceeded";
inline constexpr char kDeploymentPaused[] = "DeploymentPaused";
inline constexpr char kDeploymentResumed[] = "DeploymentResumed";
inline constexpr char kMinimumReplicasAvailable[] = "MinimumReplicasAvailable";
inline constexpr char kMinimumReplicasUnavailable[] =
    "MinimumReplicasUnavailable";

// The condition of `type` in status.conditions, or nullptr.
const Json* GetCondition(const Json& status, const std::string& type);

// SetDeploymentCondition on `status` (an object) at time `now` (RFC 3339).
// Returns true when the status changed.
bool SetCondition(Json& status, const std::string& type,
                  const std::string& cond_status, const std::string& reason,
                  const std::string& message, const std::string& now,
                  JsonAlloc& alloc);

// Removes the condition of `type`; true when there was one.
bool RemoveCondition(Json& status, const std::string& type);

}  // namespace berth::workloads

#endif  // BERTH_PLUGINS_WORKLOADS_DEPLOYMENT_CONDITIONS_H_
