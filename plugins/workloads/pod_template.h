// PodTemplate: what every workload kind embedding a pod template at
// spec.template shares — defaulting the template's PodSpec, checking the
// selector against the template labels and the template's restartPolicy
// with Kubernetes' messages, merge keys under the template, and the
// Containers/Images/Selector cells of the wide Table output.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_WORKLOADS_POD_TEMPLATE_H_
#define BERTH_PLUGINS_WORKLOADS_POD_TEMPLATE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "berth/json.h"
#include "berth/kind.h"

namespace berth::workloads {

// Defaults the PodSpec of the template at `template_path` in `obj` (e.g.
// {"spec","template"}); does nothing when the template is absent.
void DefaultTemplate(Json& obj, std::initializer_list<std::string_view> path,
                     JsonAlloc& alloc);

// Checks spec.selector (required, non-empty, matching the template labels),
// the template's PodSpec and its restartPolicy (one of `restart_policies`),
// and, on update, that the selector did not change. `kind_lower` names the
// kind in messages ("daemonset"). `prefix` is where selector and template
// live ("spec", or "spec.jobTemplate.spec").
void ValidateSelectorAndTemplate(const Json& obj, const Json* old,
                                 const std::string& prefix,
                                 const std::string& kind_lower,
                                 const std::vector<std::string>& policies,
                                 bool selector_required,
                                 std::vector<FieldCause>& causes);

// The merge key for lists inside the pod template at `spec_prefix`
// ("spec.template").
std::optional<std::string> TemplateMergeKey(const std::string& path,
                                            std::string_view spec_prefix);

// Comma-joined container names and images of a PodSpec (the wide
// Containers and Images columns).
std::string ContainerNames(const Json* pod_spec);
std::string ContainerImages(const Json* pod_spec);
// metav1.FormatLabelSelector: "<none>" for a missing or empty selector.
std::string SelectorCell(const Json* selector);

}  // namespace berth::workloads

#endif  // BERTH_PLUGINS_WORKLOADS_POD_TEMPLATE_H_
