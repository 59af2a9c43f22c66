#include "kernel/store/watch_hub.h"

#include <algorithm>
#include <condition_variable>
#include <functional>
#include <utility>

namespace berth::store {

// One watcher's queue and position. Guarded by its own mutex so a slow
// reader never holds the hub lock.
class WatcherState {
 public:
  WatcherState(std::string prefix, Predicate pred, uint64_t floor,
               uint64_t published, size_t queue_limit)
      : prefix_(std::move(prefix)),
        pred_(std::move(pred)),
        floor_(floor),
        queue_limit_(queue_limit),
        handed_(std::min(floor, published)),
        known_(std::max(floor, published)) {}

  // What this watcher sees of `e`, if anything: `e.event` itself when it
  // sees it unchanged. Kubernetes semantics: a change that moves the object
  // into the selection is ADDED, out of it DELETED with the object as it
  // was (what the watcher last matched), as kube-apiserver sends it. The
  // bytes are opaque here, so that object keeps its own mod_revision, below
  // the event's revision; the API layer re-stamps its resourceVersion.
  EventPtr Convert(const SharedWindowEntry& e) const {
    const Event& ev = e.event->event();
    if (ev.revision <= floor_) return nullptr;
    if (!std::string_view(ev.object.key).starts_with(prefix_)) return nullptr;
    if (!pred_) return e.event;
    const bool now = pred_(ev.object);
    if (ev.type != Event::Type::kModified) return now ? e.event : nullptr;
    const bool before = pred_(*e.prev);
    if (!now && !before) return nullptr;
    if (now && before) return e.event;
    Event out = ev;
    if (now) {
      out.type = Event::Type::kAdded;
    } else {
      out.type = Event::Type::kDeleted;
      out.object = *e.prev;
    }
    return std::make_shared<const SharedEvent>(std::move(out));
  }

  // Queues the events of one batch. False when the watcher is (now) closed.
  bool Deliver(const std::vector<SharedWindowEntry>& entries) {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return false;
    bool pushed = false;
    for (const SharedWindowEntry& e : entries) {
      EventPtr ev = Convert(e);
      if (!ev) continue;
      if (queue_.size() >= queue_limit_) {
        CloseLocked(Status::Gone("watcher fell more than " +
                                 std::to_string(queue_limit_) +
                                 " events behind at revision " +
                                 std::to_string(e.event->event().revision)));
        return false;
      }
      queue_.push_back(std::move(ev));
      pushed = true;
    }
    known_ = std::max(known_, entries.back().event->event().revision);
    if (pushed) {
      cv_.notify_all();
      if (notify_) notify_();
    }
    return true;
  }

  // Queues without the limit: the initial state and the window replay are
  // what the client asked for, however large.
  void Preload(std::vector<Event> initial, const std::deque<WindowEntry>& w) {
    std::lock_guard<std::mutex> lock(mu_);
    for (Event& ev : initial) {
      queue_.push_back(std::make_shared<const SharedEvent>(std::move(ev)));
    }
    for (const WindowEntry& e : w) {
      // Only what Convert may take is wrapped.
      if (e.event.revision <= floor_ ||
          !std::string_view(e.event.object.key).starts_with(prefix_)) {
        continue;
      }
      const SharedWindowEntry shared{
          std::make_shared<const SharedEvent>(e.event), &e.prev};
      if (EventPtr ev = Convert(shared)) queue_.push_back(std::move(ev));
    }
  }

  bool Next(std::vector<EventPtr>* out, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    if (timeout.count() > 0) {
      cv_.wait_for(lock, timeout, [&] { return closed_ || !queue_.empty(); });
    }
    if (closed_) return false;
    // The initial state comes in key order, not revision order.
    for (const EventPtr& ev : queue_) {
      handed_ = std::max(handed_, ev->event().revision);
    }
    if (out->empty()) {
      // The queue's buffer goes to the caller: a watcher that fell behind
      // does not keep its peak size.
      out->swap(queue_);
      queue_.clear();
    } else {
      out->insert(out->end(), std::make_move_iterator(queue_.begin()),
                  std::make_move_iterator(queue_.end()));
      std::vector<EventPtr>().swap(queue_);
    }
    return true;
  }

  void SetNotify(std::function<void()> notify) {
    std::lock_guard<std::mutex> lock(mu_);
    notify_ = std::move(notify);
    if (notify_ && (closed_ || !queue_.empty())) notify_();
  }

  uint64_t Progress() const {
    std::lock_guard<std::mutex> lock(mu_);
    return queue_.empty() ? std::max(handed_, known_) : handed_;
  }

  Status error() const {
    std::lock_guard<std::mutex> lock(mu_);
    return error_;
  }

  void Close(const Status& why) {
    std::lock_guard<std::mutex> lock(mu_);
    CloseLocked(why);
  }

