// Informer: a shared, read-only cache of one resource across all
// namespaces, kept current by list+watch, as client-go's SharedInformer.
// Plugins get one per resource from Host::InformerFor; every plugin asking
// for the same resource shares it, so N controllers reading pods cost one
// watch. When the watch ends (410 Gone after compaction, a server restart,
// an ERROR event) the informer lists again and tells its handlers what
// changed meanwhile.
//
// Thread safety: every method may be called from any thread. Handlers run
// one change at a time, in the order the cache changed, on a kernel thread;
// they must not block for long and must not call AddHandlers or
// RemoveHandlers (Get and List are fine).
#ifndef BERTH_SDK_INFORMER_H_
#define BERTH_SDK_INFORMER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "berth/status.h"

namespace berth {

// An object as the cache holds it: its JSON, shared (never copied per
// reader) and never changed once published.
using CachedObject = std::shared_ptr<const std::string>;

// What an informer tells its handlers. Unset members are skipped.
struct InformerHandlers {
  std::function<void(const CachedObject& obj)> on_add;
  std::function<void(const CachedObject& old_obj, const CachedObject& obj)>
      on_update;
  // The last state the cache had of the deleted object.
  std::function<void(const CachedObject& obj)> on_delete;
};

class Informer {
 public:
  virtual ~Informer() = default;

  // True once the first list is in the cache.
  virtual bool HasSynced() const = 0;

  // The cached object, or NotFound. `ns` is "" for cluster-scoped objects.
  virtual StatusOr<CachedObject> Get(const std::string& ns,
                                     const std::string& name) const = 0;

  // The cached objects in namespace `ns` ("" for every namespace) whose
  // labels match `label_selector` (the labelSelector query syntax, ""
  // matches all), ordered by namespace and name. BadRequest for a selector
  // that does not parse.
  virtual StatusOr<std::vector<CachedObject>> List(
      const std::string& ns, const std::string& label_selector = "") const = 0;

  // Adds handlers. Before it returns, on_add is called (on the calling
  // thread, in turn with deliveries) for every object already cached; then
  // the handlers get every change. Returns an id for RemoveHandlers.
  virtual uint64_t AddHandlers(InformerHandlers handlers) = 0;
  // Removes handlers; none of them runs after this returns (unless called
  // from a handler, which is not allowed).
  virtual void RemoveHandlers(uint64_t id) = 0;
};

}  // namespace berth

#endif  // BERTH_SDK_INFORMER_H_
