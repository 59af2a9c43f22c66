#include "kernel/controller/rate_limiter.h"

namespace berth {

ItemBackoff::ItemBackoff(std::chrono::milliseconds base,
                         std::chrono::milliseconds max)
    : base_(base), max_(max) {}

std::chrono::milliseconds ItemBackoff::When(const std::string& key) {
  int exponent;
  {
    std::lock_guard<std::mutex> lock(mu_);
    exponent = failures_[key]++;
  }
  // Doubling in floating point cannot overflow; the cap bounds the result.
  double delay = static_cast<double>(base_.count());
  for (int i = 0; i < exponent && delay < max_.count(); ++i) delay *= 2;
  if (delay >= max_.count()) return max_;
  return std::chrono::milliseconds(static_cast<int64_t>(delay));
}

void ItemBackoff::Forget(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  failures_.erase(key);
}

int ItemBackoff::NumRequeues(const std::string& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = failures_.find(key);
  return it == failures_.end() ? 0 : it->second;
}

}  // namespace berth
