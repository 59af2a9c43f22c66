#include "node_cidr_allocator.h"

#include <algorithm>

#include "service_network.h"

namespace berth::core {

NodeCidrAllocator::NodeCidrAllocator(const NodeIpamSettings& settings)
    : settings_(settings), indexes_(0, settings.Count() - 1) {}

std::optional<uint32_t> NodeCidrAllocator::IndexOf(
    const std::string& cidr) const {
  const size_t slash = cidr.find('/');
  if (slash == std::string::npos ||
      cidr.substr(slash + 1) != std::to_string(settings_.node_mask_size)) {
    return std::nullopt;
  }
  auto ip = ParseIpv4(std::string_view(cidr).substr(0, slash));
  if (!ip) return std::nullopt;
  const int shift = 32 - settings_.node_mask_size;
  const uint64_t offset = uint64_t(*ip) - settings_.network;
  if (*ip < settings_.network || (offset & ((uint64_t(1) << shift) - 1)) ||
      (offset >> shift) >= settings_.Count()) {
    return std::nullopt;
  }
  return static_cast<uint32_t>(offset >> shift);
}

bool NodeCidrAllocator::Occupy(const std::string& cidr) {
  auto index = IndexOf(cidr);
  if (!index) return false;
  indexes_.Allocate(*index);
  return true;
}

void NodeCidrAllocator::OccupyOverlapping(uint32_t network, int prefix) {
  const uint64_t first = network;
  const uint64_t last = first + (uint64_t(1) << (32 - prefix)) - 1;
  const int shift = 32 - settings_.node_mask_size;
  const uint64_t cluster_last =
      uint64_t(settings_.network) + (uint64_t(settings_.Count()) << shift) - 1;
  if (last < settings_.network || first > cluster_last) return;
  const uint64_t lo = std::max<uint64_t>(first, settings_.network);
  const uint64_t hi = std::min(last, cluster_last);
  for (uint64_t i = (lo - settings_.network) >> shift;
       i <= (hi - settings_.network) >> shift; ++i) {
    indexes_.Allocate(static_cast<uint32_t>(i));
  }
}

std::optional<std::string> NodeCidrAllocator::AllocateNext() {
  auto index = indexes_.AllocateNext();
  if (!index) return std::nullopt;
  const uint32_t ip =
      settings_.network + (*index << (32 - settings_.node_mask_size));
  return FormatIpv4(ip) + "/" + std::to_string(settings_.node_mask_size);
}

void NodeCidrAllocator::Release(const std::string& cidr) {
  if (auto index = IndexOf(cidr)) indexes_.Release(*index);
}

}  // namespace berth::core
