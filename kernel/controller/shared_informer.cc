#include "kernel/controller/shared_informer.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "berth/json.h"
#include "kernel/api/selector/label_selector.h"

namespace berth {
namespace {

std::string Describe(const ResourceRef& r) {
  return (r.group.empty() ? "" : r.group + "/") + r.version + "/" + r.resource;
}

std::map<std::string, std::string> LabelsOf(const Json& obj) {
  std::map<std::string, std::string> labels;
  const Json* l = Find(obj, {"metadata", "labels"});
  if (!l || !l->IsObject()) return labels;
  for (auto& m : l->GetObject()) {
    if (m.value.IsString())
      labels.emplace(m.name.GetString(), m.value.GetString());
  }
  return labels;
}

}  // namespace

SharedInformer::SharedInformer(Client& client, ResourceRef resource)
    : SharedInformer(client, std::move(resource), Options()) {}

SharedInformer::SharedInformer(Client& client, ResourceRef resource,
                               Options options)
    : client_(client), resource_(std::move(resource)), options_(options) {}

SharedInformer::~SharedInformer() { Stop(); }

void SharedInformer::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (started_ || stopping_) return;
  started_ = true;
  keeper_ = std::thread([this] { Keep(); });
}

void SharedInformer::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (keeper_.joinable()) keeper_.join();
}

uint64_t SharedInformer::list_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return lists_;
}

bool SharedInformer::HasSynced() const {
  std::lock_guard<std::mutex> lock(mu_);
  return synced_;
}

StatusOr<CachedObject> SharedInformer::Get(const std::string& ns,
                                           const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = cache_.find(Key{ns, name});
  if (it == cache_.end()) {
    return Status::NotFound(resource_.resource + " \"" + name +
                            "\" not found in the informer cache");
  }
  return it->second.obj;
}

StatusOr<std::vector<CachedObject>> SharedInformer::List(
    const std::string& ns, const std::string& label_selector) const {
  auto selector = selector::LabelSelector::Parse(label_selector);
  if (!selector.ok()) return selector.status();
  std::vector<CachedObject> out;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = ns.empty() ? cache_.begin() : cache_.lower_bound(Key{ns, ""});
  for (; it != cache_.end(); ++it) {
    if (!ns.empty() && it->first.first != ns) break;
    if (selector->Matches(it->second.labels)) out.push_back(it->second.obj);
  }
  return out;
}

uint64_t SharedInformer::AddHandlers(InformerHandlers handlers) {
  std::lock_guard<std::mutex> deliver(deliver_mu_);
  std::vector<CachedObject> current;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [key, entry] : cache_) current.push_back(entry.obj);
  }
  if (handlers.on_add) {
    for (const auto& obj : current) handlers.on_add(obj);
  }
  const uint64_t id = next_handler_id_++;
  handlers_.emplace(id, std::move(handlers));
  return id;
}

void SharedInformer::RemoveHandlers(uint64_t id) {
  std::lock_guard<std::mutex> deliver(deliver_mu_);
  handlers_.erase(id);
}

void SharedInformer::Deliver(const std::vector<Change>& changes) {
  for (const auto& c : changes) {
    for (const auto& [id, h] : handlers_) {
      switch (c.type) {
        case Change::Type::kAdd:
          if (h.on_add) h.on_add(c.obj);
          break;
        case Change::Type::kUpdate:
          if (h.on_update) h.on_update(c.old_obj, c.obj);
          break;
        case Change::Type::kDelete:
          if (h.on_delete) h.on_delete(c.obj);
          break;
      }
    }
  }
}

void SharedInformer::Keep() {
  std::chrono::milliseconds delay = options_.retry_initial;
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    if (!relist_) {
      wake_.wait(lock, [this] { return stopping_ || relist_; });
      continue;
    }
    relist_ = false;
    lock.unlock();
    // The old watch goes first: its callback never runs after this.
    watch_.reset();
    const bool ok = Relist();
    lock.lock();
    if (ok) {
      delay = options_.retry_initial;
      continue;
    }
    relist_ = true;
    wake_.wait_for(lock, delay, [this] { return stopping_; });
    delay = std::min(delay * 2, options_.retry_max);
  }
  lock.unlock();
  watch_.reset();
}

