// Field references: the values a fieldRef or resourceFieldRef selects from a
// pod (the downward API), shared by env vars and downwardAPI volume files.
// Messages follow the kubelet's (pkg/fieldpath, pkg/api/v1/resource).
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_NODE_ENV_FIELD_REF_H_
#define BERTH_PLUGINS_NODE_ENV_FIELD_REF_H_

#include <string>

#include "berth/json.h"
#include "berth/status.h"
#include "env/pod_facts.h"

namespace berth::node {

// The value of `field_path` for `pod`: metadata.name, metadata.namespace,
// metadata.uid, metadata.labels['k'], metadata.annotations['k'] (missing
// key: ""), metadata.labels and metadata.annotations (all of them, one
// `k="v"` line each, sorted, as downwardAPI volumes write them),
// spec.nodeName, spec.serviceAccountName, status.hostIP, status.podIP,
// status.podIPs (comma separated). Values the agent knows better than the
// pod object (node, IPs) come from `facts` when the pod has none.
// Invalid for any other path: `unsupported fieldPath: <path>`.
StatusOr<std::string> ExtractFieldRef(const Json& pod,
                                      const std::string& field_path,
                                      const PodFacts& facts);

// The value of a resourceFieldRef ({"containerName", "resource",
// "divisor"}) as the kubelet renders it: limits.cpu / requests.cpu in
// divisor units rounded up (divisor default 1 core), limits.memory /
// requests.memory and limits.ephemeral-storage / requests.ephemeral-storage
// in divisor units rounded up (default 1 byte). An unset limit reports the
// node's allocatable from `facts`. `container` is the one whose resources
// are read (the caller resolves containerName). Invalid for an unknown
// resource (`unsupported container resource : <name>`) or divisor.
StatusOr<std::string> ExtractResourceFieldRef(const Json& container,
                                              const Json& ref,
                                              const PodFacts& facts);

// The container of `pod` named `name` among containers, initContainers and
// ephemeralContainers; nullptr when there is none.
const Json* FindContainer(const Json& pod, const std::string& name);

}  // namespace berth::node

#endif  // BERTH_PLUGINS_NODE_ENV_FIELD_REF_H_
