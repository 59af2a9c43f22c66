// FitError: the message of a pod that fits no node, as kube-scheduler's
// FitError.Error() writes it: "0/3 nodes are available: 1 node(s) had
// untolerated taint {k: v}, 2 Insufficient cpu." — each reason counted over
// the nodes, the "<count> <reason>" strings sorted.
//
// Thread safety: pure function.
#ifndef BERTH_PLUGINS_SCHEDULER_RUNTIME_FIT_ERROR_H_
#define BERTH_PLUGINS_SCHEDULER_RUNTIME_FIT_ERROR_H_

#include <map>
#include <string>

#include "berth/scheduler.h"

namespace berth::scheduler {

// `rejections` maps node name to the status that rejected it; `num_nodes` is
// every node in the snapshot. A PreFilter rejection (`pre_filter` not ok)
// counts its reasons once per node. With no nodes at all the message is
// "no nodes available to schedule pods".
std::string FitErrorMessage(
    size_t num_nodes, const std::map<std::string, SchedulingStatus>& rejections,
    const SchedulingStatus& pre_filter = {});

}  // namespace berth::scheduler

#endif  // BERTH_PLUGINS_SCHEDULER_RUNTIME_FIT_ERROR_H_
