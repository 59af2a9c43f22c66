#include "backoff.h"

#include <algorithm>

namespace berth::node {

void Backoff::Next(const std::string& key, Clock::TimePoint now) {
  std::lock_guard<std::mutex> lock(mu_);
  Entry& e = entries_[key];
  if (e.delay == Duration::zero() || now - e.last_update > 2 * max_) {
    e.delay = initial_;
  } else {
    e.delay = std::min(e.delay * 2, max_);
  }
  e.last_update = now;
}

Backoff::Duration Backoff::Get(const std::string& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  return it == entries_.end() ? Duration::zero() : it->second.delay;
}

bool Backoff::IsInBackoffSince(const std::string& key, Clock::TimePoint since,
                               Clock::TimePoint now) const {
  return Remaining(key, since, now) > Duration::zero();
}

Backoff::Duration Backoff::Remaining(const std::string& key,
                                     Clock::TimePoint since,
                                     Clock::TimePoint now) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return Duration::zero();
  // A key quiet for 2 x max is no longer backing off.
  if (now - it->second.last_update > 2 * max_) return Duration::zero();
  const auto end = since + it->second.delay;
  if (now >= end) return Duration::zero();
  return std::chrono::ceil<Duration>(end - now);
}

void Backoff::ForgetPrefix(const std::string& prefix) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = entries_.lower_bound(prefix);
       it != entries_.end() &&
       it->first.compare(0, prefix.size(), prefix) == 0;) {
    it = entries_.erase(it);
  }
}

}  // namespace berth::node
