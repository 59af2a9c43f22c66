// PodSyncer: the kubelet's SyncPod for this node — given a pod as the API
// has it now, make the runtime match and report back. Level-based: every
// sync reads the runtime's containers again, so a restarted agent adopts
// what is running instead of restarting it.
//
// One sync: admit (resources fit, else Failed with OutOf<resource>), create
// the sandbox and attach the pod network (not for hostNetwork; hostPorts
// mapped), run init containers one by one to completion, then the
// containers; pull images per imagePullPolicy (ErrImagePull, then
// ImagePullBackOff: 10 s doubling to 300 s), restart exited containers per
// restartPolicy after the crash-loop back-off (10 s doubling to 5 min,
// reset after 10 min), record the kubelet's Events, and write the full
// status through the status subresource. A pod with a deletionTimestamp is
// stopped gracefully (preStop, StopContainer with the remaining grace,
// sandbox, network, volumes) and then deleted with grace 0 and its uid as
// precondition.
//
// Thread safety: SyncPod, CleanupOrphan and the other methods may run
// concurrently for different pods; calls for one pod must be serialized by
// the caller (the agent's work queue does).
#ifndef BERTH_PLUGINS_NODE_AGENT_POD_SYNCER_H_
#define BERTH_PLUGINS_NODE_AGENT_POD_SYNCER_H_

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "backoff.h"
#include "berth/client.h"
#include "berth/json.h"
#include "berth/network.h"
#include "berth/runtime.h"
#include "clock.h"
#include "node_settings.h"
#include "pod_parts.h"
#include "pod_report.h"

namespace berth::node {

// Records one Event about `pod` ("Normal"/"Warning", reason, message,
// fieldPath like "spec.containers{web}" or "").
using EventRecorder = std::function<void(
    const Json& pod, const std::string& type, const std::string& reason,
    const std::string& message, const std::string& field_path)>;

struct PodSyncerDeps {
  Client* client = nullptr;
  // Runtimes by handler name; `settings.runtime` is the default.
  std::map<std::string, ContainerRuntime*> runtimes;
  PodNetwork* network = nullptr;  // nullptr: only hostNetwork pods run
  PodVolumes* volumes = nullptr;
  EnvResolver* env = nullptr;
  PodProbes* probes = nullptr;
  Clock* clock = nullptr;
  EventRecorder record_event;
  NodeSettings settings;
  std::string host_ip;
  // Stop terminating pods on threads of their own, so a pod waiting out its
  // grace period does not hold a sync worker (the agent); false: inline
  // (tests).
  bool terminate_async = false;
  // status.allocatable as quantity text (downward API resourceFieldRef).
  std::map<std::string, std::string> allocatable;
  // allocatable in milli-cpu, bytes of memory, and pods, for admission.
  int64_t allocatable_milli_cpu = 0;
  int64_t allocatable_memory = 0;
};

class PodSyncer {
 public:
  using Duration = std::chrono::milliseconds;
  explicit PodSyncer(PodSyncerDeps deps);
  // Waits for terminations still running.
  ~PodSyncer();

  // Syncs `pod` (JSON as read from the API now). Returns how long until it
  // wants to sync again (zero: only on the next change); a failure is
  // retried by the caller.
  StatusOr<Duration> SyncPod(const std::string& pod_json);

  // The pod `uid` is gone from the API: stops and removes everything of it
  // (containers, sandbox, network, volumes).
  Status CleanupPod(const std::string& uid);

  // After a restart: adopts the runtimes' sandboxes of pods in `live_uids`
  // (nothing is restarted) and tears down every other sandbox.
  Status Recover(const std::set<std::string>& live_uids);

  // uid -> "<ns>/<name>" of every sandbox in the runtimes, and a digest of
  // their containers' states, for the relist loop to spot changes.
  std::map<std::string, std::string> RuntimeDigest(
      std::map<std::string, std::string>* uid_to_key);

  // True while pod `uid` is being terminated on a thread of its own
  // (terminate_async).
  bool Terminating(const std::string& uid);

  // The runtime running pod `uid`, and its sandbox id; nullptr when none.
  ContainerRuntime* RuntimeOf(const std::string& uid, std::string* sandbox_id);

  // The crash-loop back-off (tests inspect it).
  Backoff& crash_backoff() { return crash_backoff_; }

 private:
  struct PodRecord {
    ContainerRuntime* runtime = nullptr;
    std::string sandbox_id;
    PodSandboxConfig sandbox_config;
    std::vector<std::string> pod_ips;
    bool admitted = false;
    bool network_attached = false;
    // Last image pull failure per container name (message, when).
    std::map<std::string, std::pair<std::string, Clock::TimePoint>> pull_error;
    std::set<std::string> probed;  // container ids handed to probes
    int64_t milli_cpu = 0;
    int64_t memory = 0;
  };

  std::shared_ptr<PodRecord> RecordFor(const std::string& uid);
  PodFacts FactsFor(const Json& pod, const PodRecord& rec) const;
  ProbeTarget TargetFor(const std::string& container_id,
                        const PodRecord& rec) const;
  // Removes the pod's log directory.
  void RemoveLogs(const std::string& uid);
  StatusOr<ContainerRuntime*> ResolveRuntime(const Json& pod);
  // Admission; a non-empty reason rejects the pod.
  bool Admit(const Json& pod, PodRecord& rec, std::string* reason,
             std::string* message);
  Status EnsureSandbox(const Json& pod, PodRecord& rec);
  // Starts one container (pull, create, start); fills `report` when it has
  // to wait. Returns the requeue delay it wants (zero: none).
  Duration StartContainer(const Json& pod, const Json& spec, bool init,
                          uint32_t attempt, PodRecord& rec,
                          ContainerReport& report);
  Duration PullImage(const Json& pod, const Json& spec,
                     const std::string& field_path, PodRecord& rec,
                     ContainerReport& report, bool* ok);
  // Splits the runtime's containers of `uid` by name, newest first.
  std::map<std::string, std::vector<ContainerStatus>> ContainersOf(
      ContainerRuntime& rt, const std::string& uid);
  StatusOr<Duration> Terminate(const Json& pod, PodRecord& rec);
  // Stops containers (with `grace`) and the sandbox, detaches the network.
  Status KillPod(const Json* pod, const std::string& uid, PodRecord& rec,
                 std::chrono::seconds grace, bool remove);
  Status WriteStatus(const Json& pod, const PodReport& report);
  void Event(const Json& pod, const std::string& type,
             const std::string& reason, const std::string& message,
             const std::string& field_path = "");
  PodNetworkRequest NetworkRequest(const Json* pod, const std::string& uid,
                                   const PodRecord& rec,
                                   const std::string& netns) const;

  PodSyncerDeps deps_;
  Backoff crash_backoff_{std::chrono::seconds(10), std::chrono::minutes(5)};
  Backoff pull_backoff_{std::chrono::seconds(10), std::chrono::minutes(5)};
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<PodRecord>> records_;  // by uid
  // Pods being terminated on their own thread (terminate_async), by uid;
  // a finished thread moves to done_ and is joined by the next start.
  std::map<std::string, std::thread> terminating_;
  std::vector<std::thread> done_;
};

}  // namespace berth::node

#endif  // BERTH_PLUGINS_NODE_AGENT_POD_SYNCER_H_
