// The LevelDB-backed Store (see store.h). Writes are group-committed: a
// writer checks its preconditions against the pending writes and the cache
// under write_mu_, takes the next revision, queues its op and waits; the
// committer thread writes everything queued as one synced WriteBatch, then
// applies it to the cache, wakes the writers and publishes the events to the
// watchers. So concurrent writers share one fsync, and readers only ever see
// durable state.
//
// Locks, always taken in this order: write_mu_ (queue, overlay, revision
// assignment; the cache may be read without cache_mu_ while holding it,
// because the cache only changes under both), cache_mu_ (cache and
// committed revision), then the watch hub's locks. The committer publishes
// a batch to the hub after releasing the first two, so a watch registered
// in between may see the batch in the cache before the hub has it; the hub
// copes (see WatchHub::Register).
#include "kernel/store/leveldb_store.h"

#include <algorithm>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "kernel/store/continue_token.h"
#include "kernel/store/record_codec.h"
#include "kernel/store/store.h"
#include "kernel/store/watch_hub.h"
#include "leveldb/db.h"
#include "leveldb/write_batch.h"

namespace berth::store {
namespace {

// One queued write. Lives on the writer's stack until `done`.
struct PendingOp {
  WindowEntry entry;  // entry.event.object is what the cache gets
  bool is_delete = false;
  bool done = false;
  Status status;
  // Its own, so a commit wakes exactly its writers and not those already
  // queued for the next batch.
  std::condition_variable done_cv;
};

// The newest not-yet-durable state of a key; nullopt when deleted.
struct OverlayEntry {
  std::optional<Object> object;
  uint64_t revision = 0;
};

std::unordered_map<std::string_view, const Object*> IndexOf(
    const std::map<std::string, Object>& cache) {
  std::unordered_map<std::string_view, const Object*> index;
  index.reserve(cache.size());
  for (const auto& [key, obj] : cache) index.emplace(key, &obj);
  return index;
}

class LevelDbStore : public Store {
 public:
  LevelDbStore(std::unique_ptr<leveldb::DB> db, const Options& options,
               std::map<std::string, Object> cache, uint64_t revision)
      : db_(std::move(db)),
        sync_(options.sync),
        cache_(std::move(cache)),
        by_key_(IndexOf(cache_)),
        committed_revision_(revision),
        assigned_revision_(revision),
        hub_(std::make_shared<WatchHub>(options.watch_window_events,
                                        options.watch_window_bytes,
                                        options.watch_queue_limit, revision)),
        committer_([this] { CommitLoop(); }) {}

  ~LevelDbStore() override {
    {
      std::lock_guard<std::mutex> lock(write_mu_);
      closing_ = true;
    }
    commit_cv_.notify_one();
    committer_.join();
    hub_->CloseAll(Status::Unavailable("the store was closed"));
  }

  StatusOr<Object> Create(
      const std::string& key,
      const std::function<StatusOr<NewValue>(uint64_t rev)>& make) override {
    std::unique_lock<std::mutex> lock(write_mu_);
    if (closing_) return Closed();
    if (LookupLocked(key) != nullptr) {
      return Status::AlreadyExists("key already exists: " + key);
    }
    const uint64_t rev = assigned_revision_ + 1;
    StatusOr<NewValue> value = make(rev);
    if (!value.ok()) return value.status();
    PendingOp op;
    op.entry.event.type = Event::Type::kAdded;
    op.entry.event.object = MakeObject(key, std::move(*value), rev, rev);
    return EnqueueAndWait(lock, &op);
  }

  StatusOr<Object> Get(const std::string& key) const override {
    std::shared_lock<std::shared_mutex> lock(cache_mu_);
    auto it = by_key_.find(key);
    if (it == by_key_.end()) return Status::NotFound("key not found: " + key);
    return *it->second;
  }

