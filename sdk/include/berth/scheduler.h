// Scheduler plugins: kube-scheduler's scheduling framework as a vendor sees
// it. The scheduler runtime (the `scheduler` plugin) takes one pending pod at
// a time through the extension points of the profile its schedulerName picks:
//
//   scheduling cycle (one pod at a time):
//     PreFilter -> Filter (per node) -> PostFilter (only when no node fits)
//     -> PreScore -> Score (per node) -> NormalizeScore -> Reserve -> Permit
//   binding cycle (asynchronous, several pods in flight):
//     PreBind -> Bind -> PostBind            (Unreserve on any failure)
//
// Pods and nodes reach plugins parsed once (PodInfo, NodeInfo), never as
// JSON per call. A plugin registers one prototype with
// Registrar::AddSchedulerPlugin; the runtime calls New once per profile that
// enables it, with that profile's args.
//
// Thread safety: Filter and Score run concurrently for different nodes of
// the same pod and must only read CycleState; every other point of one pod
// runs on one thread. The binding points run on binder threads while the
// next pod's scheduling cycle runs. NodeInfo and the snapshot are read-only
// to plugins and valid only during the call that received them.
#ifndef BERTH_SDK_SCHEDULER_H_
#define BERTH_SDK_SCHEDULER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "berth/client.h"
#include "berth/status.h"

namespace berth {

// What an extension point decided, with kube-scheduler's codes.
class SchedulingStatus {
 public:
  enum class Code {
    kSuccess,
    // An internal failure: the pod is retried with backoff.
    kError,
    // The pod does not fit this node now; preemption could help.
    kUnschedulable,
    // The pod does not fit this node and preemption cannot help.
    kUnschedulableAndUnresolvable,
    // Permit only: hold the pod until it is allowed or the timeout passes.
    kWait,
    // PreFilter/PreScore only: the plugin has nothing to do for this pod;
    // its Filter/Score are skipped.
    kSkip,
  };

  SchedulingStatus() = default;
  SchedulingStatus(Code code, std::vector<std::string> reasons)
      : code_(code), reasons_(std::move(reasons)) {}
  static SchedulingStatus Success() { return {}; }
  static SchedulingStatus Error(std::string reason) {
    return {Code::kError, {std::move(reason)}};
  }
  static SchedulingStatus Unschedulable(std::string reason) {
    return {Code::kUnschedulable, {std::move(reason)}};
  }
  static SchedulingStatus Unresolvable(std::string reason) {
    return {Code::kUnschedulableAndUnresolvable, {std::move(reason)}};
  }
  static SchedulingStatus Skip() { return {Code::kSkip, {}}; }

  Code code() const { return code_; }
  bool ok() const { return code_ == Code::kSuccess; }
  bool IsRejected() const {
    return code_ == Code::kUnschedulable ||
           code_ == Code::kUnschedulableAndUnresolvable;
  }
  // The node-level reasons, as "0/3 nodes are available: ..." counts them
  // ("Insufficient cpu").
  const std::vector<std::string>& reasons() const { return reasons_; }
  void AddReason(std::string reason) { reasons_.push_back(std::move(reason)); }
  // The plugin that returned this status; set by the runtime.
  const std::string& plugin() const { return plugin_; }
  void set_plugin(std::string plugin) { plugin_ = std::move(plugin); }

 private:
  Code code_ = Code::kSuccess;
  std::vector<std::string> reasons_;
  std::string plugin_;
};

// Data a plugin computes in one extension point (PreFilter, PreScore) and
// reads in later ones for the same pod.
class StateData {
 public:
  virtual ~StateData() = default;
};

// Per-pod scratch space, created for each scheduling attempt. Write it only
// from the single-threaded points (PreFilter, PreScore, Reserve); Read is
// safe from the concurrent ones (Filter, Score).
class CycleState {
 public:
  // The data stored under `key`, or nullptr.
  const StateData* Read(const std::string& key) const {
    auto it = data_.find(key);
    return it == data_.end() ? nullptr : it->second.get();
  }
  void Write(const std::string& key, std::shared_ptr<StateData> data) {
    data_[key] = std::move(data);
  }

 private:
  std::map<std::string, std::shared_ptr<StateData>> data_;
};

// Resource amounts: cpu in millicores, memory and ephemeral-storage in bytes,
// extended resources ("nvidia.com/gpu") in their unit (milli for cpu-like
// quantities is not applied to them).
struct Resources {
  int64_t milli_cpu = 0;
  int64_t memory = 0;
  int64_t ephemeral_storage = 0;
  int64_t pods = 0;
  std::map<std::string, int64_t> scalar;
};

// metav1.LabelSelector. An absent selector matches nothing in affinity
// terms; an empty one ({}) matches everything.
struct LabelSelector {
  struct Requirement {
    std::string key;
    std::string op;  // In, NotIn, Exists, DoesNotExist
    std::vector<std::string> values;
  };
  std::map<std::string, std::string> match_labels;
  std::vector<Requirement> match_expressions;

