// NodeResourcesFit: a node fits when its allocatable covers what its pods
// already request plus the pod's effective request (cpu, memory,
// ephemeral-storage, extended resources, and the pod count). Scores by the
// scoring strategy of its args (default LeastAllocated over cpu and memory,
// weight 1 each; MostAllocated is the other choice).
//
// Thread safety: immutable after New; every method may run concurrently.
#ifndef BERTH_PLUGINS_SCHEDULER_NODE_RESOURCES_FIT_NODE_RESOURCES_FIT_H_
#define BERTH_PLUGINS_SCHEDULER_NODE_RESOURCES_FIT_NODE_RESOURCES_FIT_H_

#include <string>
#include <utility>
#include <vector>

#include "berth/scheduler.h"

namespace berth::scheduler {

// The amount of resource `name` in `r` (0 when absent).
int64_t ResourceAmount(const Resources& r, const std::string& name);

class NodeResourcesFit : public SchedulerPlugin {
 public:
  static constexpr const char* kName = "NodeResourcesFit";
  NodeResourcesFit() = default;
  std::string Name() const override { return kName; }
  uint32_t Points() const override { return kFilter | kScore; }
  // args: {"scoringStrategy": {"type": "LeastAllocated"|"MostAllocated",
  // "resources": [{"name": "cpu", "weight": 1}, ...]}}. Invalid args fail.
  StatusOr<std::shared_ptr<SchedulerPlugin>> New(
      SchedulerHandle& handle, const std::string& args_json) const override;
  // Unschedulable with one reason per short resource ("Insufficient cpu",
  // "Too many pods").
  SchedulingStatus Filter(const CycleState& state, const PodInfo& pod,
                          const NodeInfo& node) override;
  SchedulingStatus Score(const CycleState& state, const PodInfo& pod,
                         const NodeInfo& node, int64_t& score) override;

 private:
  // A scored resource: cpu and memory are read from their fields, others
  // looked up by name.
  struct Scored {
    std::string name;
    int64_t weight;
    enum class Field { kCpu, kMemory, kOther } field;
  };
  static Scored MakeScored(std::string name, int64_t weight);

  bool most_allocated_ = false;
  std::vector<Scored> resources_ = {MakeScored("cpu", 1),
                                    MakeScored("memory", 1)};
};

}  // namespace berth::scheduler

#endif  // BERTH_PLUGINS_SCHEDULER_NODE_RESOURCES_FIT_NODE_RESOURCES_FIT_H_
