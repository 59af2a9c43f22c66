// TaintEviction: what Kubernetes' taint manager decides for a pod on a node
// with NoExecute taints — evict now when a taint is not tolerated, after the
// smallest tolerationSeconds of the tolerations used (counted from when the
// taint was added), or never — and the DefaultTolerationSeconds admission's
// default tolerations for not-ready and unreachable nodes.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_CORE_TAINT_EVICTION_H_
#define BERTH_PLUGINS_CORE_TAINT_EVICTION_H_

#include <chrono>
#include <cstdint>

#include "berth/json.h"

namespace berth::core {

// v1.Toleration.ToleratesTaint: effect and key match when set in the
// toleration; operator Exists ignores the value, Equal (or "") compares it.
bool ToleratesTaint(const Json& toleration, const Json& taint);

struct EvictionDecision {
  enum class Action {
    kKeep,       // no NoExecute taint, or all tolerated forever
    kEvictNow,   // a taint not tolerated, or the toleration time is up
    kEvictLater  // tolerated for `after` more
  };
  Action action = Action::kKeep;
  std::chrono::milliseconds after{0};
};

// The decision for `pod` on a node whose spec.taints is `taints` (may be
// null), at `now`. Only NoExecute taints count. The toleration time runs
// from the earliest timeAdded of those taints (now when they carry none).
EvictionDecision DecideEviction(const Json& pod, const Json* taints,
                                std::chrono::system_clock::time_point now);

// DefaultTolerationSeconds: adds {key: node.kubernetes.io/not-ready,
// operator: Exists, effect: NoExecute, tolerationSeconds:
// `not_ready_seconds`} and the same for unreachable, unless the pod already
// has a toleration with that key (or no key) and effect NoExecute (or no
// effect). Returns whether it added any. `pod` must be an object.
bool AddDefaultTolerations(Json& pod, int64_t not_ready_seconds,
                           int64_t unreachable_seconds, JsonAlloc& a);

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_TAINT_EVICTION_H_
