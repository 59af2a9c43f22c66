// NetworkPolicySchemas: the OpenAPI v3 component schemas of
// networking.k8s.io/v1 NetworkPolicy and the types it holds, as the
// apiserver serves them, so `kubectl explain`, client-side apply and
// strict field validation work as against Kubernetes.
//
// Thread safety: pure function.
#ifndef BERTH_PLUGINS_NETWORK_POLICY_NETWORK_POLICY_SCHEMAS_H_
#define BERTH_PLUGINS_NETWORK_POLICY_NETWORK_POLICY_SCHEMAS_H_

#include <string>

namespace berth::policy {

// {"io.k8s.api.networking.v1.NetworkPolicy": {...}, ...}.
std::string NetworkPolicySchemasJson();

}  // namespace berth::policy

#endif  // BERTH_PLUGINS_NETWORK_POLICY_NETWORK_POLICY_SCHEMAS_H_