  // Stop: closes and forgets the callback, so none runs after this returns
  // (callbacks run under mu_).
  void Detach() {
    std::lock_guard<std::mutex> lock(mu_);
    notify_ = nullptr;
    CloseLocked(Status::Ok());
  }

 private:
  void CloseLocked(const Status& why) {
    if (closed_) return;
    closed_ = true;
    error_ = why;
    std::vector<EventPtr>().swap(queue_);
    cv_.notify_all();
    if (notify_) notify_();
  }

  const std::string prefix_;
  const Predicate pred_;
  const uint64_t floor_;  // only events after this revision are wanted
  const size_t queue_limit_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::function<void()> notify_;
  std::vector<EventPtr> queue_;
  bool closed_ = false;
  Status error_;
  uint64_t handed_;  // highest revision handed out by Next
  // Last revision fanned out to this watcher, or the one it started from:
  // the events up to that are covered by what it was given at start.
  uint64_t known_;
};

// The Watcher the caller owns. It holds the hub weakly so an open watch
// does not keep a destroyed store's hub alive.
class WatchHandle : public Watcher {
 public:
  WatchHandle(std::weak_ptr<WatchHub> hub, uint64_t id,
              std::shared_ptr<WatcherState> state)
      : hub_(std::move(hub)), id_(id), state_(std::move(state)) {}
  ~WatchHandle() override { Stop(); }

  bool NextShared(std::vector<EventPtr>* out,
                  std::chrono::milliseconds timeout) override {
    return state_->Next(out, timeout);
  }
  uint64_t Progress() const override { return state_->Progress(); }
  Status error() const override { return state_->error(); }
  void SetNotify(std::function<void()> notify) override {
    state_->SetNotify(std::move(notify));
  }
  void Stop() override {
    state_->Detach();
    if (std::shared_ptr<WatchHub> hub = hub_.lock()) hub->Unregister(id_);
  }

 private:
  const std::weak_ptr<WatchHub> hub_;
  const uint64_t id_;
  const std::shared_ptr<WatcherState> state_;
};

namespace {

// The object bytes a window entry keeps alive.
size_t EntryBytes(const WindowEntry& e) {
  return (e.event.object.data ? e.event.object.data->size() : 0) +
         (e.prev.data ? e.prev.data->size() : 0);
}

}  // namespace

WatchHub::WatchHub(size_t window_events, size_t window_bytes,
                   size_t queue_limit, uint64_t start_revision)
    : window_events_(window_events),
      window_bytes_(window_bytes),
      queue_limit_(queue_limit),
      window_start_(start_revision),
      published_(start_revision) {}

StatusOr<std::unique_ptr<Watcher>> WatchHub::Register(
    std::string prefix, Predicate pred, uint64_t from_revision,
    std::vector<Event> initial) {
  std::lock_guard<std::mutex> lock(mu_);
  if (from_revision < window_start_) {
    // The Kubernetes wording: clients match on it to decide to relist.
    return Status::Gone(
        "too old resource version: " + std::to_string(from_revision) + " (" +
        std::to_string(window_start_) + ")");
  }
  auto state =
      std::make_shared<WatcherState>(std::move(prefix), std::move(pred),
                                     from_revision, published_, queue_limit_);
  state->Preload(std::move(initial), window_);
  const uint64_t id = next_id_++;
  watchers_.emplace(id, state);
  return std::unique_ptr<Watcher>(
      new WatchHandle(weak_from_this(), id, std::move(state)));
}

void WatchHub::Publish(const std::vector<WindowEntry>& entries) {
  std::lock_guard<std::mutex> lock(mu_);
  published_ = entries.back().event.revision;
  batch_.clear();
  batch_.reserve(entries.size());
  for (const WindowEntry& e : entries) {
    batch_.push_back(SharedWindowEntry{
        std::make_shared<const SharedEvent>(e.event), &e.prev});
  }
  // The window keeps its own copies, without the bytes the API layer
  // caches on the shared events (those go once every watcher sent them).
  window_.insert(window_.end(), entries.begin(), entries.end());
  for (const WindowEntry& e : entries) window_size_bytes_ += EntryBytes(e);
  while (!window_.empty() && (window_.size() > window_events_ ||
                              window_size_bytes_ > window_bytes_)) {
    window_start_ = window_.front().event.revision;
    window_size_bytes_ -= EntryBytes(window_.front());
    window_.pop_front();
  }
  if (window_events_ == 0) window_start_ = published_;
  for (auto it = watchers_.begin(); it != watchers_.end();) {
    if (it->second->Deliver(batch_)) {
      ++it;
    } else {
      it = watchers_.erase(it);
    }
  }
  batch_.clear();
}

void WatchHub::CloseAll(const Status& why) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [id, state] : watchers_) state->Close(why);
  watchers_.clear();
}

void WatchHub::Unregister(uint64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  watchers_.erase(id);
}

}  // namespace berth::store
