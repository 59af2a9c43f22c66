#include "stateful_set_plan.h"

#include <algorithm>
#include <map>

namespace berth::workloads {

int64_t OrdinalOf(const std::string& set_name, const std::string& pod_name) {
  if (pod_name.size() <= set_name.size() + 1 ||
      pod_name.compare(0, set_name.size(), set_name) != 0 ||
      pod_name[set_name.size()] != '-') {
    return -1;
  }
  const std::string digits = pod_name.substr(set_name.size() + 1);
  if (digits.size() > 9 || (digits.size() > 1 && digits[0] == '0')) return -1;
  for (char c : digits) {
    if (c < '0' || c > '9') return -1;
  }
  return std::stoll(digits);
}

StatefulSetPlan PlanStatefulSet(const StatefulSetPlanInput& in) {
  StatefulSetPlan plan;
  const bool ordered = !in.parallel;
  std::map<int64_t, const StatefulPod*> by_ordinal;
  for (const auto& p : in.pods) by_ordinal[p.ordinal] = &p;

  // Pods the set should have, lowest first.
  bool all_healthy = true;
  for (int64_t ord = 0; ord < in.replicas; ++ord) {
    auto it = by_ordinal.find(ord);
    if (it == by_ordinal.end()) {
      plan.create.push_back(ord);
      all_healthy = false;
      if (ordered) return plan;
      continue;
    }
    const StatefulPod& pod = *it->second;
    if (pod.failed && !pod.terminating) {
      // Deleted now, recreated by a later pass once it is gone.
      plan.remove.push_back(ord);
      all_healthy = false;
      if (ordered) return plan;
      continue;
    }
    if (pod.terminating || !pod.running_ready) {
      all_healthy = false;
      if (ordered) return plan;
    }
  }

  // Condemned pods, highest first.
  std::vector<const StatefulPod*> condemned;
  for (auto it = by_ordinal.rbegin(); it != by_ordinal.rend(); ++it) {
    if (it->first >= in.replicas) condemned.push_back(it->second);
  }
  for (const StatefulPod* pod : condemned) {
    if (pod->terminating) {
      if (ordered) return plan;
      continue;
    }
    if (ordered && !all_healthy) return plan;
    plan.remove.push_back(pod->ordinal);
    if (ordered) return plan;
  }
  if (!plan.remove.empty() || !plan.create.empty()) return plan;
  if (!in.rolling_update) return plan;

  // RollingUpdate: one pod of an old revision at a time, from the top down
  // to the partition, while everything else is healthy.
  for (int64_t ord = in.replicas - 1; ord >= std::max<int64_t>(in.partition, 0);
       --ord) {
    auto it = by_ordinal.find(ord);
    if (it == by_ordinal.end()) return plan;
    const StatefulPod& pod = *it->second;
    if (pod.revision != in.update_revision && !pod.terminating) {
      if (all_healthy) plan.remove.push_back(ord);
      return plan;
    }
    if (pod.terminating || !pod.running_ready) return plan;
  }
  return plan;
}

}  // namespace berth::workloads
