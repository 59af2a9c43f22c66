// RangeAllocator: an in-memory bitmap of the integers [first, last], used
// for Service ClusterIPs (as host-order IPv4 numbers) and NodePorts. Free
// values are handed out next-fit from a rotating cursor, so a value just
// released is not reused at once.
//
// Thread safety: all methods are safe to call concurrently.
#ifndef BERTH_PLUGINS_CORE_RANGE_ALLOCATOR_H_
#define BERTH_PLUGINS_CORE_RANGE_ALLOCATOR_H_

#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

namespace berth::core {

class RangeAllocator {
 public:
  enum class Result { kOk, kOutOfRange, kTaken };

  // first <= last.
  RangeAllocator(uint32_t first, uint32_t last);

  // Takes `value`; kOutOfRange or kTaken when it cannot.
  Result Allocate(uint32_t value);
  // Takes some free value; nullopt when the range is full.
  std::optional<uint32_t> AllocateNext();
  // Frees `value`; values outside the range or already free are ignored.
  void Release(uint32_t value);
  bool Contains(uint32_t value) const {
    return value >= first_ && value <= last_;
  }
  bool IsAllocated(uint32_t value) const;

 private:
  const uint32_t first_;
  const uint32_t last_;
  mutable std::mutex mu_;
  std::vector<bool> used_;  // guarded by mu_
  size_t cursor_ = 0;       // guarded by mu_
};

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_RANGE_ALLOCATOR_H_
