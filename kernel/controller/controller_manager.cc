#include "kernel/controller/controller_manager.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <exception>

#include "berth/json.h"
#include "kernel/controller/workqueue.h"

namespace berth {

namespace {

using Clock = std::chrono::steady_clock;

// Queue keys are "namespace/name", or "name" for cluster-scoped objects;
// neither part may contain '/'.
std::string EncodeKey(const std::string& ns, const std::string& name) {
  return ns.empty() ? name : ns + "/" + name;
}

ReconcileRequest DecodeKey(const std::string& key) {
  size_t slash = key.find('/');
  if (slash == std::string::npos) return {"", key};
  return {key.substr(0, slash), key.substr(slash + 1)};
}

// The group of an apiVersion: "apps/v1" -> "apps", "v1" -> "".
std::string GroupOf(const std::string& api_version) {
  size_t slash = api_version.find('/');
  return slash == std::string::npos ? "" : api_version.substr(0, slash);
}

std::string Describe(const ResourceRef& r) {
  return (r.group.empty() ? "" : r.group + "/") + r.version + "/" + r.resource;
}

StatusOr<ReconcileResult> ReconcileSafely(Controller& controller,
                                          const ReconcileRequest& req) {
  // The controller is plugin code; an exception must not end the worker.
  try {
    return controller.Reconcile(req);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("Reconcile threw: ") + e.what());
  } catch (...) {
    return Status::Internal("Reconcile threw a non-standard exception");
  }
}

}  // namespace

// One controller: its queue, its workers, and what maps owned objects to it.
struct ControllerManager::Runner {
  std::shared_ptr<Controller> controller;
  std::string name;
  ResourceRef primary;
  // From discovery at Start; an unknown kind matches owners by group only.
  std::string primary_kind;
  bool primary_namespaced = true;
  std::unique_ptr<WorkQueue> queue;
  std::vector<std::thread> workers;
};

// One watch of one controller, re-opened by the keeper thread when broken.
// Guarded by mu_ except `healthy`, which event callbacks set.
struct ControllerManager::WatchSlot {
  Runner* runner = nullptr;
  ResourceRef resource;
  bool owned = false;  // true: events map to the controller owner's key
  std::unique_ptr<WatchHandle> handle;
  uint64_t generation = 0;  // events of older watches are ignored
  bool needs_open = true;
  Clock::time_point open_at;
  std::chrono::milliseconds retry_delay{0};
  std::atomic<bool> healthy{false};  // saw an event since the last failure
};

ControllerManager::ControllerManager(Client& client)
    : ControllerManager(client, Options()) {}

ControllerManager::ControllerManager(Client& client, const Options& options)
    : client_(client), options_(options) {}

ControllerManager::~ControllerManager() { Stop(); }

Status ControllerManager::Add(std::shared_ptr<Controller> controller) {
  if (!controller)
    return Status::Invalid("controller manager: null controller");
  std::lock_guard<std::mutex> lock(mu_);
  std::string name = controller->Name();
  if (started_) {
    return Status::Invalid("controller " + name +
                           ": added after the manager started");
  }
  for (const auto& r : runners_) {
    if (r->name == name) {
      return Status::Invalid("controller " + name + ": added twice");
    }
  }
  auto runner = std::make_unique<Runner>();
  runner->name = std::move(name);
  runner->primary = controller->Primary();
  runner->controller = std::move(controller);
  runner->queue =
      std::make_unique<WorkQueue>(options_.backoff_base, options_.backoff_max);
  runners_.push_back(std::move(runner));
  return Status::Ok();
}

void ControllerManager::Start(int workers_per_controller) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (started_ || stopping_) return;
    started_ = true;
  }
  std::vector<ServedResource> served = client_.ServerResources();
  for (auto& runner : runners_) {
    for (const ServedResource& s : served) {
      if (s.ref.group == runner->primary.group &&
          s.ref.version == runner->primary.version &&
          s.ref.resource == runner->primary.resource) {
        runner->primary_kind = s.kind;
        runner->primary_namespaced = s.namespaced;
      }
    }
    std::vector<ResourceRef> owns = runner->controller->Owns();
    if (runner->primary_kind.empty() && !owns.empty()) {
      spdlog::warn(
          "controller {}: {} is not served; owned objects map to any "
          "controller owner of group \"{}\"",
          runner->name, Describe(runner->primary), runner->primary.group);
    }
    auto add_watch = [&](const ResourceRef& r, bool owned) {
      auto slot = std::make_unique<WatchSlot>();
      slot->runner = runner.get();
      slot->resource = r;
      slot->owned = owned;
      slot->retry_delay = options_.watch_retry_initial;
      slot->open_at = Clock::now();
      watches_.push_back(std::move(slot));
    };
    add_watch(runner->primary, false);
    for (const ResourceRef& r : owns) add_watch(r, true);
  }
  int workers = std::max(1, workers_per_controller);
  for (auto& runner : runners_) {
    for (int i = 0; i < workers; ++i) {
      runner->workers.emplace_back([this, r = runner.get()] { Work(*r); });
    }
  }
  keeper_ = std::thread([this] { KeepWatches(); });
}

