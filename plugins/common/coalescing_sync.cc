#include "plugins/common/coalescing_sync.h"

namespace berth::common {

void CoalescingSync::Start(const std::vector<Informer*>& informers) {
  auto mark = [this] {
    std::lock_guard<std::mutex> lock(mu_);
    dirty_ = true;
    cv_.notify_all();
  };
  InformerHandlers h;
  h.on_add = [mark](const CachedObject&) { mark(); };
  h.on_update = [mark](const CachedObject&, const CachedObject&) { mark(); };
  h.on_delete = [mark](const CachedObject&) { mark(); };
  {
    // Again after a Stop: a first sync, as at the first start.
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = false;
    dirty_ = true;
  }
  for (Informer* informer : informers) {
    handlers_.emplace_back(informer, informer->AddHandlers(h));
  }
  thread_ = std::thread([this] { Loop(); });
}

void CoalescingSync::Stop() {
  if (!thread_.joinable()) return;
  for (auto& [informer, id] : handlers_) informer->RemoveHandlers(id);
  handlers_.clear();
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    cv_.notify_all();
  }
  thread_.join();
}

uint64_t CoalescingSync::syncs() const {
  std::lock_guard<std::mutex> lock(mu_);
  return syncs_;
}

void CoalescingSync::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    auto woken = [this] { return stopping_ || dirty_; };
    if (options_.resync_period.count() > 0) {
      if (!cv_.wait_for(lock, options_.resync_period, woken)) {
        if (resync_) {
          lock.unlock();
          resync_();
          lock.lock();
        }
        dirty_ = true;
      }
    } else {
      cv_.wait(lock, woken);
    }
    if (stopping_) return;
    // Let a burst of changes land, then take them all in one sync.
    cv_.wait_for(lock, options_.min_period, [this] { return stopping_; });
    if (stopping_) return;
    dirty_ = false;
    lock.unlock();
    const bool ok = sync_();
    lock.lock();
    ++syncs_;
    if (!ok) {
      dirty_ = true;
      cv_.wait_for(lock, options_.retry, [this] { return stopping_; });
    }
  }
}

std::vector<JsonDoc> ParseAll(const std::vector<CachedObject>& objects) {
  std::vector<JsonDoc> out;
  out.reserve(objects.size());
  for (const auto& o : objects) {
    auto d = ParseJson(*o);
    if (d.ok()) out.push_back(std::move(*d));
  }
  return out;
}

std::vector<const Json*> Pointers(const std::vector<JsonDoc>& docs) {
  std::vector<const Json*> out;
  out.reserve(docs.size());
  for (const auto& d : docs) out.push_back(&d);
  return out;
}

}  // namespace berth::common