bool SharedInformer::Relist() {
  auto listed = client_.List(resource_, "", {});
  if (!listed.ok()) {
    spdlog::debug("informer {}: list failed: {}", Describe(resource_),
                  listed.status().ToString());
    return false;
  }
  auto doc = ParseJson(*listed);
  if (!doc.ok() || !Member(*doc, "items") || !(*doc)["items"].IsArray()) {
    spdlog::warn("informer {}: the list reply is not a list",
                 Describe(resource_));
    return false;
  }
  std::map<Key, Entry> fresh;
  for (const auto& item : (*doc)["items"].GetArray()) {
    Entry e;
    e.obj = std::make_shared<const std::string>(ToJson(item));
    e.resource_version = GetString(item, {"metadata", "resourceVersion"});
    e.labels = LabelsOf(item);
    fresh[Key{GetString(item, {"metadata", "namespace"}),
              GetString(item, {"metadata", "name"})}] = std::move(e);
  }
  const std::string list_rv = GetString(*doc, {"metadata", "resourceVersion"});

  uint64_t generation;
  {
    std::lock_guard<std::mutex> deliver(deliver_mu_);
    std::vector<Change> changes;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (const auto& [key, entry] : cache_) {
        auto it = fresh.find(key);
        if (it == fresh.end()) {
          changes.push_back({Change::Type::kDelete, entry.obj, entry.obj});
        } else if (it->second.resource_version != entry.resource_version) {
          changes.push_back({Change::Type::kUpdate, entry.obj, it->second.obj});
        }
      }
      for (const auto& [key, entry] : fresh) {
        if (!cache_.count(key)) {
          changes.push_back({Change::Type::kAdd, nullptr, entry.obj});
        }
      }
      cache_ = std::move(fresh);
      synced_ = true;
      ++lists_;
      generation = ++generation_;
    }
    Deliver(changes);
  }

  auto watch = client_.Watch(
      resource_, "", list_rv,
      [this, generation](const WatchEvent& e) { OnEvent(generation, e); });
  if (!watch.ok()) {
    spdlog::debug("informer {}: watch failed: {}", Describe(resource_),
                  watch.status().ToString());
    return false;
  }
  watch_ = std::move(watch).value();
  return true;
}

void SharedInformer::OnEvent(uint64_t generation, const WatchEvent& event) {
  const bool added = event.type == "ADDED";
  const bool modified = event.type == "MODIFIED";
  const bool deleted = event.type == "DELETED";
  if (!added && !modified && !deleted) {
    if (event.type == "ERROR") {
      spdlog::debug("informer {}: watch ended ({}); listing again",
                    Describe(resource_), event.object);
      std::lock_guard<std::mutex> lock(mu_);
      if (generation == generation_) relist_ = true;
      wake_.notify_all();
    }
    return;  // BOOKMARK and anything newer: nothing cached changes
  }
  auto doc = ParseJson(event.object);
  if (!doc.ok()) return;
  Key key{GetString(*doc, {"metadata", "namespace"}),
          GetString(*doc, {"metadata", "name"})};
  std::lock_guard<std::mutex> deliver(deliver_mu_);
  Change change;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (generation != generation_) return;  // from a watch since replaced
    auto it = cache_.find(key);
    if (deleted) {
      if (it == cache_.end()) return;
      change = {Change::Type::kDelete, it->second.obj,
                std::make_shared<const std::string>(event.object)};
      cache_.erase(it);
    } else {
      Entry e;
      e.obj = std::make_shared<const std::string>(event.object);
      e.resource_version = GetString(*doc, {"metadata", "resourceVersion"});
      e.labels = LabelsOf(*doc);
      if (it == cache_.end()) {
        change = {Change::Type::kAdd, nullptr, e.obj};
        cache_.emplace(key, std::move(e));
      } else {
        change = {Change::Type::kUpdate, it->second.obj, e.obj};
        it->second = std::move(e);
      }
    }
  }
  Deliver({change});
}

}  // namespace berth
