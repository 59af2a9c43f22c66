#include "kernel/gc/garbage_collector.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>
#include <unordered_map>
#include <unordered_set>

namespace berth::gc {
namespace {

constexpr char kRegistryPrefix[] = "/registry/";
constexpr char kDeleteItem[] = "delete/";
constexpr char kOrphanItem[] = "orphan/";
// Lost compare-and-swaps retried at once before the item is re-queued.
constexpr int kModifyAttempts = 5;

const char* PolicyName(api::Propagation p) {
  switch (p) {
    case api::Propagation::kOrphan:
      return "Orphan";
    case api::Propagation::kForeground:
      return "Foreground";
    default:
      return "Background";
  }
}

// Rewrites metadata.ownerReferences, keeping the entries `keep` accepts and
// passing each kept entry to `edit`. Returns whether anything changed.
bool EditOwnerReferences(JsonDoc& obj,
                         const std::function<bool(const Json& ref)>& keep,
                         const std::function<bool(Json& ref)>& edit) {
  Json* refs = Find(obj, {"metadata", "ownerReferences"});
  if (!refs || !refs->IsArray()) return false;
  auto& a = obj.GetAllocator();
  bool changed = false;
  Json kept(rapidjson::kArrayType);
  for (auto& r : refs->GetArray()) {
    if (!keep(r)) {
      changed = true;
      continue;
    }
    if (edit && edit(r)) changed = true;
    kept.PushBack(Json(r, a), a);
  }
  if (!changed) return false;
  if (kept.Empty()) {
    obj["metadata"].RemoveMember("ownerReferences");
  } else {
    *refs = std::move(kept);
  }
  return true;
}

std::string RefUid(const Json& ref) { return GetString(ref, {"uid"}); }

}  // namespace

GarbageCollector::GarbageCollector(store::Store* store,
                                   api::ResourceService* service,
                                   const KindRegistry* kinds)
    : GarbageCollector(store, service, kinds, Options()) {}

GarbageCollector::GarbageCollector(store::Store* store,
                                   api::ResourceService* service,
                                   const KindRegistry* kinds,
                                   const Options& options)
    : store_(store),
      service_(service),
      kinds_(kinds),
      options_(options),
      queue_(options.backoff_base, options.backoff_max) {
  user_.name = "system:serviceaccount:kube-system:generic-garbage-collector";
  user_.groups = {"system:masters"};
}

GarbageCollector::~GarbageCollector() { Stop(); }

void GarbageCollector::Start() {
  std::lock_guard<std::mutex> l(life_mu_);
  if (started_ || stopping_) return;
  started_ = true;
  watch_thread_ = std::thread([this] { WatchLoop(); });
}

void GarbageCollector::Stop() {
  {
    std::lock_guard<std::mutex> l(life_mu_);
    if (stopping_) return;
    stopping_ = true;
    if (watcher_) watcher_->Stop();
  }
  life_cv_.notify_all();
  if (watch_thread_.joinable()) watch_thread_.join();
  queue_.ShutDown();
  for (auto& t : workers_) t.join();
  workers_.clear();
}

size_t GarbageCollector::GraphSize() const {
  std::lock_guard<std::mutex> l(mu_);
  return graph_.size();
}

void GarbageCollector::WatchLoop() {
  auto pause = [this] {
    std::unique_lock<std::mutex> l(life_mu_);
    life_cv_.wait_for(l, options_.relist_delay, [this] { return stopping_; });
    return !stopping_;
  };
  while (true) {
    {
      std::lock_guard<std::mutex> l(life_mu_);
      if (stopping_) return;
    }
    auto revision = Sync();
    if (!revision.ok()) {
      spdlog::warn("gc: listing objects failed: {}",
                   revision.status().message());
      if (!pause()) return;
      continue;
    }
    if (!synced_) {
      // Only now may anything be deleted: the graph holds every owner.
      for (int i = 0; i < std::max(1, options_.workers); ++i) {
        workers_.emplace_back([this] { Work(); });
      }
      synced_ = true;
    }
    auto w = store_->Watch(kRegistryPrefix, *revision, {});
    if (!w.ok()) {
      spdlog::warn("gc: watch failed: {}", w.status().message());
      if (!pause()) return;
      continue;
    }
    store::Watcher* watcher = nullptr;
    {
      std::lock_guard<std::mutex> l(life_mu_);
      if (stopping_) return;
      watcher_ = std::move(w).value();
      watcher = watcher_.get();
    }
    // Shared events: the collector reads every write in the store and
    // keeps nothing of the event itself.
    std::vector<store::EventPtr> events;
    bool open = true;
    while (open) {
      events.clear();
      open = watcher->NextShared(&events, std::chrono::milliseconds(1000));
      for (const auto& ev : events) Apply(ev->event());
    }
    Status why = watcher->error();
    {
      std::lock_guard<std::mutex> l(life_mu_);
      watcher_.reset();
      if (stopping_) return;
    }
    // Fell behind (Gone) or closed: list again; the graph is rebuilt.
    spdlog::info("gc: watch closed ({}), listing again", why.message());
    if (!pause()) return;
  }
}

StatusOr<uint64_t> GarbageCollector::Sync() {
  auto list = store_->List(kRegistryPrefix, {}, 0, "");
  if (!list.ok()) return list.status();
  // Every uid with its namespace, only while building: the graph itself
  // keeps nothing for objects outside ownership relations.
  std::unordered_map<std::string, std::string> ns_of_uid;
  std::vector<std::pair<std::string, Ownership>> relevant;
  for (const auto& item : list->items) {
    Ownership o = ParseOwnership(std::string_view(*item.data));
    if (o.uid.empty()) continue;
    ns_of_uid[o.uid] = o.ns;
    if (!o.owners.empty() || o.Orphaning() || o.DeletingDependents()) {
      relevant.emplace_back(item.key, std::move(o));
    }
  }
  DependencyGraph graph;
  GraphWork all;
  for (const auto& [key, o] : relevant) graph.Observe(key, o, &all);
  // Observe asks to check every dependent; at start-up only those whose
  // owners look absent (or live in another namespace) need it, plus the
  // objects already deleting in foreground and their dependents.
  GraphWork work;
  work.attempt_to_orphan = std::move(all.attempt_to_orphan);
  for (const auto& [key, o] : relevant) {
    bool check = false;
    for (const auto& ref : o.owners) {
      auto it = ns_of_uid.find(ref.uid);
      if (it == ns_of_uid.end() || (!it->second.empty() && it->second != o.ns))
        check = true;
    }
    if (o.DeletingDependents()) {
      check = true;
      for (const auto& d : graph.Dependents(o.uid)) {
        work.attempt_to_delete.push_back(d.uid);
      }
    }
    if (check) work.attempt_to_delete.push_back(o.uid);
  }
  {
    std::lock_guard<std::mutex> l(mu_);
    graph_ = std::move(graph);
  }
  spdlog::debug("gc: graph built from {} objects, {} nodes, {} to check",
                list->items.size(), GraphSize(), work.attempt_to_delete.size());
  Enqueue(work);
  return list->revision;
}

void GarbageCollector::Apply(const store::Event& event) {
  Ownership o = ParseOwnership(std::string_view(*event.object.data));
  if (o.uid.empty()) return;
  GraphWork work;
  {
    std::lock_guard<std::mutex> l(mu_);
    if (event.type == store::Event::Type::kDeleted) {
      graph_.Remove(o, &work);
    } else {
      graph_.Observe(event.object.key, o, &work);
    }
  }
  Enqueue(work);
}

void GarbageCollector::Enqueue(const GraphWork& work) {
  for (const auto& uid : work.attempt_to_delete) queue_.Add(kDeleteItem + uid);
  for (const auto& uid : work.attempt_to_orphan) queue_.Add(kOrphanItem + uid);
}

void GarbageCollector::Work() {
  std::string item;
  while (queue_.Get(&item)) {
    Status s = Process(item);
    if (s.ok()) {
      queue_.Forget(item);
    } else {
      spdlog::debug("gc: {} failed, retrying: {}", item, s.message());
      queue_.AddRateLimited(item);
    }
    queue_.Done(item);
  }
}

Status GarbageCollector::Process(const std::string& item) {
  const std::string_view v(item);
  if (v.rfind(kDeleteItem, 0) == 0) {
    return AttemptToDelete(item.substr(sizeof(kDeleteItem) - 1));
  }
  if (v.rfind(kOrphanItem, 0) == 0) {
    return AttemptToOrphan(item.substr(sizeof(kOrphanItem) - 1));
  }
  return {};
}

const Kind* GarbageCollector::KindOfKey(const std::string& key) const {
  const auto [group, plural] = api::ResourceService::GroupResourceOfKey(key);
  return kinds_->ByGroupResource(group, plural);
}

GarbageCollector::Resolved GarbageCollector::ResolveOwner(
    const OwnerReference& ref, const std::string& ns) const {
  const std::string group = ref.Group();
  const Kind* k = kinds_->ByKind(group, ref.Version(), ref.kind);
  if (!k) {
    // The owner's kind served under another version is the same object.
    for (const Kind* c : kinds_->All()) {
      if (c->Info().group == group && c->Info().kind == ref.kind) k = c;
    }
  }
  if (!k) return {};
  // A cluster-scoped object cannot be owned by a namespaced one; Kubernetes
  // leaves such an object alone rather than guess.
  if (k->Info().namespaced && ns.empty()) return {};
  return {k, api::ResourceService::Key(k->Info(), ns, ref.name)};
}

OwnerState GarbageCollector::StateOf(const OwnerReference& ref,
                                     const std::string& ns) const {
  Resolved r = ResolveOwner(ref, ns);
  if (!r.kind) {
    spdlog::debug(
        "gc: owner {} {} of an object in namespace '{}' cannot be "
        "resolved",
        ref.api_version + "/" + ref.kind, ref.name, ns);
    return OwnerState::kUnresolvable;
  }
  auto cur = store_->Get(r.key);
  if (!cur.ok()) {
    return cur.status().IsNotFound() ? OwnerState::kDangling
                                     : OwnerState::kUnresolvable;
  }
  Ownership owner = ParseOwnership(std::string_view(*cur->data));
  if (owner.uid != ref.uid) return OwnerState::kDangling;
  if (owner.DeletingDependents()) return OwnerState::kWaitingForDependents;
  return OwnerState::kSolid;
}

Status GarbageCollector::AttemptToDelete(const std::string& uid) {
  std::optional<std::string> key;
  std::vector<DependentInfo> dependents;
  {
    std::lock_guard<std::mutex> l(mu_);
    key = graph_.KeyOf(uid);
    dependents = graph_.Dependents(uid);
  }
  if (!key) return {};  // virtual: its dependents are checked themselves
  const Kind* kind = KindOfKey(*key);
  if (!kind) return {};
  auto cur = store_->Get(*key);
  if (!cur.ok()) return cur.status().IsNotFound() ? Status() : cur.status();
  Ownership latest = ParseOwnership(std::string_view(*cur->data));
  if (latest.uid != uid) return {};
  if (latest.DeletingDependents()) {
    bool blocked = false;
    for (const auto& d : dependents) {
      if (!d.blocks_owner) continue;
      blocked = true;
      // Deleting it (again) is what frees the owner; those deleting their
      // own dependents get there by themselves.
      if (!d.deleting_dependents) queue_.Add(kDeleteItem + d.uid);
    }
    if (blocked) return {};
    return RemoveFinalizer(*kind, *key, uid, api::kForegroundDeletionFinalizer);
  }
  if (latest.being_deleted || latest.owners.empty()) return {};

  std::vector<OwnerState> states;
  for (const auto& ref : latest.owners) {
    states.push_back(StateOf(ref, latest.ns));
  }
  bool dependent_deleting = false;
  for (const auto& d : dependents) {
    dependent_deleting = dependent_deleting || d.deleting_dependents;
  }
  Decision d = DecideForDependent(latest, states, !dependents.empty(),
                                  dependent_deleting);
  switch (d.action) {
    case Decision::Action::kNone:
      return {};
    case Decision::Action::kRemoveOwnerReferences: {
      std::unordered_set<std::string> drop(d.remove_uids.begin(),
                                           d.remove_uids.end());
      spdlog::debug("gc: removing {} dangling owner reference(s) from {}",
                    drop.size(), *key);
      return Modify(*kind, *key, uid, [&drop](JsonDoc& obj) {
        return EditOwnerReferences(
            obj, [&drop](const Json& r) { return !drop.count(RefUid(r)); },
            nullptr);
      });
    }
    case Decision::Action::kDelete:
      break;
  }
  if (d.unblock_first) {
    Status s = Modify(*kind, *key, uid, [](JsonDoc& obj) {
      auto& a = obj.GetAllocator();
      return EditOwnerReferences(
          obj, [](const Json&) { return true; },
          [&a](Json& r) {
            const Json* b = Member(r, "blockOwnerDeletion");
            if (!b || !b->IsBool() || !b->GetBool()) return false;
            SetMember(r, "blockOwnerDeletion", Json(false), a);
            return true;
          });
    });
    if (!s.ok()) return s;
  }
  return DeleteObject(*kind, latest, d.propagation);
}

Status GarbageCollector::AttemptToOrphan(const std::string& uid) {
  std::optional<std::string> key;
  std::vector<DependentInfo> dependents;
  {
    std::lock_guard<std::mutex> l(mu_);
    key = graph_.KeyOf(uid);
    dependents = graph_.Dependents(uid);
  }
  if (!key) return {};
  const Kind* kind = KindOfKey(*key);
  if (!kind) return {};
  auto cur = store_->Get(*key);
  if (!cur.ok()) return cur.status().IsNotFound() ? Status() : cur.status();
  Ownership latest = ParseOwnership(std::string_view(*cur->data));
  if (latest.uid != uid || !latest.Orphaning()) return {};
  for (const auto& d : dependents) {
    if (d.key.empty()) continue;
    const Kind* dk = KindOfKey(d.key);
    if (!dk) continue;
    Status s = Modify(*dk, d.key, d.uid, [&uid](JsonDoc& obj) {
      return EditOwnerReferences(
          obj, [&uid](const Json& r) { return RefUid(r) != uid; }, nullptr);
    });
    if (!s.ok()) return s;
  }
  spdlog::debug("gc: orphaned {} dependent(s) of {}", dependents.size(), *key);
  return RemoveFinalizer(*kind, *key, uid, api::kOrphanFinalizer);
}

Status GarbageCollector::Modify(const Kind& kind, const std::string& key,
                                const std::string& uid,
                                const std::function<bool(JsonDoc&)>& change) {
  Status last;
  for (int attempt = 0; attempt < kModifyAttempts; ++attempt) {
    auto cur = store_->Get(key);
    if (!cur.ok()) return cur.status().IsNotFound() ? Status() : cur.status();
    JsonDoc obj;
    obj.Parse(cur->data->data(), cur->data->size());
    if (obj.HasParseError() || !obj.IsObject()) {
      return Status::Internal("stored object " + key + " is not valid JSON");
    }
    if (GetString(obj, {"metadata", "uid"}) != uid) return {};
    if (!change(obj)) return {};
    const std::string ns = GetString(obj, {"metadata", "namespace"});
    const std::string name = GetString(obj, {"metadata", "name"});
    api::WriteOptions opts;
    opts.user = user_;
    // The object carries the resourceVersion read above: a concurrent write
    // makes this a Conflict, and the change is computed again.
    auto written = service_->Update(kind, ns, name, "", std::move(obj), opts);
    if (written.ok() || written.status().IsNotFound()) return {};
    last = written.status();
    if (!last.IsConflict()) return last;
  }
  return last;
}

Status GarbageCollector::DeleteObject(const Kind& kind, const Ownership& o,
                                      api::Propagation propagation) {
  api::DeleteOptions opts;
  opts.propagation_policy = PolicyName(propagation);
  opts.precondition_uid = o.uid;
  opts.user = user_;
  spdlog::debug("gc: deleting {} {}/{} ({})", kind.Info().kind, o.ns, o.name,
                opts.propagation_policy);
  auto deleted = service_->Delete(kind, o.ns, o.name, opts);
  if (deleted.ok() || deleted.status().IsNotFound()) return {};
  // A failed uid precondition means the object was replaced; the retry
  // reads the new one and finds nothing to do.
  return deleted.status();
}

Status GarbageCollector::RemoveFinalizer(const Kind& kind,
                                         const std::string& key,
                                         const std::string& uid,
                                         const char* finalizer) {
  return Modify(kind, key, uid, [finalizer](JsonDoc& obj) {
    Json* fins = Find(obj, {"metadata", "finalizers"});
    if (!fins || !fins->IsArray()) return false;
    bool removed = false;
    for (auto it = fins->Begin(); it != fins->End();) {
      if (it->IsString() && std::string_view(it->GetString()) == finalizer) {
        it = fins->Erase(it);
        removed = true;
      } else {
        ++it;
      }
    }
    if (removed && fins->Empty()) obj["metadata"].RemoveMember("finalizers");
    return removed;
  });
}

}  // namespace berth::gc
