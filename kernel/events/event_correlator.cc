#include "kernel/events/event_correlator.h"

#include <cinttypes>
#include <cstdio>

namespace berth::events {

EventCorrelator::EventCorrelator(std::chrono::seconds window,
                                 size_t max_entries)
    : window_(window), max_entries_(max_entries == 0 ? 1 : max_entries) {}

std::string EventCorrelator::NamespaceFor(const ObjectReference& ref) {
  return ref.ns.empty() ? "default" : ref.ns;
}

std::string EventCorrelator::KeyOf(const EventRecord& e) {
  // client-go's getEventKey: source, the involved object and what was said.
  // '\n' cannot occur in names, so it separates unambiguously enough for
  // reason and message, which come last.
  const ObjectReference& r = e.regarding;
  return e.component + '\n' + r.api_version + '\n' + r.kind + '\n' + r.ns +
         '\n' + r.name + '\n' + r.uid + '\n' + r.field_path + '\n' + e.type +
         '\n' + e.reason + '\n' + e.message;
}

std::string EventCorrelator::NewName(const std::string& object_name,
                                     Clock::time_point now) {
  int64_t nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(
                      now.time_since_epoch())
                      .count();
  // Two events in the same nanosecond (a coarse clock) still get two names.
  if (nanos <= last_name_nanos_) nanos = last_name_nanos_ + 1;
  last_name_nanos_ = nanos;
  char hex[17];
  std::snprintf(hex, sizeof(hex), "%016" PRIx64, static_cast<uint64_t>(nanos));
  return object_name + "." + hex;
}

Correlation EventCorrelator::Observe(const EventRecord& e,
                                     Clock::time_point now) {
  const std::string key = KeyOf(e);
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    Correlation& last = it->second->last;
    if (now - last.last_timestamp < window_) {
      last.create = false;
      ++last.count;
      last.last_timestamp = now;
      lru_.splice(lru_.begin(), lru_, it->second);
      return last;
    }
    lru_.erase(it->second);
    entries_.erase(it);
  }
  Correlation c;
  c.create = true;
  c.name = NewName(e.regarding.name, now);
  c.ns = NamespaceFor(e.regarding);
  c.count = 1;
  c.first_timestamp = now;
  c.last_timestamp = now;
  lru_.push_front({key, c});
  entries_[key] = lru_.begin();
  while (entries_.size() > max_entries_) {
    entries_.erase(lru_.back().key);
    lru_.pop_back();
  }
  return c;
}

void EventCorrelator::Forget(const EventRecord& e) {
  auto it = entries_.find(KeyOf(e));
  if (it == entries_.end()) return;
  lru_.erase(it->second);
  entries_.erase(it);
}

}  // namespace berth::events
