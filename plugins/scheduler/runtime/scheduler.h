// Scheduler: the runtime that places pending pods. It watches pods, nodes
// and namespaces into a SchedulerCache and a SchedulingQueue, and one thread
// takes one pod at a time through its profile's scheduling cycle (PreFilter,
// Filter over a sample of nodes, PostFilter, PreScore, Score, Reserve,
// Permit) while binder threads run the binding cycles (PreBind, Bind,
// PostBind) of earlier pods, so several binds are in flight and the store
// group-commits them. Results are reported as kube-scheduler reports them:
// PodScheduled=False/Unschedulable with the FitError message through the
// status subresource, and FailedScheduling / Scheduled events.
//
// Thread safety: Start and Stop from one thread; the SchedulerHandle methods
// only from inside an extension point of a scheduling cycle.
#ifndef BERTH_PLUGINS_SCHEDULER_RUNTIME_SCHEDULER_H_
#define BERTH_PLUGINS_SCHEDULER_RUNTIME_SCHEDULER_H_

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "berth/host.h"
#include "berth/scheduler.h"
#include "profile.h"
#include "scheduler_cache.h"
#include "scheduling_queue.h"
#include "work_pool.h"

namespace berth::scheduler {

struct SchedulerOptions {
  // kube-scheduler's percentageOfNodesToScore; 0 means adaptive.
  int percentage_of_nodes_to_score = 0;
  // Binding cycles in flight at once. Each bind waits for the store's
  // group commit, so throughput is about workers / commit latency: 16
  // trailed pod creation in SchedulingBasic, 4 halved it, 64 kept up.
  int bind_workers = 64;
  // Whether Scheduled/FailedScheduling events are created.
  bool record_events = true;
};

// kube-scheduler's numFeasibleNodesToFind: every node below 100 nodes,
// otherwise `percentage` (adaptive 50 - nodes/125, at least 5, when 0) of
// them, and at least 100.
size_t NumFeasibleNodesToFind(int percentage, size_t num_nodes);

class Scheduler : public SchedulerHandle {
 public:
  Scheduler(Host& host, SchedulerOptions options);
  ~Scheduler() override;

  // Builds the profiles from `settings` and the registered plugins. Fails
  // with the first profile problem.
  Status Configure(
      const Json& settings,
      const std::vector<std::shared_ptr<SchedulerPlugin>>& plugins);
  // Opens the watches and starts the threads. Fails when a watch cannot be
  // opened.
  Status Start();
  // Stops the watches and joins every thread. Idempotent.
  void Stop();

  // SchedulerHandle.
  Client& client() override { return host_.client(); }
  const std::vector<const NodeInfo*>& Nodes() const override;
  std::vector<const NodeInfo*> NodesWithAffinityPods() const override;
  std::vector<const NodeInfo*> NodesWithRequiredAntiAffinityPods()
      const override;
  std::map<std::string, std::string> NamespaceLabels(
      const std::string& ns) const override;

  SchedulerCache& cache() { return cache_; }
  SchedulingQueue& queue() { return queue_; }

 private:
  struct Binding;

  void OnPod(const WatchEvent& event);
  void OnNode(const WatchEvent& event);
  void OnNamespace(const WatchEvent& event);
  void Run();
  void ScheduleOne(QueuedPod qp);
  void BindingCycle(std::shared_ptr<Binding> b);
  void Requeue(const QueuedPod& qp);
  void ReportUnschedulable(const PodInfo& pod, const std::string& message);
  // Sets the pod's PodScheduled condition through the status subresource
  // (asynchronously; a failure is logged).
  void WritePodScheduled(const PodInfo& pod, const std::string& status,
                         const std::string& reason, const std::string& message);
  void RecordEvent(const PodInfo& pod, const std::string& type,
                   const std::string& reason, const std::string& message,
                   const std::string& reporter);
  void Housekeep();

  Host& host_;
  const SchedulerOptions options_;
  std::map<std::string, Profile> profiles_;
  SchedulerCache cache_;
  SchedulingQueue queue_;
  std::vector<std::unique_ptr<WatchHandle>> watches_;
  std::unique_ptr<WorkPool> binders_;
  std::unique_ptr<WorkPool> reporter_;
  std::thread loop_;
  std::thread housekeeper_;
  std::atomic<bool> stopping_{false};
  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  size_t next_start_node_ = 0;
  std::mt19937_64 rng_{std::random_device{}()};
  // The last Unschedulable message written per pod, so repeats are not
  // rewritten.
  std::mutex reported_mu_;
  std::map<std::string, std::string> reported_;
};

}  // namespace berth::scheduler

#endif  // BERTH_PLUGINS_SCHEDULER_RUNTIME_SCHEDULER_H_
