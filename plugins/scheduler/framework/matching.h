// The matching rules several scheduler plugins share: node selector terms
// against a node, tolerations against taints, pod affinity terms against a
// pod, and the bookkeeping of a pod's place on a NodeInfo.
//
// Thread safety: pure functions; AddPod/RemovePod mutate the NodeInfo they
// are given and need the caller's lock.
#ifndef BERTH_PLUGINS_SCHEDULER_FRAMEWORK_MATCHING_H_
#define BERTH_PLUGINS_SCHEDULER_FRAMEWORK_MATCHING_H_

#include <map>
#include <memory>
#include <string>

#include "berth/scheduler.h"

namespace berth::scheduler {

// Whether every requirement of `term` holds for the node (matchExpressions
// on labels, matchFields on metadata.name). A term with no requirements
// matches nothing, as in Kubernetes.
bool NodeMatchesTerm(const NodeSelectorTerm& term, const NodeInfo& node);

// nodeSelector and required node affinity together (what NodeAffinity
// filters and what DaemonSets and PodTopologySpread honour).
bool NodeMatchesPodNodeAffinity(const PodInfo& pod, const NodeInfo& node);

// Whether the toleration tolerates the taint (key, operator, value, effect).
bool Tolerates(const Toleration& toleration, const Taint& taint);
bool ToleratesAny(const std::vector<Toleration>& tolerations,
                  const Taint& taint);

// Whether `term` (of a pod in any namespace) selects `pod`: namespace by
// list or selector, then labels. `ns_labels` gives a namespace's labels.
bool TermMatchesPod(const PodAffinityTerm& term, const PodInfo& pod,
                    const std::map<std::string, std::string>& ns_labels);

// Adds/removes the pod's requests and affinity lists to/from the node.
// RemovePod matches by namespace/name and returns whether it was there.
void AddPod(std::shared_ptr<const PodInfo> pod, NodeInfo& node);
bool RemovePod(const PodInfo& pod, NodeInfo& node);

}  // namespace berth::scheduler

#endif  // BERTH_PLUGINS_SCHEDULER_FRAMEWORK_MATCHING_H_
