// StatefulSetPlan: what the StatefulSet controller does next, decided from
// the set's spec and its pods alone (no I/O), as Kubernetes'
// StatefulSetControl does: pods 0..replicas-1 are created (Parallel: all at
// once; OrderedReady: one at a time, each waiting for the ones below to be
// Running and Ready), failed pods are deleted to be recreated, pods at or
// above `replicas` are deleted from the highest ordinal down (OrderedReady:
// one at a time, only while the others are healthy), and a RollingUpdate
// deletes one pod of an old revision at a time from the highest ordinal down
// to `partition`, each once the rest are Running and Ready again.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_WORKLOADS_STATEFUL_SET_PLAN_H_
#define BERTH_PLUGINS_WORKLOADS_STATEFUL_SET_PLAN_H_

#include <cstdint>
#include <string>
#include <vector>

namespace berth::workloads {

// A pod of the set as the plan needs to see it.
struct StatefulPod {
  int64_t ordinal = 0;
  std::string revision;
  bool running_ready = false;  // phase Running and condition Ready
  bool terminating = false;
  bool failed = false;  // phase Failed or Succeeded: to be replaced
};

struct StatefulSetPlanInput {
  int64_t replicas = 1;
  bool parallel = false;       // podManagementPolicy Parallel
  bool rolling_update = true;  // updateStrategy RollingUpdate (else OnDelete)
  int64_t partition = 0;
  std::string update_revision;  // the revision of the current template
  std::vector<StatefulPod> pods;
};

struct StatefulSetPlan {
  std::vector<int64_t> create;  // ordinals to create, in order
  std::vector<int64_t> remove;  // ordinals to delete, in order
};

StatefulSetPlan PlanStatefulSet(const StatefulSetPlanInput& in);

// The ordinal of pod `pod_name` in set `set_name` ("web-2" in "web" -> 2);
// -1 when the name is not the set's name, a dash and a number.
int64_t OrdinalOf(const std::string& set_name, const std::string& pod_name);

}  // namespace berth::workloads

#endif  // BERTH_PLUGINS_WORKLOADS_STATEFUL_SET_PLAN_H_
