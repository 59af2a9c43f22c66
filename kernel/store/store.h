// Store: the kernel's object store, shaped like the Kubernetes apiserver's
// storage.Interface. Keys are opaque strings ("/registry/<group>/<resource>/
// <namespace>/<name>"); values are opaque bytes (the API layer stores JSON).
// One global uint64 revision is incremented by every write and is every
// object's metadata.resourceVersion: the store hands the caller the revision
// a write will get and the caller stamps it into the bytes.
//
// Every Get/List/Watch is served from memory; the backend (LevelDB) is the
// truth. A write returns only once it is durable (fsync'd, group-committed
// with concurrent writes); readers and watchers see only durable writes.
//
// Thread safety: all methods are safe to call concurrently. The callbacks
// passed to Create/GuaranteedUpdate/Delete run under the store's write lock:
// they must be quick and must not call back into the store.
#ifndef BERTH_KERNEL_STORE_STORE_H_
#define BERTH_KERNEL_STORE_STORE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "berth/status.h"

namespace berth::store {

// What selectors evaluate, computed once when an object is written.
struct Attrs {
  std::map<std::string, std::string> labels;
  // "metadata.name", "metadata.namespace" and any kind-specific fields.
  std::map<std::string, std::string> fields;
};

// One stored object. `data` is shared and immutable: the cache, the watch
// window and every reply hold the same bytes.
struct Object {
  std::string key;
  std::shared_ptr<const std::string> data;
  std::shared_ptr<const Attrs> attrs;
  uint64_t create_revision = 0;
  uint64_t mod_revision = 0;
};

// What a write callback produces. unchanged=true (GuaranteedUpdate only)
// means "no change": nothing is written and the revision is not bumped.
struct NewValue {
  std::string data;
  Attrs attrs;
  bool unchanged = false;
};

// An empty predicate matches everything.
using Predicate = std::function<bool(const Object&)>;

struct ListResult {
  std::vector<Object> items;   // in key order
  uint64_t revision = 0;       // the store revision the list reflects
  std::string continue_token;  // non-empty when `limit` cut the list
};

struct Event {
  enum class Type { kAdded, kModified, kDeleted };
  Type type = Type::kAdded;
  // The object after the change; for kDeleted, its final state as returned
  // by the Delete callback (stamped with the deletion revision).
  Object object;
  uint64_t revision = 0;
};

// One event as the watch hub hands it out: immutable and shared by every
// watcher that sees it as it was committed, so fanning an event out to many
// watchers costs a pointer each. `Encoded` keeps one derived form of it (the
// API layer's wire bytes), made once by whichever thread asks first; every
// caller must ask for the same form.
class SharedEvent {
 public:
  explicit SharedEvent(Event event) : event_(std::move(event)) {}
  SharedEvent(const SharedEvent&) = delete;
  SharedEvent& operator=(const SharedEvent&) = delete;

  const Event& event() const { return event_; }

  // `encode(event())` the first time; the same bytes after that. Safe from
  // any thread; the returned reference lives as long as this object.
  template <typename Encode>
  const std::string& Encoded(Encode&& encode) const {
    std::call_once(encoded_once_, [&] { encoded_ = encode(event_); });
    return encoded_;
  }

