// NodeAgent: the kubelet of the machine `berth server` (or `berth agent`)
// runs on. Start registers the Node (capacity and allocatable from the
// host, addresses, conditions, nodeInfo with the runtime's version), renews
// its Lease in kube-node-lease every heartbeat and re-posts status every
// status report period (at once when someone marked it not Ready), hands
// the pod network the Node's spec.podCIDR (read every second until node
// IPAM has assigned it, then every heartbeat), adopts
// what the runtimes still run from before a restart (tearing down sandboxes
// of pods that are gone), then watches the pods bound to this node and
// syncs each one through the PodSyncer: one key per pod in a work queue, so
// a pod is never synced twice at once while different pods sync in
// parallel. A relist loop (the kubelet's PLEG) asks the runtimes every
// second what changed and queues those pods, and opens the pod watch again
// when it ended (an ERROR event). Every image GC period it removes unused
// images when the image file system is full (image_gc.h).
//
// Thread safety: Start and Stop are called once each, from one thread;
// syncer() and settings() may be called from any thread after Start.
#ifndef BERTH_PLUGINS_NODE_AGENT_NODE_AGENT_H_
#define BERTH_PLUGINS_NODE_AGENT_NODE_AGENT_H_

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "berth/host.h"
#include "clock.h"
#include "host_facts.h"
#include "key_queue.h"
#include "logs/log_rotator.h"
#include "node_settings.h"
#include "pod_parts.h"
#include "pod_syncer.h"

namespace berth::node {

class NodeAgent {
 public:
  // `host` must outlive the agent.
  NodeAgent(Host& host, NodeSettings settings);
  ~NodeAgent();
  NodeAgent(const NodeAgent&) = delete;
  NodeAgent& operator=(const NodeAgent&) = delete;

  // Finds the runtime and network named in the settings, registers the
  // node, recovers and starts the threads. When this machine cannot run
  // pods (not root, no cgroups, the runtime or network not loaded) it logs
  // the cause once, registers the Node NotReady (KubeletNotReady,
  // "container runtime network not ready: <cause>") and only heartbeats;
  // that is not an error. Fails when the API refuses the registration.
  Status Start();
  // Stops the watch and joins every thread. Containers keep running.
  void Stop();

  const NodeSettings& settings() const { return settings_; }
  Client& client() { return host_.client(); }
  // nullptr before Start.
  PodSyncer* syncer() { return syncer_.get(); }

 private:
  // Start's path for a machine that cannot run pods (see Start).
  Status StartNotReady(const std::string& problem);
  Status RegisterNode();
  Status PostNodeStatus();
  Status RenewLease();
  // Opens the pod watch from "0" (every pod replayed; unchanged ones are
  // skipped by their digest) into pod_watch_. The client's Status on
  // failure.
  Status WatchPods();
  // Replaces a watch that ended; called by the relist loop only.
  void RewatchPods();
  void OnPodEvent(const WatchEvent& event);
  void Worker();
  StatusOr<std::chrono::milliseconds> Sync(const std::string& key);
  // Hands the network `node`'s spec.podCIDR when it is new (heartbeat
  // thread, or Start before it runs).
  void TakePodCidr(const Json& node);
  void HeartbeatLoop();
  void RelistLoop();
  void Log(int level, const std::string& message);
  void RecordPodEvent(const Json& pod, const std::string& type,
                      const std::string& reason, const std::string& message,
                      const std::string& field_path);
  // "<ns>/<name>" of a pod this agent syncs, "" when unknown.
  std::string KeyOfUid(const std::string& uid);
  // Rotates the running containers' logs that reached the size limit.
  void RotateLogs();
  // Every image GC period: image_gc.h for each runtime that keeps images.
  void ImageGcLoop();
  void CollectImagesOnce(ContainerRuntime& runtime,
                         const std::vector<ContainerStatus>& in_use,
                         bool* failed_before);

  Host& host_;
  NodeSettings settings_;
  SystemClock clock_;
  LogRotator rotator_;
  HostFacts facts_;
  std::map<std::string, std::shared_ptr<ContainerRuntime>> runtimes_;
  std::shared_ptr<PodNetwork> network_;
  std::unique_ptr<PodVolumes> volumes_;
  std::unique_ptr<EnvResolver> env_;
  std::unique_ptr<PodProbes> probes_;
  std::unique_ptr<PodSyncer> syncer_;
  kubelet::KeyQueue queue_;
  // The pod watch, replaced by the relist loop once it ended (a remote
  // client's watch ends with an ERROR event at a server timeout or
  // restart and is not reopened by the client). Written by Start, the
  // relist loop and Stop after joining it.
  std::unique_ptr<WatchHandle> pod_watch_;
  // A re-watch failed and was logged; the next failures of the same outage
  // are not (relist loop only).
  bool rewatch_failing_ = false;
  std::string node_uid_;
  // Set once by Start when this machine cannot run pods: the Ready
  // condition's message, and only the heartbeat runs.
  std::string not_ready_message_;
  // Last handed to the network; written by TakePodCidr only.
  std::string pod_cidr_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool watch_lost_ = false;  // the pod watch sent ERROR
  // The uid each queued key had when last seen, to clean up pods that are
  // gone (or were replaced by a namesake).
  std::map<std::string, std::string> uid_of_key_;
  // What of each pod last queued it (spec, labels, annotations, deletion).
  std::map<std::string, std::string> seen_digest_;
  std::chrono::steady_clock::time_point last_status_;
  std::vector<std::thread> threads_;
};

}  // namespace berth::node

#endif  // BERTH_PLUGINS_NODE_AGENT_NODE_AGENT_H_
