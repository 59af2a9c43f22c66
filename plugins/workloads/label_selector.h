// LabelSelector: the metav1.LabelSelector of workload specs as plugins need
// it — rendered into the query string that List takes, matched against an
// object's labels, validated with apimachinery's messages, and printed the
// way Go's %#v prints it in Kubernetes' error messages.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_WORKLOADS_LABEL_SELECTOR_H_
#define BERTH_PLUGINS_WORKLOADS_LABEL_SELECTOR_H_

#include <string>
#include <vector>

#include "berth/json.h"
#include "berth/kind.h"

namespace berth::workloads {

// "app=web,tier in (a,b),!gone" for {matchLabels, matchExpressions}. An
// operator other than In/NotIn/Exists/DoesNotExist gives BadRequest. An
// empty or absent selector gives "" (which List reads as "everything").
StatusOr<std::string> SelectorString(const Json* selector);

// True when `labels` (an object, or nullptr for none) satisfies every
// requirement of `selector`. A nullptr or empty selector matches nothing,
// as Kubernetes' workload controllers treat it.
bool SelectorMatches(const Json* selector, const Json* labels);

// ValidateLabelSelector: label keys and values, operators and their
// values, with causes under `path` ("spec.selector").
void ValidateLabelSelector(const Json& selector, const std::string& path,
                           std::vector<FieldCause>& causes);

// Go's %#v of a map[string]string: map[string]string{"app":"web"}, with
// map[string]string(nil) for an absent map.
std::string GoStringMap(const Json* map);
// Go's %#v of a v1.LabelSelector, as validation messages quote it.
std::string GoLabelSelector(const Json* selector);

}  // namespace berth::workloads

#endif  // BERTH_PLUGINS_WORKLOADS_LABEL_SELECTOR_H_
