#include "node_resources_fit.h"

#include "berth/json.h"

namespace berth::scheduler {

int64_t ResourceAmount(const Resources& r, const std::string& name) {
  if (name == "cpu") return r.milli_cpu;
  if (name == "memory") return r.memory;
  if (name == "ephemeral-storage") return r.ephemeral_storage;
  if (name == "pods") return r.pods;
  auto it = r.scalar.find(name);
  return it == r.scalar.end() ? 0 : it->second;
}

StatusOr<std::shared_ptr<SchedulerPlugin>> NodeResourcesFit::New(
    SchedulerHandle&, const std::string& args_json) const {
  auto plugin = std::make_shared<NodeResourcesFit>();
  auto doc = ParseJson(args_json.empty() ? "{}" : args_json);
  if (!doc.ok()) return doc.status();
  if (const Json* s = Member(*doc, "scoringStrategy")) {
    std::string type = GetString(*s, {"type"}, "LeastAllocated");
    if (type != "LeastAllocated" && type != "MostAllocated") {
      return Status::Invalid(
          "NodeResourcesFit: scoringStrategy.type must be LeastAllocated or "
          "MostAllocated, not \"" +
          type + "\"");
    }
    plugin->most_allocated_ = type == "MostAllocated";
    if (const Json* rs = Member(*s, "resources"); rs && rs->IsArray()) {
      plugin->resources_.clear();
      for (const auto& r : rs->GetArray()) {
        plugin->resources_.push_back(
            MakeScored(GetString(r, {"name"}), GetInt(r, {"weight"}, 1)));
      }
    }
  }
  return std::shared_ptr<SchedulerPlugin>(plugin);
}

NodeResourcesFit::Scored NodeResourcesFit::MakeScored(std::string name,
                                                      int64_t weight) {
  Scored::Field field = name == "cpu"      ? Scored::Field::kCpu
                        : name == "memory" ? Scored::Field::kMemory
                                           : Scored::Field::kOther;
  return {std::move(name), weight, field};
}

SchedulingStatus NodeResourcesFit::Filter(const CycleState&, const PodInfo& pod,
                                          const NodeInfo& node) {
  SchedulingStatus status;
  auto reject = [&](std::string reason) {
    if (status.ok()) {
      status = SchedulingStatus::Unschedulable(std::move(reason));
    } else {
      status.AddReason(std::move(reason));
    }
  };
  if (static_cast<int64_t>(node.pods.size()) + 1 > node.allocatable.pods) {
    reject("Too many pods");
  }
  const Resources& want = pod.requests;
  const Resources& have = node.allocatable;
  const Resources& used = node.requested;
  if (want.milli_cpu > 0 && want.milli_cpu > have.milli_cpu - used.milli_cpu) {
    reject("Insufficient cpu");
  }
  if (want.memory > 0 && want.memory > have.memory - used.memory) {
    reject("Insufficient memory");
  }
  if (want.ephemeral_storage > 0 &&
      want.ephemeral_storage >
          have.ephemeral_storage - used.ephemeral_storage) {
    reject("Insufficient ephemeral-storage");
  }
  for (const auto& [name, amount] : want.scalar) {
    if (amount > 0 &&
        amount > ResourceAmount(have, name) - ResourceAmount(used, name)) {
      reject("Insufficient " + name);
    }
  }
  return status;
}

SchedulingStatus NodeResourcesFit::Score(const CycleState&, const PodInfo& pod,
                                         const NodeInfo& node, int64_t& score) {
  int64_t total = 0, weights = 0;
  for (const Scored& r : resources_) {
    int64_t capacity, requested;
    // Scoring counts cpu and memory with the non-zero defaults, so that
    // pods without requests still spread.
    switch (r.field) {
      case Scored::Field::kCpu:
        capacity = node.allocatable.milli_cpu;
        requested =
            node.non_zero_requested.milli_cpu + pod.non_zero_requests.milli_cpu;
        break;
      case Scored::Field::kMemory:
        capacity = node.allocatable.memory;
        requested =
            node.non_zero_requested.memory + pod.non_zero_requests.memory;
        break;
      default:
        capacity = ResourceAmount(node.allocatable, r.name);
        requested = ResourceAmount(node.requested, r.name) +
                    ResourceAmount(pod.requests, r.name);
    }
    int64_t s = 0;
    if (capacity > 0 && requested <= capacity) {
      s = most_allocated_ ? requested * kMaxNodeScore / capacity
                          : (capacity - requested) * kMaxNodeScore / capacity;
    } else if (capacity > 0 && most_allocated_) {
      s = kMaxNodeScore;
    }
    total += s * r.weight;
    weights += r.weight;
  }
  score = weights == 0 ? 0 : total / weights;
  return {};
}

}  // namespace berth::scheduler
