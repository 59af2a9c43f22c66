// Env resolution: the environment of one container as the kubelet builds
// it (kubelet_pods.go makeEnvironmentVariables): envFrom sources first
// (configMapRef / secretRef, with prefix; keys that are not valid variable
// names skipped and reported), then env in order — value with $(VAR)
// expansion against what is defined so far, or valueFrom fieldRef,
// resourceFieldRef, configMapKeyRef, secretKeyRef — then the service
// variables (service_env.h) the container did not define itself, which
// $(VAR) references may also name. A later entry with an earlier name
// replaces its value and keeps its place.
//
// Thread safety: a pure function of its inputs; the Client is called from
// the calling thread only.
#ifndef BERTH_PLUGINS_NODE_ENV_ENV_RESOLVER_H_
#define BERTH_PLUGINS_NODE_ENV_ENV_RESOLVER_H_

#include <string>
#include <vector>

#include "berth/client.h"
#include "berth/json.h"
#include "berth/status.h"
#include "env/expansion.h"
#include "env/pod_facts.h"

namespace berth::node {

struct ResolvedEnv {
  EnvList env;  // what the runtime gets, in order
  // Warning events the kubelet records for this container, reason
  // "InvalidEnvironmentVariableNames": "Keys [1x, a b] from the EnvFrom
  // configMap default/cfg were skipped since they are considered invalid
  // environment variable names."
  std::vector<std::string> invalid_name_warnings;
};

// The environment of `container` (an element of pod.spec.containers,
// initContainers or ephemeralContainers) of `pod`. ConfigMaps and Secrets
// are read with `client` in the pod's namespace, each once per call.
// Fails (the kubelet's CreateContainerConfigError message) when a source
// that is not optional is missing: `configmap "x" not found`,
// `secret "s" not found`, `couldn't find key k in ConfigMap ns/x`,
// `couldn't find key k in Secret ns/s`; a fieldRef or resourceFieldRef that
// cannot be resolved fails with ExtractFieldRef's message; another client
// error is returned as it came (services: ServiceEnv's message).
StatusOr<ResolvedEnv> ResolveEnv(const Json& pod, const Json& container,
                                 Client& client, const PodFacts& facts);

// True when `name` is a valid environment variable name
// (validation.IsEnvVarName: [-._a-zA-Z][-._a-zA-Z0-9]*).
bool IsEnvVarName(const std::string& name);

}  // namespace berth::node

#endif  // BERTH_PLUGINS_NODE_ENV_ENV_RESOLVER_H_
