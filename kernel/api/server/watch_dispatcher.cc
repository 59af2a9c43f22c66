#include "kernel/api/server/watch_dispatcher.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

namespace berth::api {
namespace {

const char* TypeName(store::Event::Type t) {
  switch (t) {
    case store::Event::Type::kAdded:
      return "ADDED";
    case store::Event::Type::kModified:
      return "MODIFIED";
    case store::Event::Type::kDeleted:
      return "DELETED";
  }
  return "ERROR";
}

struct Entry {
  std::unique_ptr<store::Watcher> watcher;
  std::function<void(const WatchEvent&)> on_event;
  std::atomic<bool> stopped{false};  // the handle is being destroyed
  bool ended = false;                // the ERROR was delivered
  // On the ready list (guarded by State::mu): a watch is queued once until
  // it is drained, however many batches are published meanwhile.
  bool queued = false;
};

}  // namespace

struct WatchDispatcher::State {
  // Stops delivering to `id` and closes its watcher; waits for a callback
  // of it that runs on another thread.
  void Remove(uint64_t id) {
    std::shared_ptr<Entry> entry;
    {
      std::unique_lock<std::mutex> lock(mu);
      auto it = entries.find(id);
      if (it == entries.end()) return;
      entry = std::move(it->second);
      entries.erase(it);
      entry->stopped = true;
      // On the dispatcher thread (a callback closing a watch) nothing else
      // is running.
      if (thread_id != std::this_thread::get_id()) {
        idle_cv.wait(lock, [&] { return running != id; });
      }
    }
    // Outside mu (lock order: the watcher's lock, then mu).
    entry->watcher->Stop();
  }

  std::mutex mu;
  std::condition_variable work_cv;  // ready or stop changed
  std::condition_variable idle_cv;  // running changed
  std::deque<uint64_t> ready;
  std::unordered_map<uint64_t, std::shared_ptr<Entry>> entries;
  uint64_t next_id = 1;
  uint64_t running = 0;  // the watch whose callback runs now, 0: none
  bool stop = false;
  std::thread::id thread_id;
};

class WatchDispatcher::Handle : public WatchHandle {
 public:
  Handle(std::shared_ptr<State> state, uint64_t id)
      : state_(std::move(state)), id_(id) {}
  ~Handle() override { state_->Remove(id_); }

 private:
  const std::shared_ptr<State> state_;
  const uint64_t id_;
};

WatchDispatcher::WatchDispatcher() : state_(std::make_shared<State>()) {
  std::lock_guard<std::mutex> lock(state_->mu);
  thread_ = std::thread(Run, state_);
  state_->thread_id = thread_.get_id();
}

WatchDispatcher::~WatchDispatcher() {
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->stop = true;
  }
  state_->work_cv.notify_all();
  if (thread_.get_id() == std::this_thread::get_id()) {
    thread_.detach();  // destroyed by a callback: Run ends after it
  } else {
    thread_.join();
  }
}

std::unique_ptr<WatchHandle> WatchDispatcher::Add(
    std::unique_ptr<store::Watcher> watcher,
    std::function<void(const WatchEvent&)> on_event) {
  auto entry = std::make_shared<Entry>();
  entry->watcher = std::move(watcher);
  entry->on_event = std::move(on_event);
  uint64_t id;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    id = state_->next_id++;
    state_->entries.emplace(id, entry);
  }
  auto handle = std::make_unique<Handle>(state_, id);
  // Outside mu: the callback runs under the watcher's lock and takes mu.
  // It holds the state weakly: the state owns the watcher that owns it.
  std::weak_ptr<State> weak = state_;
  entry->watcher->SetNotify([weak, id] {
    if (std::shared_ptr<State> s = weak.lock()) {
      std::lock_guard<std::mutex> lock(s->mu);
      auto it = s->entries.find(id);
      if (it == s->entries.end() || it->second->queued) return;
      it->second->queued = true;
      s->ready.push_back(id);
      s->work_cv.notify_one();
    }
  });
  return handle;
}

void WatchDispatcher::Run(std::shared_ptr<State> state) {
  std::vector<store::EventPtr> events;
  std::unique_lock<std::mutex> lock(state->mu);
  while (true) {
    state->work_cv.wait(lock,
                        [&] { return state->stop || !state->ready.empty(); });
    if (state->stop) return;
    const uint64_t id = state->ready.front();
    state->ready.pop_front();
    auto it = state->entries.find(id);
    if (it == state->entries.end()) continue;
    // Before Next: events published from now on queue the watch again.
    it->second->queued = false;
    if (it->second->ended) continue;
    std::shared_ptr<Entry> entry = it->second;
    state->running = id;
    lock.unlock();
    events.clear();
    const bool open =
        entry->watcher->NextShared(&events, std::chrono::milliseconds(0));
    for (const store::EventPtr& shared : events) {
      if (entry->stopped) break;
      const store::Event& ev = shared->event();
      entry->on_event(WatchEvent{TypeName(ev.type), *ev.object.data});
    }
    events.clear();
    if (!open && !entry->stopped) {
      entry->ended = true;
      entry->on_event(WatchEvent{"ERROR", entry->watcher->error().message()});
    }
    entry.reset();
    lock.lock();
    state->running = 0;
    state->idle_cv.notify_all();
  }
}

}  // namespace berth::api
