// EndpointPods: what the endpoints and endpointslice controllers read from
// a Service and its Pods, as Kubernetes' endpoint utilities decide it —
// which pods a Service selects, which of them belong in its endpoints, a
// pod's readiness and IPv4 address, the container port a Service port's
// targetPort names on one pod, and whether the pod's hostname is
// published.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_CORE_ENDPOINT_PODS_H_
#define BERTH_PLUGINS_CORE_ENDPOINT_PODS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "berth/json.h"

namespace berth::core {

// Labels and annotations the controllers write (k8s.io/api discovery/v1
// and core/v1 well-known names).
inline constexpr const char* kServiceNameLabel = "kubernetes.io/service-name";
inline constexpr const char* kManagedByLabel =
    "endpointslice.kubernetes.io/managed-by";
inline constexpr const char* kSliceControllerName =
    "endpointslice-controller.k8s.io";
inline constexpr const char* kHeadlessLabel = "service.kubernetes.io/headless";
inline constexpr const char* kTriggerTimeAnnotation =
    "endpoints.kubernetes.io/last-change-trigger-time";

// True when the Service has a non-empty spec.selector: only those get
// endpoints from the controllers; the others keep hand-made ones.
bool HasSelector(const Json& service);

// spec.selector as a label selector string ("app=web,tier=fe"), keys
// sorted; "" without one.
std::string SelectorString(const Json& service);

// True when every key of spec.selector has the same value in `labels` (a
// pod's metadata.labels, nullptr for none). False without a selector.
bool SelectorMatches(const Json& service, const Json* labels);

// A Service without a ClusterIP ("None" or empty): headless.
bool IsHeadless(const Json& service);

// ExternalName Services get no endpoints.
bool IsExternalName(const Json& service);

// The pod's Ready condition is True.
bool IsPodReady(const Json& pod);

// ShouldPodBeInEndpoints: not Succeeded or Failed, has an IP, and (unless
// `include_terminating`) no deletionTimestamp.
bool ShouldPodBeInEndpoints(const Json& pod, bool include_terminating);

// The pod's IPv4 address (status.podIPs, else status.podIP); "" when it
// has none.
std::string PodIpv4(const Json& pod);

// podutil.FindPort: the port `service_port` reaches on `pod` — its
// targetPort when a number (its port when unset), else the containerPort of
// the container (or sidecar init container) port with that name and the
// service port's protocol. nullopt when the pod has no such port.
std::optional<int64_t> FindPort(const Json& pod, const Json& service_port);

// ShouldSetHostname: the pod sets spec.hostname and its spec.subdomain is
// the Service's name in the same namespace.
bool ShouldSetHostname(const Json& pod, const Json& service);

// The Ready condition's lastTransitionTime, "" when there is none: the
// change that made the pod's endpoint change (the trigger time).
std::string PodTriggerTime(const Json& pod);

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_ENDPOINT_PODS_H_
