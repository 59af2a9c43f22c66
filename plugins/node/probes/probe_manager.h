// ProbeManager: the probes of every container on the node, as the kubelet's
// prober manager keeps them (pkg/kubelet/prober/prober_manager.go): one
// ProbeWorker per container and probe type, kept across restarts of the
// container, and the readiness, startedness and need for a restart the
// agent asks about when it syncs a pod:
//   Started       no startup probe, or it succeeded for this container;
//   Ready         running, started, and no readiness probe or it succeeds;
//   NeedsRestart  the liveness or startup probe failed (failureThreshold)
//                 for this container.
//
// Thread safety: every method may be called from any thread; callbacks
// run on the timer's threads without the manager's lock held.
#ifndef BERTH_PLUGINS_NODE_PROBES_PROBE_MANAGER_H_
#define BERTH_PLUGINS_NODE_PROBES_PROBE_MANAGER_H_

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "berth/json.h"
#include "probes/probe_result.h"
#include "probes/probe_worker.h"
#include "probes/prober.h"
#include "probes/timer.h"

namespace berth::node {

class ProbeManager {
 public:
  // A probe event for container `name` of pod `uid` (record it on the pod:
  // "Unhealthy", "Liveness probe failed: ...").
  using EventFn =
      std::function<void(const std::string& uid, const std::string& name,
                         const ProbeEvent& event)>;
  // Ready, Started or NeedsRestart of a container of pod `uid` changed: the
  // agent should sync the pod.
  using ChangeFn = std::function<void(const std::string& uid)>;

  // `prober` and `timer` must outlive the manager.
  ProbeManager(const Prober& prober, Timer& timer, EventFn on_event = {},
               ChangeFn on_change = {});
  ~ProbeManager();  // Stops every worker.

  // Container `container` (its spec, copied) of `pod` started as
  // `container_id` (or was found running after an agent restart): its
  // probes run against `target` from now, initialDelaySeconds counted from
  // now.
  void ContainerStarted(const Json& pod, const Json& container,
                        const std::string& container_id,
                        const ProbeTarget& target);
  // The container exited: it is neither ready nor probed until it starts
  // again.
  void ContainerStopped(const std::string& uid, const std::string& name);

  bool Started(const std::string& uid, const std::string& name) const;
  bool Ready(const std::string& uid, const std::string& name) const;
  bool NeedsRestart(const std::string& uid, const std::string& name) const;

  // Stops and forgets the probes of every container of pod `uid`.
  void RemovePod(const std::string& uid);

 private:
  struct Entry;
  std::optional<ProbedContainer> State(const std::string& uid,
                                       const std::string& name);
  void OnResult(const std::string& uid, const std::string& name, ProbeType type,
                const std::string& container_id, ProbeResult result);
  static bool StartedLocked(const Entry& e);

  const Prober& prober_;
  Timer& timer_;
  EventFn on_event_;
  ChangeFn on_change_;
  mutable std::mutex mu_;
  std::map<std::string, std::map<std::string, std::unique_ptr<Entry>>> pods_;
};

}  // namespace berth::node

#endif  // BERTH_PLUGINS_NODE_PROBES_PROBE_MANAGER_H_