void ControllerManager::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    cv_.notify_all();
  }
  if (keeper_.joinable()) keeper_.join();
  // The keeper is gone, so nothing else touches the handles. Closing a watch
  // waits for its callback, which may be waiting for mu_: hold no lock here.
  for (auto& slot : watches_) slot->handle.reset();
  for (auto& runner : runners_) runner->queue->ShutDown();
  for (auto& runner : runners_) {
    for (auto& worker : runner->workers) worker.join();
    runner->workers.clear();
  }
}

void ControllerManager::KeepWatches() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    Clock::time_point now = Clock::now();
    Clock::time_point next = Clock::time_point::max();
    WatchSlot* due = nullptr;
    for (auto& slot : watches_) {
      if (!slot->needs_open) continue;
      if (slot->open_at <= now) {
        due = slot.get();
        break;
      }
      next = std::min(next, slot->open_at);
    }
    if (!due) {
      if (next == Clock::time_point::max()) {
        cv_.wait(lock);
      } else {
        cv_.wait_until(lock, next);
      }
      continue;
    }
    due->needs_open = false;
    uint64_t generation = ++due->generation;
    std::unique_ptr<WatchHandle> broken = std::move(due->handle);
    lock.unlock();
    broken.reset();
    auto opened =
        client_.Watch(due->resource, "", "0",
                      [this, due, generation](const WatchEvent& event) {
                        OnEvent(*due, generation, event);
                      });
    lock.lock();
    if (opened.ok()) {
      due->handle = std::move(opened).value();
      continue;
    }
    spdlog::warn("controller {}: watch {} failed, retrying in {} ms: {}",
                 due->runner->name, Describe(due->resource),
                 due->retry_delay.count(), opened.status().ToString());
    due->needs_open = true;
    due->open_at = Clock::now() + due->retry_delay;
    due->retry_delay = std::min(due->retry_delay * 2, options_.watch_retry_max);
  }
}

void ControllerManager::OnEvent(WatchSlot& slot, uint64_t generation,
                                const WatchEvent& event) {
  if (event.type == "ERROR") {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ || generation != slot.generation || slot.needs_open) return;
    if (slot.healthy.exchange(false)) {
      slot.retry_delay = options_.watch_retry_initial;
    }
    spdlog::warn("controller {}: watch {} ended ({}), re-opening in {} ms",
                 slot.runner->name, Describe(slot.resource), event.object,
                 slot.retry_delay.count());
    slot.needs_open = true;
    slot.open_at = Clock::now() + slot.retry_delay;
    slot.retry_delay = std::min(slot.retry_delay * 2, options_.watch_retry_max);
    cv_.notify_all();
    return;
  }
  slot.healthy.store(true, std::memory_order_relaxed);
  StatusOr<JsonDoc> doc = ParseJson(event.object);
  if (!doc.ok()) {
    spdlog::warn("controller {}: watch {}: undecodable object: {}",
                 slot.runner->name, Describe(slot.resource),
                 doc.status().message());
    return;
  }
  const Runner& runner = *slot.runner;
  std::string ns = GetString(*doc, {"metadata", "namespace"});
  if (!slot.owned) {
    std::string name = GetString(*doc, {"metadata", "name"});
    if (!name.empty()) runner.queue->Add(EncodeKey(ns, name));
    return;
  }
  const Json* refs = Find(*doc, {"metadata", "ownerReferences"});
  if (!refs || !refs->IsArray()) return;
  for (const Json& ref : refs->GetArray()) {
    const Json* is_controller = Member(ref, "controller");
    if (!is_controller || !is_controller->IsTrue()) continue;
    if (GroupOf(GetString(ref, {"apiVersion"})) != runner.primary.group) return;
    if (!runner.primary_kind.empty() &&
        GetString(ref, {"kind"}) != runner.primary_kind) {
      return;
    }
    std::string owner = GetString(ref, {"name"});
    if (owner.empty()) return;
    // Owners live in their dependent's namespace, or are cluster-scoped.
    runner.queue->Add(EncodeKey(runner.primary_namespaced ? ns : "", owner));
    return;  // there is at most one controller owner
  }
}

void ControllerManager::Work(Runner& runner) {
  std::string key;
  while (runner.queue->Get(&key)) {
    StatusOr<ReconcileResult> result =
        ReconcileSafely(*runner.controller, DecodeKey(key));
    if (!result.ok()) {
      runner.queue->AddRateLimited(key);
      // Conflicts are the normal price of optimistic concurrency.
      auto level = result.status().IsConflict() ? spdlog::level::debug
                                                : spdlog::level::warn;
      spdlog::log(level, "controller {}: reconcile {} failed (retry {}): {}",
                  runner.name, key, runner.queue->NumRequeues(key),
                  result.status().ToString());
    } else if (result->requeue_after > std::chrono::milliseconds::zero()) {
      runner.queue->Forget(key);
      runner.queue->AddAfter(key, result->requeue_after);
    } else {
      runner.queue->Forget(key);
    }
    runner.queue->Done(key);
  }
}

}  // namespace berth
