// Turns Pod and Node JSON into the scheduler's parsed views (PodInfo and the
// node part of NodeInfo) once per watch event, so that no extension point
// reads JSON.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_SCHEDULER_FRAMEWORK_OBJECT_PARSER_H_
#define BERTH_PLUGINS_SCHEDULER_FRAMEWORK_OBJECT_PARSER_H_

#include <memory>

#include "berth/json.h"
#include "berth/scheduler.h"

namespace berth::scheduler {

// The pod's scheduling view. Quantities that do not parse count as zero
// (the API server has validated them already).
std::shared_ptr<PodInfo> ParsePod(const Json& pod);

// Whether the pod has finished (phase Succeeded or Failed): its resources
// are free again.
bool PodIsTerminal(const Json& pod);

// The node's name, labels, taints, unschedulable flag and allocatable
// (capacity where allocatable is absent). Pods and totals stay empty.
NodeInfo ParseNode(const Json& node);

// A metav1.LabelSelector.
LabelSelector ParseLabelSelector(const Json& selector);

}  // namespace berth::scheduler

#endif  // BERTH_PLUGINS_SCHEDULER_FRAMEWORK_OBJECT_PARSER_H_