  bool Matches(const std::map<std::string, std::string>& labels) const {
    for (const auto& [k, v] : match_labels) {
      auto it = labels.find(k);
      if (it == labels.end() || it->second != v) return false;
    }
    for (const auto& r : match_expressions) {
      auto it = labels.find(r.key);
      bool has = it != labels.end();
      bool in = false;
      if (has) {
        for (const auto& v : r.values) in = in || v == it->second;
      }
      if (r.op == "In" && !in) return false;
      if (r.op == "NotIn" && in) return false;
      if (r.op == "Exists" && !has) return false;
      if (r.op == "DoesNotExist" && has) return false;
    }
    return true;
  }
};

// v1.NodeSelectorTerm: requirements on node labels (matchExpressions) and
// on node fields (matchFields; only metadata.name), ANDed.
struct NodeSelectorTerm {
  struct Requirement {
    std::string key;
    std::string op;  // In, NotIn, Exists, DoesNotExist, Gt, Lt
    std::vector<std::string> values;
  };
  std::vector<Requirement> match_expressions;
  std::vector<Requirement> match_fields;
};

struct PreferredSchedulingTerm {
  int32_t weight = 0;
  NodeSelectorTerm preference;
};

// v1.PodAffinityTerm with the namespaces already resolved: `namespaces`
// holds the listed ones, or the pod's own when both it and the namespace
// selector are absent.
struct PodAffinityTerm {
  LabelSelector label_selector;
  bool has_label_selector = false;
  std::vector<std::string> namespaces;
  std::optional<LabelSelector> namespace_selector;
  std::string topology_key;
};

struct WeightedPodAffinityTerm {
  int32_t weight = 0;
  PodAffinityTerm term;
};

struct Toleration {
  std::string key;
  std::string op = "Equal";  // Equal, Exists
  std::string value;
  std::string effect;  // "" matches every effect
  std::optional<int64_t> toleration_seconds;
};

struct Taint {
  std::string key;
  std::string value;
  std::string effect;  // NoSchedule, PreferNoSchedule, NoExecute
};

struct TopologySpreadConstraint {
  int32_t max_skew = 1;
  std::string topology_key;
  std::string when_unsatisfiable = "DoNotSchedule";  // or ScheduleAnyway
  LabelSelector label_selector;
  int32_t min_domains = 1;
};

// One pod as the scheduler sees it, parsed once from its JSON.
struct PodInfo {
  std::string ns;
  std::string name;
  std::string uid;
  std::string resource_version;
  std::string node_name;  // spec.nodeName; "" while pending
  std::string scheduler_name = "default-scheduler";
  int32_t priority = 0;
  bool terminating = false;
  // The uid of the controller owner (ownerReferences controller=true), "".
  std::string controller_uid;
  std::map<std::string, std::string> labels;
  // The effective request: max(sum of containers, each init container)
  // plus overhead; `pods` is 1.
  Resources requests;
  // The same with Kubernetes' non-zero defaults (100m cpu, 200Mi memory for
  // a container that requests none), what scoring balances.
  Resources non_zero_requests;
  std::map<std::string, std::string> node_selector;
  // Required node affinity, ORed terms; empty when there is none.
  std::vector<NodeSelectorTerm> required_node_affinity;
  std::vector<PreferredSchedulingTerm> preferred_node_affinity;
  std::vector<PodAffinityTerm> required_affinity;
  std::vector<WeightedPodAffinityTerm> preferred_affinity;
  std::vector<PodAffinityTerm> required_anti_affinity;
  std::vector<WeightedPodAffinityTerm> preferred_anti_affinity;
  std::vector<Toleration> tolerations;
  std::vector<TopologySpreadConstraint> topology_spread_constraints;