  StatusOr<ListResult> List(const std::string& prefix, const Predicate& pred,
                            int64_t limit,
                            const std::string& continue_token) const override {
    std::optional<ContinuePosition> start;
    if (!continue_token.empty()) {
      StatusOr<ContinuePosition> pos =
          DecodeContinueToken(continue_token, prefix);
      if (!pos.ok()) return pos.status();
      start = std::move(*pos);
    }
    ListResult result;
    std::shared_lock<std::shared_mutex> lock(cache_mu_);
    result.revision = committed_revision_;
    auto it = start ? cache_.upper_bound(start->last_key)
                    : cache_.lower_bound(prefix);
    for (; it != cache_.end() && it->first.starts_with(prefix); ++it) {
      if (pred && !pred(it->second)) continue;
      if (limit > 0 && result.items.size() == static_cast<size_t>(limit)) {
        result.continue_token =
            EncodeContinueToken(result.revision, result.items.back().key);
        break;
      }
      result.items.push_back(it->second);
    }
    return result;
  }

  StatusOr<Object> GuaranteedUpdate(
      const std::string& key,
      const std::function<StatusOr<NewValue>(const Object& current,
                                             uint64_t rev)>& update) override {
    std::unique_lock<std::mutex> lock(write_mu_);
    if (closing_) return Closed();
    const Object* current = LookupLocked(key);
    if (current == nullptr) return Status::NotFound("key not found: " + key);
    const uint64_t rev = assigned_revision_ + 1;
    StatusOr<NewValue> value = update(*current, rev);
    if (!value.ok()) return value.status();
    if (value->unchanged) return *current;
    PendingOp op;
    op.entry.prev = *current;
    op.entry.event.type = Event::Type::kModified;
    op.entry.event.object =
        MakeObject(key, std::move(*value), current->create_revision, rev);
    return EnqueueAndWait(lock, &op);
  }

  StatusOr<Object> Delete(
      const std::string& key,
      const std::function<StatusOr<std::string>(
          const Object& current, uint64_t rev)>& final_state) override {
    std::unique_lock<std::mutex> lock(write_mu_);
    if (closing_) return Closed();
    const Object* current = LookupLocked(key);
    if (current == nullptr) return Status::NotFound("key not found: " + key);
    const uint64_t rev = assigned_revision_ + 1;
    StatusOr<std::string> data = final_state(*current, rev);
    if (!data.ok()) return data.status();
    PendingOp op;
    op.is_delete = true;
    op.entry.prev = *current;
    op.entry.event.type = Event::Type::kDeleted;
    Object& final_object = op.entry.event.object;
    final_object = *current;
    final_object.data = std::make_shared<const std::string>(std::move(*data));
    final_object.mod_revision = rev;
    return EnqueueAndWait(lock, &op);
  }

  StatusOr<std::unique_ptr<Watcher>> Watch(const std::string& prefix,
                                           uint64_t from_revision,
                                           const Predicate& pred) override {
    std::shared_lock<std::shared_mutex> lock(cache_mu_);
    std::vector<Event> initial;
    if (from_revision == 0) {
      for (auto it = cache_.lower_bound(prefix);
           it != cache_.end() && it->first.starts_with(prefix); ++it) {
        if (pred && !pred(it->second)) continue;
        initial.push_back(
            Event{Event::Type::kAdded, it->second, it->second.mod_revision});
      }
      from_revision = committed_revision_;
    }
    return hub_->Register(prefix, pred, from_revision, std::move(initial));
  }

  uint64_t CurrentRevision() const override {
    std::shared_lock<std::shared_mutex> lock(cache_mu_);
    return committed_revision_;
  }

  size_t Count(const std::string& prefix) const override {
    std::shared_lock<std::shared_mutex> lock(cache_mu_);
    size_t n = 0;
    for (auto it = cache_.lower_bound(prefix);
         it != cache_.end() && it->first.starts_with(prefix); ++it) {
      ++n;
    }
    return n;
  }

 private:
  static Status Closed() { return Status::Unavailable("the store is closed"); }

  static Object MakeObject(const std::string& key, NewValue value,
                           uint64_t create_revision, uint64_t mod_revision) {
    Object obj;
    obj.key = key;
    obj.data = std::make_shared<const std::string>(std::move(value.data));
    obj.attrs = std::make_shared<const Attrs>(std::move(value.attrs));
    obj.create_revision = create_revision;
    obj.mod_revision = mod_revision;
    return obj;
  }