 private:
  const Event event_;
  mutable std::once_flag encoded_once_;
  mutable std::string encoded_;
};

using EventPtr = std::shared_ptr<const SharedEvent>;

// An open watch. Events are queued per watcher (as shared pointers); a
// watcher that falls more than Options::watch_queue_limit events behind is
// closed with Gone.
class Watcher {
 public:
  virtual ~Watcher() = default;
  // Waits up to `timeout` for events and appends them to `out`. Returns
  // false when the watch is closed (then error() says why); true otherwise,
  // even when no event came before the timeout. The events may be shared
  // with other watchers: never cast their constness away.
  virtual bool NextShared(std::vector<EventPtr>* out,
                          std::chrono::milliseconds timeout) = 0;
  // NextShared, with copies of the events (for callers that keep or change
  // them).
  bool Next(std::vector<Event>* out, std::chrono::milliseconds timeout) {
    std::vector<EventPtr> shared;
    const bool open = NextShared(&shared, timeout);
    out->reserve(out->size() + shared.size());
    for (const EventPtr& ev : shared) out->push_back(ev->event());
    return open;
  }
  // The revision up to which every event has been handed out (for BOOKMARK).
  virtual uint64_t Progress() const = 0;
  virtual Status error() const = 0;
  // Closes the watch; a blocked Next returns false. Idempotent. Once Stop
  // returns, the notify callback is never called again.
  virtual void Stop() = 0;
  // Registers `notify` (replacing any earlier one; empty: none), called each
  // time events become ready for Next or the watch closes, and once at
  // registration when either already holds. It lets one thread serve many
  // watchers without blocking in Next: after a call, Next with a zero
  // timeout returns the events or false. It runs on the writing thread with
  // the watcher's lock held, so it must be quick (queue the watcher, wake a
  // thread) and must not call into this watcher.
  virtual void SetNotify(std::function<void()> notify) = 0;
};

struct Options {
  // Fsync each group commit. Off only for benchmarks that say so.
  bool sync = true;
  // Watch history kept for resuming watches from an older revision: the
  // window is compacted on every commit to at most this many events and
  // this many bytes of object data (an event's object plus the version
  // before it), and older revisions answer Gone. The byte bound keeps a
  // store of large objects (150,000 pods) from holding hundreds of MiB of
  // superseded versions; bytes shared with the current state count too.
  size_t watch_window_events = 100000;
  size_t watch_window_bytes = 64u << 20;
  size_t watch_queue_limit = 100000;
  // Recomputes the selector attributes of an object read back from disk at
  // Open (kinds are known to the caller, not the store).
  std::function<Attrs(std::string_view key, std::string_view data)>
      attrs_for_load;
};

class Store {
 public:
  virtual ~Store() = default;

  // Creates `key`. `make(rev)` builds the value for revision `rev`.
  // AlreadyExists when the key is present; make's error aborts the write.
  virtual StatusOr<Object> Create(
      const std::string& key,
      const std::function<StatusOr<NewValue>(uint64_t rev)>& make) = 0;

  // The current object, or NotFound.
  virtual StatusOr<Object> Get(const std::string& key) const = 0;

  // Objects whose key starts with `prefix` and that match `pred`, at most
  // `limit` of them (0: no limit), starting after the position encoded in
  // `continue_token` (from an earlier ListResult). A malformed token is
  // BadRequest; a token whose revision was compacted is Gone.
  virtual StatusOr<ListResult> List(
      const std::string& prefix, const Predicate& pred, int64_t limit,
      const std::string& continue_token) const = 0;

  // Reads `key` and writes `update(current, rev)`; the callback checks
  // preconditions (returning Conflict etc.) and builds the new value.
  // NotFound when the key is absent. With NewValue::unchanged the current
  // object is returned untouched.
  virtual StatusOr<Object> GuaranteedUpdate(
      const std::string& key,
      const std::function<StatusOr<NewValue>(const Object& current,
                                             uint64_t rev)>& update) = 0;

  // Deletes `key`. `final_state(current, rev)` checks preconditions and
  // returns the bytes the DELETED event carries. NotFound when absent.
  virtual StatusOr<Object> Delete(
      const std::string& key,
      const std::function<StatusOr<std::string>(
          const Object& current, uint64_t rev)>& final_state) = 0;

  // Watches keys under `prefix` matching `pred`. from_revision 0: an ADDED
  // event for every current object first, then changes; N > 0: every change
  // after revision N, or Gone when N is older than the watch window.
  virtual StatusOr<std::unique_ptr<Watcher>> Watch(const std::string& prefix,
                                                   uint64_t from_revision,
                                                   const Predicate& pred) = 0;

  // The revision of the last durable write.
  virtual uint64_t CurrentRevision() const = 0;
  // Number of objects whose key starts with prefix (for metrics, tests).
  virtual size_t Count(const std::string& prefix) const = 0;
};

// Opens (creating if needed) a LevelDB-backed store in `dir` and loads every
// object into memory. Errors: the LevelDB status as Internal, with the path.
StatusOr<std::unique_ptr<Store>> OpenLevelDbStore(const std::string& dir,
                                                  Options options);

}  // namespace berth::store

#endif  // BERTH_KERNEL_STORE_STORE_H_
