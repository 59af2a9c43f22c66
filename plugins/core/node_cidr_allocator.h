// NodeCidrAllocator: the node CIDRs of a cluster CIDR (its /24s by
// default), handed out next-fit over a RangeAllocator bitmap of their
// indexes, as kube-controller-manager's CIDR set does.
//
// Thread safety: all methods are safe to call concurrently.
#ifndef BERTH_PLUGINS_CORE_NODE_CIDR_ALLOCATOR_H_
#define BERTH_PLUGINS_CORE_NODE_CIDR_ALLOCATOR_H_

#include <optional>
#include <string>

#include "node_ipam_settings.h"
#include "range_allocator.h"

namespace berth::core {

class NodeCidrAllocator {
 public:
  explicit NodeCidrAllocator(const NodeIpamSettings& settings);

  // Marks `cidr` used. False when it is not one of this range's node CIDRs
  // (another size, outside, or not aligned); true also when already used.
  bool Occupy(const std::string& cidr);
  // Marks every node CIDR overlapping network/prefix used (the Service
  // range, so no pod gets an address a ClusterIP has).
  void OccupyOverlapping(uint32_t network, int prefix);
  // A free node CIDR ("10.244.3.0/24"), now used; nullopt when all are.
  std::optional<std::string> AllocateNext();
  // Frees `cidr`; ones outside the range are ignored.
  void Release(const std::string& cidr);

 private:
  std::optional<uint32_t> IndexOf(const std::string& cidr) const;

  const NodeIpamSettings settings_;
  RangeAllocator indexes_;
};

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_NODE_CIDR_ALLOCATOR_H_