  // The newest state of `key` including pending writes, or nullptr. Valid
  // while write_mu_ is held.
  const Object* LookupLocked(const std::string& key) const {
    auto pending = overlay_.find(key);
    if (pending != overlay_.end()) {
      return pending->second.object ? &*pending->second.object : nullptr;
    }
    auto it = by_key_.find(key);
    return it == by_key_.end() ? nullptr : it->second;
  }

  // Takes the op's revision, hands it to the committer and waits until it is
  // durable (or failed). Returns what the caller acknowledges.
  StatusOr<Object> EnqueueAndWait(std::unique_lock<std::mutex>& lock,
                                  PendingOp* op) {
    Event& event = op->entry.event;
    event.revision = event.object.mod_revision;
    assigned_revision_ = event.revision;
    OverlayEntry& pending = overlay_[event.object.key];
    pending.revision = event.revision;
    if (op->is_delete) {
      pending.object.reset();
    } else {
      pending.object = event.object;
    }
    queue_.push_back(op);
    if (queue_.size() == 1) commit_cv_.notify_one();
    op->done_cv.wait(lock, [op] { return op->done; });
    if (!op->status.ok()) return op->status;
    return std::move(event.object);
  }

  void CommitLoop() {
    std::vector<PendingOp*> batch;
    std::vector<WindowEntry> entries;
    std::unique_lock<std::mutex> lock(write_mu_);
    for (;;) {
      commit_cv_.wait(lock, [this] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;  // closing_, and nothing left to commit
      batch.swap(queue_);
      lock.unlock();
      const leveldb::Status written = WriteBatch(batch);
      lock.lock();
      entries.clear();
      if (written.ok()) {
        ApplyLocked(batch, &entries);
      } else {
        FailLocked(batch, written);
      }
      batch.clear();
      if (!entries.empty()) {
        // Outside the locks so fan-out to many watchers does not stall
        // writers; this thread is the only publisher, so order holds.
        lock.unlock();
        hub_->Publish(entries);
        lock.lock();
      }
    }
  }

  leveldb::Status WriteBatch(const std::vector<PendingOp*>& batch) {
    leveldb::WriteBatch wb;
    for (const PendingOp* op : batch) {
      const Object& obj = op->entry.event.object;
      const std::string record_key = ObjectRecordKey(obj.key);
      if (op->is_delete) {
        wb.Delete(record_key);
      } else {
        wb.Put(record_key, EncodeObjectRecord(obj.create_revision,
                                              obj.mod_revision, *obj.data));
      }
    }
    wb.Put(std::string(kRevisionKey),
           EncodeRevision(batch.back()->entry.event.revision));
    leveldb::WriteOptions options;
    options.sync = sync_;
    return db_->Write(options, &wb);
  }

  // The batch is durable: make it visible, release its writers and collect
  // its events.
  void ApplyLocked(const std::vector<PendingOp*>& batch,
                   std::vector<WindowEntry>* entries) {
    std::unique_lock<std::shared_mutex> cache_lock(cache_mu_);
    for (PendingOp* op : batch) {
      const Object& obj = op->entry.event.object;
      if (op->is_delete) {
        by_key_.erase(obj.key);
        cache_.erase(obj.key);
      } else {
        auto [it, inserted] = cache_.insert_or_assign(obj.key, obj);
        if (inserted) by_key_.emplace(it->first, &it->second);
      }
      auto pending = overlay_.find(obj.key);
      if (pending != overlay_.end() &&
          pending->second.revision == op->entry.event.revision) {
        overlay_.erase(pending);
      }
      entries->push_back(op->entry);
      Finish(op, Status::Ok());
    }
    committed_revision_ = batch.back()->entry.event.revision;
  }

  // Under write_mu_, which the writer waits with.
  static void Finish(PendingOp* op, Status status) {
    op->status = std::move(status);
    op->done = true;
    op->done_cv.notify_one();
  }

  // The batch did not reach disk. Everything queued behind it may have been
  // built on its state, so that fails too, and the overlay and revision
  // counter go back to the durable state.
  void FailLocked(const std::vector<PendingOp*>& batch,
                  const leveldb::Status& why) {
    const Status status =
        Status::Internal("store write failed: " + why.ToString());
    for (PendingOp* op : batch) Finish(op, status);
    for (PendingOp* op : queue_) Finish(op, status);
    queue_.clear();
    overlay_.clear();
    assigned_revision_ = committed_revision_;
  }

  const std::unique_ptr<leveldb::DB> db_;
  const bool sync_;

  std::mutex write_mu_;
  std::condition_variable commit_cv_;  // the committer waits for work
  bool closing_ = false;
  std::vector<PendingOp*> queue_;
  std::unordered_map<std::string, OverlayEntry> overlay_;

  mutable std::shared_mutex cache_mu_;
  std::map<std::string, Object> cache_;
  // Point lookups (Get, the write path) by hash instead of a walk down the
  // ordered map, whose long shared key prefixes make each step a memcmp.
  // Keys and values point into cache_'s nodes, which never move.
  std::unordered_map<std::string_view, const Object*> by_key_;
  uint64_t committed_revision_;  // written under both locks
  uint64_t assigned_revision_;   // under write_mu_

  const std::shared_ptr<WatchHub> hub_;
  std::thread committer_;  // last: starts once everything else is built
};

Status LevelDbError(const std::string& dir, const leveldb::Status& s) {
  return Status::Internal("leveldb store " + dir + ": " + s.ToString());
}

}  // namespace

StatusOr<std::unique_ptr<Store>> OpenLevelDbStore(const std::string& dir,
                                                  Options options) {
  return OpenLevelDbStoreWithEnv(dir, std::move(options), nullptr);
}

StatusOr<std::unique_ptr<Store>> OpenLevelDbStoreWithEnv(const std::string& dir,
                                                         Options options,
                                                         leveldb::Env* env) {
  leveldb::Options db_options;
  db_options.create_if_missing = true;
  if (env != nullptr) db_options.env = env;
  // Every read is served from memory; bigger memtables mean fewer
  // compactions competing with the group commits.
  db_options.write_buffer_size = 16 << 20;
  leveldb::DB* raw = nullptr;
  leveldb::Status s = leveldb::DB::Open(db_options, dir, &raw);
  if (!s.ok()) return LevelDbError(dir, s);
  std::unique_ptr<leveldb::DB> db(raw);

  uint64_t revision = 0;
  std::string stored_revision;
  s = db->Get(leveldb::ReadOptions(), std::string(kRevisionKey),
              &stored_revision);
  if (s.ok()) {
    if (!DecodeRevision(stored_revision, &revision)) {
      return Status::Internal("leveldb store " + dir +
                              ": corrupt revision record");
    }
  } else if (!s.IsNotFound()) {
    return LevelDbError(dir, s);
  }

  std::map<std::string, Object> cache;
  leveldb::ReadOptions scan;
  scan.fill_cache = false;
  std::unique_ptr<leveldb::Iterator> it(db->NewIterator(scan));
  for (it->Seek(
           leveldb::Slice(kObjectKeyPrefix.data(), kObjectKeyPrefix.size()));
       it->Valid() && it->key().starts_with(leveldb::Slice(
                          kObjectKeyPrefix.data(), kObjectKeyPrefix.size()));
       it->Next()) {
    const std::string_view record_key(it->key().data(), it->key().size());
    const std::string_view value(it->value().data(), it->value().size());
    DecodedRecord record;
    if (!DecodeObjectRecord(value, &record)) {
      return Status::Internal("leveldb store " + dir +
                              ": corrupt record for key " +
                              std::string(record_key));
    }
    Object obj;
    obj.key = std::string(record_key.substr(kObjectKeyPrefix.size()));
    obj.data = std::make_shared<const std::string>(record.data);
    obj.attrs = std::make_shared<const Attrs>(
        options.attrs_for_load ? options.attrs_for_load(obj.key, *obj.data)
                               : Attrs());
    obj.create_revision = record.create_revision;
    obj.mod_revision = record.mod_revision;
    // The revision record is in every batch, so this only matters for a
    // store written by something else; revisions must never go backwards.
    revision = std::max(revision, obj.mod_revision);
    std::string key = obj.key;
    cache.emplace_hint(cache.end(), std::move(key), std::move(obj));
  }
  if (!it->status().ok()) return LevelDbError(dir, it->status());
  it.reset();

  return std::unique_ptr<Store>(
      new LevelDbStore(std::move(db), options, std::move(cache), revision));
}

}  // namespace berth::store
