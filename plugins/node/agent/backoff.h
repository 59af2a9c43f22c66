// Backoff: per-key exponential back-off as the kubelet uses it for crashing
// containers and failed image pulls (client-go flowcontrol.Backoff): the
// first delay is `initial`, each failure doubles it up to `max`, and a key
// not failing for 2 x max (ten minutes with the 5 min cap) starts again at
// `initial`.
//
// Thread safety: all methods may be called from any thread.
#ifndef BERTH_PLUGINS_NODE_AGENT_BACKOFF_H_
#define BERTH_PLUGINS_NODE_AGENT_BACKOFF_H_

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "clock.h"

namespace berth::node {

class Backoff {
 public:
  using Duration = std::chrono::milliseconds;
  Backoff(Duration initial, Duration max) : initial_(initial), max_(max) {}

  // Records a failure of `key` at `now`: the delay doubles (or starts at
  // `initial`, also when the last failure is older than 2 x max).
  void Next(const std::string& key, Clock::TimePoint now);
  // The current delay of `key`; zero when it never failed.
  Duration Get(const std::string& key) const;
  // True while `now` is within the delay after the failure at `since` (the
  // time the container finished or the pull failed).
  bool IsInBackoffSince(const std::string& key, Clock::TimePoint since,
                        Clock::TimePoint now) const;
  // How long from `now` until the back-off after `since` ends (zero if
  // over).
  Duration Remaining(const std::string& key, Clock::TimePoint since,
                     Clock::TimePoint now) const;
  // Forgets keys starting with `prefix` (a deleted pod's containers).
  void ForgetPrefix(const std::string& prefix);

 private:
  struct Entry {
    Duration delay{0};
    Clock::TimePoint last_update;
  };
  const Duration initial_;
  const Duration max_;
  mutable std::mutex mu_;
  std::map<std::string, Entry> entries_;
};

}  // namespace berth::node

#endif  // BERTH_PLUGINS_NODE_AGENT_BACKOFF_H_
