// EventCorrelator: decides whether a recorded event is new or a repeat, as
// client-go's EventCorrelator does. A repeat of the same event (same
// reporting component, involved object, type, reason and message) within
// the window updates the existing Event (count + 1, lastTimestamp) instead
// of creating another, so a controller that says the same thing every
// resync fills no namespace with Events. Entries are kept in an LRU of
// bounded size.
//
// Thread safety: not thread-safe; the EventRecorder's writer thread owns it.
#ifndef BERTH_KERNEL_EVENTS_EVENT_CORRELATOR_H_
#define BERTH_KERNEL_EVENTS_EVENT_CORRELATOR_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <string>
#include <unordered_map>

#include "berth/events.h"

namespace berth::events {

using Clock = std::chrono::system_clock;

// One call to Host::RecordEvent.
struct EventRecord {
  std::string component;
  ObjectReference regarding;
  std::string type;
  std::string reason;
  std::string message;
};

// What to write for an observed event.
struct Correlation {
  bool create = true;  // false: patch the existing Event `name`
  std::string name;    // the Event's metadata.name
  std::string ns;      // the Event's namespace
  int64_t count = 1;
  Clock::time_point first_timestamp;
  Clock::time_point last_timestamp;
};

class EventCorrelator {
 public:
  static constexpr std::chrono::minutes kDefaultWindow{10};
  static constexpr size_t kDefaultMaxEntries = 4096;

  explicit EventCorrelator(std::chrono::seconds window = kDefaultWindow,
                           size_t max_entries = kDefaultMaxEntries);

  // Records `e` as observed at `now` and says what to write: a new Event
  // (named `<object name>.<16 hex digits of now in ns>`, as client-go names
  // them) or a patch of the one seen last within the window.
  Correlation Observe(const EventRecord& e, Clock::time_point now);

  // Forgets `e`, so that its next observation creates a new Event (the
  // Event it would have patched is gone).
  void Forget(const EventRecord& e);

  size_t size() const { return entries_.size(); }

  // The Event namespace for an involved object: its own, or "default" for
  // a cluster-scoped one.
  static std::string NamespaceFor(const ObjectReference& ref);

 private:
  struct Entry {
    std::string key;
    Correlation last;
  };
  static std::string KeyOf(const EventRecord& e);
  std::string NewName(const std::string& object_name, Clock::time_point now);

  std::chrono::seconds window_;
  size_t max_entries_;
  std::list<Entry> lru_;  // most recently observed first
  std::unordered_map<std::string, std::list<Entry>::iterator> entries_;
  int64_t last_name_nanos_ = 0;
};

}  // namespace berth::events

#endif  // BERTH_KERNEL_EVENTS_EVENT_CORRELATOR_H_