  bool HasAffinity() const {
    return !required_affinity.empty() || !preferred_affinity.empty() ||
           !required_anti_affinity.empty() || !preferred_anti_affinity.empty();
  }
};

// One node with the pods the scheduler has placed or seen on it.
struct NodeInfo {
  std::string name;
  std::map<std::string, std::string> labels;
  std::vector<Taint> taints;
  bool unschedulable = false;
  Resources allocatable;
  // Sum of the requests of `pods`.
  Resources requested;
  Resources non_zero_requested;
  std::vector<std::shared_ptr<const PodInfo>> pods;
  // The subset of `pods` with any (anti-)affinity, and with required
  // anti-affinity: what InterPodAffinity walks.
  std::vector<std::shared_ptr<const PodInfo>> pods_with_affinity;
  std::vector<std::shared_ptr<const PodInfo>> pods_with_required_anti_affinity;
};

// A node's score from one Score plugin; NormalizeScore rescales them to
// [0, kMaxNodeScore].
struct NodeScore {
  std::string name;
  int64_t score = 0;
};
constexpr int64_t kMaxNodeScore = 100;

// What the runtime lends plugins: the cluster as this scheduling cycle sees
// it and the API client. Valid for the runtime's lifetime.
class SchedulerHandle {
 public:
  virtual ~SchedulerHandle() = default;
  virtual Client& client() = 0;
  // Every node of the current cycle's snapshot. Call only from an extension
  // point of the scheduling cycle.
  virtual const std::vector<const NodeInfo*>& Nodes() const = 0;
  // The nodes holding at least one pod with (anti-)affinity / with required
  // anti-affinity.
  virtual std::vector<const NodeInfo*> NodesWithAffinityPods() const = 0;
  virtual std::vector<const NodeInfo*> NodesWithRequiredAntiAffinityPods()
      const = 0;
  // The labels of namespace `ns` (empty when unknown), for namespaceSelector.
  virtual std::map<std::string, std::string> NamespaceLabels(
      const std::string& ns) const = 0;
};

// A scheduler plugin: overrides the extension points it implements and says
// which in Points(). Defaults succeed and do nothing.
class SchedulerPlugin {
 public:
  enum Point : uint32_t {
    kPreFilter = 1u << 0,
    kFilter = 1u << 1,
    kPostFilter = 1u << 2,
    kPreScore = 1u << 3,
    kScore = 1u << 4,
    kReserve = 1u << 5,
    kPermit = 1u << 6,
    kPreBind = 1u << 7,
    kBind = 1u << 8,
    kPostBind = 1u << 9,
  };

  virtual ~SchedulerPlugin() = default;
  // The name profiles use: "NodeResourcesFit".
  virtual std::string Name() const = 0;
  // The extension points implemented, ORed Point bits.
  virtual uint32_t Points() const = 0;
  // A configured instance for one profile. `args_json` is the profile's
  // pluginConfig args for this plugin ("{}" when none). Invalid args: a
  // non-OK Status stops the scheduler's start with the message.
  virtual StatusOr<std::shared_ptr<SchedulerPlugin>> New(
      SchedulerHandle& handle, const std::string& args_json) const = 0;

  // Computes what Filter needs once per pod. A rejection makes the pod
  // unschedulable on every node with this status' reasons.
  virtual SchedulingStatus PreFilter(CycleState& state, const PodInfo& pod) {
    return {};
  }
  // Whether `pod` fits `node`. Unschedulable(AndUnresolvable) with a reason
  // such as "Insufficient cpu" rejects the node.
  virtual SchedulingStatus Filter(const CycleState& state, const PodInfo& pod,
                                  const NodeInfo& node) {
    return {};
  }
  // Runs when no node passed Filter (preemption's place). Success with
  // `nominated_node` set nominates a node; anything else keeps the pod
  // unschedulable. `rejections` maps node name to its Filter status.
  virtual SchedulingStatus PostFilter(
      CycleState& state, const PodInfo& pod,
      const std::map<std::string, SchedulingStatus>& rejections,
      std::string& nominated_node) {
    return {SchedulingStatus::Code::kUnschedulable, {}};
  }
  // Computes what Score needs once per pod, given the feasible nodes.
  virtual SchedulingStatus PreScore(CycleState& state, const PodInfo& pod,
                                    const std::vector<const NodeInfo*>& nodes) {
    return {};
  }
  // A raw score for one feasible node (any range, NormalizeScore maps it).
  virtual SchedulingStatus Score(const CycleState& state, const PodInfo& pod,
                                 const NodeInfo& node, int64_t& score) {
    score = 0;
    return {};
  }
  // Rescales this plugin's scores to [0, kMaxNodeScore]; the default keeps
  // them as they are.
  virtual SchedulingStatus NormalizeScore(const CycleState& state,
                                          const PodInfo& pod,
                                          std::vector<NodeScore>& scores) {
    return {};
  }
  // The pod is assumed on `node`; a failure un-reserves every plugin.
  virtual SchedulingStatus Reserve(CycleState& state, const PodInfo& pod,
                                   const std::string& node) {
    return {};
  }
  // Undoes Reserve after a later failure. Must not fail.
  virtual void Unreserve(CycleState& state, const PodInfo& pod,
                         const std::string& node) {}
  // Allows (Success), rejects, or delays (Wait, with `timeout_ms`) binding.
  // This runtime treats Wait as a rejection retried with backoff.
  virtual SchedulingStatus Permit(CycleState& state, const PodInfo& pod,
                                  const std::string& node,
                                  int64_t& timeout_ms) {
    return {};
  }
  // Runs before binding, e.g. to provision volumes. Failure unreserves.
  virtual SchedulingStatus PreBind(CycleState& state, const PodInfo& pod,
                                   const std::string& node) {
    return {};
  }
  // Binds the pod. Skip passes to the next Bind plugin; the first Success
  // ends the point.
  virtual SchedulingStatus Bind(CycleState& state, const PodInfo& pod,
                                const std::string& node) {
    return SchedulingStatus::Skip();
  }
  // Informational, after a successful bind.
  virtual void PostBind(CycleState& state, const PodInfo& pod,
                        const std::string& node) {}
};

}  // namespace berth

#endif  // BERTH_SDK_SCHEDULER_H_
