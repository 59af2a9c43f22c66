// EventRecorder: the kernel side of Host::RecordEvent. Record() only puts
// the event on a bounded queue and returns; one writer thread takes events
// off it, correlates repeats (EventCorrelator) and writes core/v1 Events
// through the API client: a Create for a new event, a merge patch of count
// and lastTimestamp for a repeat. Events are best effort as in client-go:
// a full queue or a failed write drops the event with a debug log, and the
// caller never sees either.
//
// Thread safety: Record and Flush may be called from any thread
// concurrently. The destructor stops the writer (events still queued are
// dropped); no other call may run concurrently with it.
#ifndef BERTH_KERNEL_EVENTS_EVENT_RECORDER_H_
#define BERTH_KERNEL_EVENTS_EVENT_RECORDER_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "berth/client.h"
#include "kernel/events/event_correlator.h"

namespace berth::events {

class EventRecorder {
 public:
  static constexpr size_t kDefaultCapacity = 1000;

  // Writes through `client`, which must outlive the recorder. `now` is the
  // clock (tests pass their own).
  explicit EventRecorder(Client* client, size_t capacity = kDefaultCapacity,
                         std::function<Clock::time_point()> now = Clock::now);
  ~EventRecorder();

  EventRecorder(const EventRecorder&) = delete;
  EventRecorder& operator=(const EventRecorder&) = delete;

  // Queues one event; never blocks on the API and never fails. Dropped
  // (debug log) when `capacity` events are already waiting.
  void Record(EventRecord event);

  // Blocks until every event queued before the call has been written or
  // dropped. For tests and orderly shutdown.
  void Flush();

  // Events dropped because the queue was full, since construction.
  size_t dropped() const;

 private:
  void Run();
  void Write(const EventRecord& e);

  Client* client_;
  const size_t capacity_;
  std::function<Clock::time_point()> now_;
  EventCorrelator correlator_;  // writer thread only

  mutable std::mutex mu_;
  std::condition_variable wake_;  // an event queued, or stop
  std::condition_variable idle_;  // the writer finished a batch
  std::deque<EventRecord> queue_;
  bool writing_ = false;
  bool stop_ = false;
  size_t dropped_ = 0;
  std::thread writer_;
};

}  // namespace berth::events

#endif  // BERTH_KERNEL_EVENTS_EVENT_RECORDER_H_
