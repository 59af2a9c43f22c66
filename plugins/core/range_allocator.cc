#include "range_allocator.h"

#include <algorithm>

namespace berth::core {

RangeAllocator::RangeAllocator(uint32_t first, uint32_t last,
                               uint32_t static_band)
    : first_(first),
      last_(last),
      static_band_(std::min<size_t>(static_band, size_t(last) - first)),
      used_(size_t(last) - first + 1, false),
      cursor_(static_band_) {}

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
  const size_t dynamic = n - static_band_;
  for (size_t i = 0; i < dynamic; ++i) {
    size_t idx = static_band_ + (cursor_ - static_band_ + i) % dynamic;
    if (!used_[idx]) {
      used_[idx] = true;
      cursor_ = static_band_ + (idx + 1 - static_band_) % dynamic;
      return first_ + static_cast<uint32_t>(idx);
    }
  }
  for (size_t idx = 0; idx < static_band_; ++idx) {
    if (!used_[idx]) {
      used_[idx] = true;
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
