// SharedInformer: the kernel's berth::Informer — a cache of one resource in
// all namespaces, filled by a List and kept current by a Watch from the
// list's resourceVersion, as client-go's reflector and store do. A keeper
// thread (re)lists: at Start, and whenever the watch cannot be opened or
// reports an ERROR event (410 Gone after compaction, a server restart). A
// relist replaces the cache and tells the handlers what changed while the
// watch was down (adds, updates for a new resourceVersion, deletes); a
// failed list is retried after a delay that doubles up to a maximum.
//
// Thread safety: all methods may be called from any thread. Cache reads
// (Get, List, HasSynced) take a short lock and never wait for handlers;
// handler calls are serialized by a delivery lock that AddHandlers and
// RemoveHandlers also take.
#ifndef BERTH_KERNEL_CONTROLLER_SHARED_INFORMER_H_
#define BERTH_KERNEL_CONTROLLER_SHARED_INFORMER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "berth/client.h"
#include "berth/informer.h"

namespace berth {

class SharedInformer : public Informer {
 public:
  struct Options {
    // Delay before listing again after a failed list or watch; doubles
    // while it keeps failing, up to the max.
    std::chrono::milliseconds retry_initial{100};
    std::chrono::milliseconds retry_max{5000};
  };

  // `client` must outlive the informer. Nothing happens until Start.
  SharedInformer(Client& client, ResourceRef resource);
  SharedInformer(Client& client, ResourceRef resource, Options options);
  SharedInformer(const SharedInformer&) = delete;
  SharedInformer& operator=(const SharedInformer&) = delete;
  // Stops.
  ~SharedInformer() override;

  // Starts the keeper thread (first list, then watch). Idempotent.
  void Start();
  // Closes the watch and joins the keeper; no handler runs after it
  // returns. Idempotent; the informer cannot be started again.
  void Stop();

  const ResourceRef& resource() const { return resource_; }
  // Lists done so far (the first one included), for tests and logs.
  uint64_t list_count() const;

  bool HasSynced() const override;
  StatusOr<CachedObject> Get(const std::string& ns,
                             const std::string& name) const override;
  StatusOr<std::vector<CachedObject>> List(
      const std::string& ns, const std::string& label_selector) const override;
  uint64_t AddHandlers(InformerHandlers handlers) override;
  void RemoveHandlers(uint64_t id) override;

 private:
  using Key = std::pair<std::string, std::string>;  // (namespace, name)
  struct Entry {
    CachedObject obj;
    std::string resource_version;
    std::map<std::string, std::string> labels;
  };
  struct Change {
    enum class Type { kAdd, kUpdate, kDelete } type;
    CachedObject old_obj;
    CachedObject obj;
  };

  void Keep();
  // Lists, replaces the cache, delivers the differences and opens the
  // watch. Returns false (after logging) when the list or watch failed.
  bool Relist();
  void OnEvent(uint64_t generation, const WatchEvent& event);
  void Deliver(const std::vector<Change>& changes);

  Client& client_;
  const ResourceRef resource_;
  const Options options_;

  mutable std::mutex mu_;  // guards everything below but handlers_
  std::condition_variable wake_;
  std::map<Key, Entry> cache_;
  bool synced_ = false;
  bool started_ = false;
  bool stopping_ = false;
  bool relist_ = true;       // the keeper must list (again)
  uint64_t generation_ = 0;  // of the current watch; older events are stale
  uint64_t lists_ = 0;
  std::thread keeper_;

  // Serializes handler calls; taken before mu_ when both are held.
  std::mutex deliver_mu_;
  std::map<uint64_t, InformerHandlers> handlers_;  // under deliver_mu_
  uint64_t next_handler_id_ = 1;

  std::unique_ptr<WatchHandle> watch_;  // keeper thread only
};

}  // namespace berth

#endif  // BERTH_KERNEL_CONTROLLER_SHARED_INFORMER_H_
