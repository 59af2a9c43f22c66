#include "kernel/events/event_recorder.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "kernel/events/event_object.h"

namespace berth::events {
namespace {

const ResourceRef kEvents{"", "v1", "events"};

}  // namespace

EventRecorder::EventRecorder(Client* client, size_t capacity,
                             std::function<Clock::time_point()> now)
    : client_(client),
      capacity_(capacity == 0 ? 1 : capacity),
      now_(std::move(now)) {
  writer_ = std::thread([this] { Run(); });
}

EventRecorder::~EventRecorder() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  writer_.join();
}

void EventRecorder::Record(EventRecord event) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_) return;
    if (queue_.size() >= capacity_) {
      ++dropped_;
      spdlog::debug("event queue full: dropping {} {} event about {}/{}",
                    event.type, event.reason, event.regarding.kind,
                    event.regarding.name);
      return;
    }
    queue_.push_back(std::move(event));
  }
  wake_.notify_one();
}

void EventRecorder::Flush() {
  std::unique_lock<std::mutex> lock(mu_);
  idle_.wait(lock, [this] { return stop_ || (queue_.empty() && !writing_); });
}

size_t EventRecorder::dropped() const {
  std::lock_guard<std::mutex> lock(mu_);
  return dropped_;
}

void EventRecorder::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (stop_) break;
    EventRecord e = std::move(queue_.front());
    queue_.pop_front();
    writing_ = true;
    lock.unlock();
    Write(e);
    lock.lock();
    writing_ = false;
    if (queue_.empty()) idle_.notify_all();
  }
  queue_.clear();
  idle_.notify_all();
}

void EventRecorder::Write(const EventRecord& e) {
  Correlation c = correlator_.Observe(e, now_());
  if (!c.create) {
    auto patched =
        client_->MergePatch(kEvents, c.ns, c.name, RepeatPatchJson(c));
    if (patched.ok()) return;
    if (!patched.status().IsNotFound()) {
      spdlog::debug("event {}/{}: {}", c.ns, c.name,
                    patched.status().ToString());
      return;
    }
    // The Event was deleted (or expired): start a new one.
    correlator_.Forget(e);
    c = correlator_.Observe(e, now_());
  }
  auto created = client_->Create(kEvents, c.ns, NewEventJson(e, c));
  if (!created.ok()) {
    // A failed create must not be patched next time.
    correlator_.Forget(e);
    spdlog::debug("event {}/{} ({} about {}/{}) dropped: {}", c.ns, c.name,
                  e.reason, e.regarding.kind, e.regarding.name,
                  created.status().ToString());
  }
}

}  // namespace berth::events
