// RangeAllocator: an in-memory bitmap of the integers [first, last], used
// for Service ClusterIPs (as host-order IPv4 numbers) and NodePorts. Free
// values are handed out next-fit from a rotating cursor, so a value just
// released is not reused at once. The lowest `static_band` values are
// handed out only when the rest is full (Kubernetes' KEP-3070), so values
// users pick by hand there, such as kube-dns's 10.96.0.10, stay free.
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

  // first <= last; static_band values from `first` on are allocated last.
  RangeAllocator(uint32_t first, uint32_t last, uint32_t static_band = 0);

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
  const size_t static_band_;
  mutable std::mutex mu_;
  std::vector<bool> used_;  // guarded by mu_
  size_t cursor_;           // guarded by mu_; next-fit in the dynamic band
};

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_RANGE_ALLOCATOR_H_
