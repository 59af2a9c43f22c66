// PodSpec: defaulting, validation and strategic-merge keys of a
// core/v1 PodSpec, shared by Pod and by every kind embedding a pod template
// (Deployment, Job, ... in other plugins, which copy this pattern). Each
// function takes the path of the PodSpec inside its object ("spec" for a
// Pod, "spec.template.spec" for a template) so causes and merge keys come
// out with the right field paths.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_CORE_POD_SPEC_H_
#define BERTH_PLUGINS_CORE_POD_SPEC_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "berth/json.h"
#include "berth/kind.h"

namespace berth::core {

// SetDefaults_PodSpec and the defaults of the types inside it (containers,
// ports, probes, volumes, env field refs). `spec` must be an object.
// Defaults that Kubernetes applies to Pods only (enableServiceLinks,
// priority, requests from limits, host-network ports) are not filled here.
void DefaultPodSpec(Json& spec, JsonAlloc& alloc);

// Container image pull policy default: Always for ":latest" or an untagged
// image, IfNotPresent otherwise (a digest counts as a tag).
std::string DefaultPullPolicy(std::string_view image);

// ValidatePodSpec's checks, appending one cause per problem with paths
// below `path`.
void ValidatePodSpec(const Json& spec, const std::string& path,
                     std::vector<FieldCause>& causes);

// The merge key of the list at `list_path` when it lies inside the PodSpec
// at `spec_path` ("spec.template.spec.containers" with spec_path
// "spec.template.spec" -> "name"); nullopt otherwise.
std::optional<std::string> PodSpecMergeKey(std::string_view list_path,
                                           std::string_view spec_path);

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_POD_SPEC_H_
