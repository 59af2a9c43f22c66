// GarbageCollector: the kernel's ownerReference garbage collector, what
// kube-controller-manager's garbagecollector does. It knows no kind by
// name: it lists and then watches everything under "/registry/" in the
// store with one prefix watch, keeps a DependencyGraph of owner references,
// and acts through the ResourceService (so deletes and updates get the same
// validation, admission and finalizer handling as API requests):
//  - a dependent none of whose owners still exists (by uid) is deleted;
//    references to absent owners of a dependent that keeps another owner are
//    removed (decision.h has the full rules);
//  - an owner deleted in foreground (finalizer `foregroundDeletion`) has its
//    dependents deleted and loses the finalizer, and so goes, once no
//    dependent with blockOwnerDeletion remains;
//  - an owner deleted with Orphan (finalizer `orphan`) has its entry removed
//    from its dependents' ownerReferences, then loses the finalizer.
// Work goes through a rate-limited WorkQueue: a burst of events is merged
// per object and failed attempts are retried with per-item backoff. Nothing
// is deleted before the start-up list is in the graph.
//
// Thread safety: Start and Stop are called from one thread. The collector's
// own threads (one watching, `workers` acting) share the graph under a mutex.
#ifndef BERTH_KERNEL_GC_GARBAGE_COLLECTOR_H_
#define BERTH_KERNEL_GC_GARBAGE_COLLECTOR_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "berth/status.h"
#include "kernel/api/server/resource_service.h"
#include "kernel/controller/workqueue.h"
#include "kernel/gc/decision.h"
#include "kernel/gc/dependency_graph.h"
#include "kernel/plugin/kind_registry.h"
#include "kernel/store/store.h"

namespace berth::gc {

class GarbageCollector {
 public:
  struct Options {
    // Deletes wait for their fsync; concurrent ones share a group commit
    // (bench/gc: 2 workers ~2.4k deletes/s, 8 workers ~13k).
    int workers = 8;
    std::chrono::milliseconds backoff_base = ItemBackoff::kDefaultBase;
    // Kubernetes' GC caps retries lower than controllers do.
    std::chrono::milliseconds backoff_max{60 * 1000};
    // Delay before listing again after the watch failed.
    std::chrono::milliseconds relist_delay{500};
  };

  // `store`, `service` and `kinds` (frozen) must outlive the collector.
  // Reads go to `store` (the in-memory cache), writes through `service`.
  GarbageCollector(store::Store* store, api::ResourceService* service,
                   const KindRegistry* kinds);
  GarbageCollector(store::Store* store, api::ResourceService* service,
                   const KindRegistry* kinds, const Options& options);
  GarbageCollector(const GarbageCollector&) = delete;
  GarbageCollector& operator=(const GarbageCollector&) = delete;
  // Stops.
  ~GarbageCollector();

  // Starts the watching thread, which lists, fills the graph, starts the
  // workers and then follows the watch. Returns at once; a failed list is
  // retried in the background. Calling it twice does nothing.
  void Start();
  // Stops watching and joins every thread; attempts in progress finish.
  // Idempotent; the collector cannot be started again.
  void Stop();

  // Whether the start-up list is in the graph (workers are running).
  bool synced() const { return synced_; }
  // Nodes in the graph (for tests and memory checks).
  size_t GraphSize() const;

 private:
  struct Resolved {
    const Kind* kind = nullptr;
    std::string key;
  };

  void WatchLoop();
  // Lists everything and rebuilds the graph; returns the list's revision.
  StatusOr<uint64_t> Sync();
  void Apply(const store::Event& event);
  void Enqueue(const GraphWork& work);
  void Work();
  Status Process(const std::string& item);
  Status AttemptToDelete(const std::string& uid);
  Status AttemptToOrphan(const std::string& uid);

  const Kind* KindOfKey(const std::string& key) const;
  // The kind and store key `ref` names for a dependent in namespace `ns`;
  // kind nullptr when it cannot be resolved.
  Resolved ResolveOwner(const OwnerReference& ref, const std::string& ns) const;
  OwnerState StateOf(const OwnerReference& ref, const std::string& ns) const;
  // Reads the object at `key` and, if it still has uid `uid`, lets `change`
  // edit it (returning false when nothing is to change) and writes it back
  // with optimistic concurrency. NotFound and a new uid are success.
  Status Modify(const Kind& kind, const std::string& key,
                const std::string& uid,
                const std::function<bool(JsonDoc&)>& change);
  Status DeleteObject(const Kind& kind, const Ownership& o,
                      api::Propagation propagation);
  Status RemoveFinalizer(const Kind& kind, const std::string& key,
                         const std::string& uid, const char* finalizer);

  store::Store* store_;
  api::ResourceService* service_;
  const KindRegistry* kinds_;
  const Options options_;
  UserInfo user_;

  WorkQueue queue_;
  mutable std::mutex mu_;  // guards graph_
  DependencyGraph graph_;

  std::mutex life_mu_;
  std::condition_variable life_cv_;
  bool started_ = false;
  bool stopping_ = false;
  std::atomic<bool> synced_{false};
  std::unique_ptr<store::Watcher> watcher_;  // guarded by life_mu_
  std::thread watch_thread_;
  std::vector<std::thread> workers_;
};

}  // namespace berth::gc

#endif  // BERTH_KERNEL_GC_GARBAGE_COLLECTOR_H_
