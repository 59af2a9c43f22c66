// EndpointsSubsets: the core/v1 Endpoints `subsets` the endpoints
// controller writes for a Service with a selector, from the pods the
// selector matches — one address per pod that belongs in endpoints (in
// `addresses` when Ready or when the Service publishes not-ready addresses,
// else in `notReadyAddresses`), for each Service port the port its
// targetPort resolves to on that pod (so a named targetPort may differ per
// pod), then repacked as Kubernetes' RepackSubsets does: addresses offering
// the same ports share one subset.
//
// Order is deterministic (addresses by IP then pod uid, ports by name,
// number and protocol, subsets by their first address); Kubernetes orders
// ports and subsets by a hash instead, which no client relies on.
//
// Thread safety: pure function.
#ifndef BERTH_PLUGINS_CORE_ENDPOINTS_SUBSETS_H_
#define BERTH_PLUGINS_CORE_ENDPOINTS_SUBSETS_H_

#include <vector>

#include "berth/json.h"

namespace berth::core {

// The subsets (a JSON array, allocated in `alloc`) for `service` given
// `pods`, the pods of its namespace its selector matches (the caller
// lists them). Pods without an IPv4 address, finished pods, and (unless
// the Service has publishNotReadyAddresses) terminating pods are left out;
// so is a pod on which a port's targetPort names no container port.
Json BuildEndpointSubsets(const Json& service,
                          const std::vector<const Json*>& pods,
                          JsonAlloc& alloc);

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_ENDPOINTS_SUBSETS_H_
