// WorkloadSpec: the checks and defaults a ReplicaSet and a Deployment
// share — the selector, the pod template it must match, replicas and
// minReadySeconds — with Kubernetes' apps validation messages.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_WORKLOADS_WORKLOAD_SPEC_H_
#define BERTH_PLUGINS_WORKLOADS_WORKLOAD_SPEC_H_

#include <optional>
#include <string>
#include <vector>

#include "berth/json.h"
#include "berth/kind.h"

namespace berth::workloads {

// Defaults `spec.replicas` to 1 and the pod template's PodSpec. `obj` is
// the whole object.
void DefaultReplicatedSpec(Json& obj, JsonAlloc& alloc);

// ValidateReplicaSetSpec's common part: replicas and minReadySeconds not
// negative, selector required, non-empty and well formed, template labels
// matching the selector, the template's PodSpec, restartPolicy Always, no
// activeDeadlineSeconds. On update (`old` set) the selector is immutable.
void ValidateReplicatedSpec(const Json& obj, const Json* old,
                            std::vector<FieldCause>& causes);

// The merge key of a list inside a workload object: the template's PodSpec
// lists and status.conditions ("type").
std::optional<std::string> WorkloadMergeKey(const std::string& path);

// The "CONTAINERS", "IMAGES" and "SELECTOR" wide cells of the template and
// selector, as kubectl prints them (names and images joined by ",").
void AppendTemplateCells(const Json& obj, Json& cells, JsonAlloc& alloc);

// "metadata.annotations" of `obj`, or nullptr.
const Json* Annotations(const Json& obj);

}  // namespace berth::workloads

#endif  // BERTH_PLUGINS_WORKLOADS_WORKLOAD_SPEC_H_
