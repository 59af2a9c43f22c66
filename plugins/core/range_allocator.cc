#include "range_allocator.h"

namespace berth::core {

RangeAllocator::RangeAllocator(uint32_t first, uint32_t last)
    : first_(first), last_(last), used_(size_t(last) - first + 1, false) {}

RangeAllocator::Result RangeAllocator::Allocate(uint32_t value) {
  if (!Contains(value)) return Result::kOutOfRange;
  std::lock_guard<std::mutex> lock(mu_);
  if (used_[value - first_]) return Result::kTaken;
  used_[value - first_] = true;
  return Result::kOk;
}

std::optional<uint32_t> RangeAllocator::AllocateNext() {
  std::lock_guard<std::mutex> lock(mu_);
  const size_t n = used_.size();
  for (size_t i = 0; i < n; ++i) {
    size_t idx = (cursor_ + i) % n;
    if (!used_[idx]) {
      used_[idx] = true;
      cursor_ = (idx + 1) % n;
      return first_ + static_cast<uint32_t>(idx);
    }
  }
  return std::nullopt;
}

void RangeAllocator::Release(uint32_t value) {
  if (!Contains(value)) return;
  std::lock_guard<std::mutex> lock(mu_);
  used_[value - first_] = false;
}

bool RangeAllocator::IsAllocated(uint32_t value) const {
  if (!Contains(value)) return false;
  std::lock_guard<std::mutex> lock(mu_);
  return used_[value - first_];
}

}  // namespace berth::core
