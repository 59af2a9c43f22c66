// TriggerTimeTracker: the value of the
// `endpoints.kubernetes.io/last-change-trigger-time` annotation, as
// Kubernetes' TriggerTimeTracker computes it. Per Service it remembers the
// trigger time of each selected pod (its Ready condition's
// lastTransitionTime) and of the Service (its creationTimestamp) at the
// last sync; a sync's trigger time is the earliest of those that changed
// since, or the Service's creationTimestamp on its first sync. Latency
// tools (and kube-proxy's metrics) read it as "the change this endpoints
// write reflects happened at".
//
// Thread safety: all methods may be called concurrently; the callers
// never compute for the same Service twice at once.
#ifndef BERTH_PLUGINS_CORE_TRIGGER_TIME_TRACKER_H_
#define BERTH_PLUGINS_CORE_TRIGGER_TIME_TRACKER_H_

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "berth/json.h"

namespace berth::core {

class TriggerTimeTracker {
 public:
  // The trigger time (an RFC 3339 timestamp as the objects carry it) for a
  // sync of `service` whose selector matches `pods`; "" when nothing that
  // triggers changed (the annotation is then removed). Remembers the
  // inputs for the next call.
  std::string Compute(const Json& service,
                      const std::vector<const Json*>& pods);

  // Forgets a deleted Service.
  void Forget(const std::string& ns, const std::string& name);

 private:
  struct State {
    std::map<std::string, std::string> pods;  // pod name -> trigger time
    std::string service;                      // creationTimestamp
  };
  std::mutex mu_;
  std::map<std::string, State> states_;  // "ns/name"; guarded by mu_
};

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_TRIGGER_TIME_TRACKER_H_
