// ItemBackoff: per-key exponential backoff for retrying failed reconciles,
// client-go's ItemExponentialFailureRateLimiter. The n-th consecutive
// failure of a key waits base * 2^(n-1), capped at `max`; Forget (after a
// success) starts the key over.
//
// Thread safety: all methods may be called concurrently.
#ifndef BERTH_KERNEL_CONTROLLER_RATE_LIMITER_H_
#define BERTH_KERNEL_CONTROLLER_RATE_LIMITER_H_

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace berth {

class ItemBackoff {
 public:
  // client-go's defaults for controllers.
  static constexpr std::chrono::milliseconds kDefaultBase{5};
  static constexpr std::chrono::milliseconds kDefaultMax{1000 * 1000};

  explicit ItemBackoff(std::chrono::milliseconds base = kDefaultBase,
                       std::chrono::milliseconds max = kDefaultMax);

  // Records one more failure of `key` and returns how long to wait before
  // retrying it.
  std::chrono::milliseconds When(const std::string& key);
  // Clears the failure history of `key`.
  void Forget(const std::string& key);
  // Consecutive failures recorded for `key`.
  int NumRequeues(const std::string& key) const;

 private:
  const std::chrono::milliseconds base_;
  const std::chrono::milliseconds max_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, int> failures_;
};

}  // namespace berth

#endif  // BERTH_KERNEL_CONTROLLER_RATE_LIMITER_H_
