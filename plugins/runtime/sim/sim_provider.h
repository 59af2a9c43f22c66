// SimProvider: the simulated kubelets of the `sim` plugin, one object for
// all its nodes. Start registers the nodes (Node, its status, its Lease in
// kube-node-lease) with parallel writes; a heartbeat thread renews each
// Lease every heartbeat period, spread over the period, and re-posts node
// status every status report period; a node annotated
// `sim.berth.io/heartbeat=false` is skipped until the annotation goes (then
// its Lease and Ready status are posted at once). A watch on Pods queues
// every pod bound to one of the nodes; workers make it Running and Ready
// with an address from the node's podCIDR, finish run-to-completion pods
// after their run time, and mark terminating pods' containers exited.
//
// Thread safety: Start and Stop are called once each from one thread; the
// provider's own threads do the rest.
#ifndef BERTH_PLUGINS_RUNTIME_SIM_SIM_PROVIDER_H_
#define BERTH_PLUGINS_RUNTIME_SIM_SIM_PROVIDER_H_

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "berth/host.h"
#include "berth/json.h"
#include "key_queue.h"
#include "sim_settings.h"

namespace berth::sim {

using kubelet::KeyQueue;

// Set to "false" on a Node to stop its heartbeats.
constexpr const char* kHeartbeatAnnotation = "sim.berth.io/heartbeat";

class SimProvider {
 public:
  // `host` must outlive the provider.
  SimProvider(Host& host, SimSettings settings);
  ~SimProvider();
  SimProvider(const SimProvider&) = delete;
  SimProvider& operator=(const SimProvider&) = delete;

  // Registers every node (existing ones get fresh status) and starts the
  // threads and watches. Fails with the first registration error.
  Status Start();
  // Stops the watches and joins every thread. Idempotent.
  void Stop();

 private:
  struct NodeState;

  Status RegisterNode(NodeState& node);
  Status RenewLease(NodeState& node);
  Status PostNodeStatus(NodeState& node);
  // Renews the leases (and re-posts the status) of nodes first,
  // first + stride, ... each at its slot in the heartbeat period. Several
  // loops run side by side: one write at a time cannot renew 5,000 leases
  // every 10 s once a busy server takes more than 2 ms per write, and the
  // nodes then go Unknown.
  void HeartbeatLoop(size_t first, size_t stride);
  void Worker();
  // Handles one queued key: "node/<name>" posts a node's lease and status,
  // "<ns>/<name>" syncs a pod. Returns a delay before the key is looked at
  // again (zero: not needed), or an error to retry.
  StatusOr<std::chrono::milliseconds> Sync(const std::string& key);
  StatusOr<std::chrono::milliseconds> SyncPod(const std::string& ns,
                                              const std::string& name);
  void OnPodEvent(const WatchEvent& event);
  void OnNodeEvent(const WatchEvent& event);
  // Frees the address of pod `uid` on `node`.
  void ReleaseIp(NodeState& node, const std::string& uid);
  // The pod's address on `node`: the one it has, or a free one.
  StatusOr<std::string> IpFor(NodeState& node, const std::string& uid,
                              const std::string& current);
  NodeState* FindNode(const std::string& name);
  void Log(int level, const std::string& message);

  Host& host_;
  Client& client_;
  const SimSettings settings_;
  std::vector<std::unique_ptr<NodeState>> nodes_;
  std::unordered_map<std::string, NodeState*> by_name_;  // fixed at start

  KeyQueue queue_;
  std::vector<std::thread> workers_;
  std::vector<std::thread> heartbeats_;
  std::unique_ptr<WatchHandle> pod_watch_;
  std::unique_ptr<WatchHandle> node_watch_;
  std::mutex mu_;
  std::condition_variable cv_;  // wakes the heartbeat thread to stop
  bool stopping_ = false;
  bool started_ = false;
};

}  // namespace berth::sim

#endif  // BERTH_PLUGINS_RUNTIME_SIM_SIM_PROVIDER_H_
