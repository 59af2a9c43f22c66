// EndpointSlicePlan: what the endpointslice controller writes for one
// Service, as pure functions. The desired endpoints come from the pods the
// Service selects (one discovery/v1 Endpoint per pod with an IPv4 address
// that is not finished, terminating pods included: conditions ready,
// serving and terminating as Kubernetes sets them, nodeName, zone,
// hostname, targetRef), grouped by the ports they offer (a named
// targetPort may resolve differently per pod). The plan then reconciles
// them with the slices the controller already manages as Kubernetes'
// reconciler does: endpoints stay in the slice that holds them (updated in
// place when they changed), slices left empty are deleted, new endpoints
// fill slices already being updated, then the fullest unchanged slice they
// fit in, then new slices of at most `max_per_slice`; slices of ports no
// longer offered go. A Service with no endpoints keeps one empty
// placeholder slice, as in Kubernetes.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_CORE_ENDPOINT_SLICE_PLAN_H_
#define BERTH_PLUGINS_CORE_ENDPOINT_SLICE_PLAN_H_

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "berth/json.h"

namespace berth::core {

// kube-controller-manager's --max-endpoints-per-slice default.
inline constexpr size_t kMaxEndpointsPerSlice = 100;

// One endpoint as a slice holds it.
struct SliceEndpoint {
  // Identity across syncs: the addresses and the pod ("10.0.0.5/ns/web-1").
  std::string key;
  // The discovery/v1 Endpoint as canonical JSON (CanonicalJson).
  std::string json;
  bool operator==(const SliceEndpoint& o) const {
    return key == o.key && json == o.json;
  }
};

// Desired endpoints keyed by the canonical JSON of their ports list ("[]"
// for none), each list in key order.
using DesiredSliceEndpoints = std::map<std::string, std::vector<SliceEndpoint>>;

// The desired endpoints of `service` given `pods` (those its selector
// matches in its namespace) and the zones of their nodes (node name ->
// topology.kubernetes.io/zone, absent when unknown).
DesiredSliceEndpoints BuildDesiredSliceEndpoints(
    const Json& service, const std::vector<const Json*>& pods,
    const std::map<std::string, std::string>& node_zones);

// The canonical key of a slice's ports list (`ports` may be nullptr).
std::string PortsKey(const Json* ports);

// The key of an Endpoint as BuildDesiredSliceEndpoints makes it.
std::string EndpointKey(const Json& endpoint);

// A slice the controller manages, as read back.
struct ExistingSlice {
  std::string name;
  std::string ports;  // PortsKey
  std::vector<SliceEndpoint> endpoints;
  // False when its labels are not what the controller would write; the
  // plan then rewrites it.
  bool labels_current = true;
};

// A slice to write: `name` empty for one to create.
struct PlannedSlice {
  std::string name;
  std::string ports;
  std::vector<SliceEndpoint> endpoints;
};

struct SlicePlan {
  std::vector<PlannedSlice> create;
  std::vector<PlannedSlice> update;
  std::vector<std::string> remove;  // names
  bool Empty() const {
    return create.empty() && update.empty() && remove.empty();
  }
};

SlicePlan PlanSlices(const std::vector<ExistingSlice>& existing,
                     const DesiredSliceEndpoints& desired,
                     size_t max_per_slice = kMaxEndpointsPerSlice);

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_ENDPOINT_SLICE_PLAN_H_
