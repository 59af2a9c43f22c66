// ImagePull: the kubelet's image decisions for one container — the
// effective imagePullPolicy (Always for ":latest" or no tag, else
// IfNotPresent, when the pod gives none), whether to pull given what is
// present, and the credentials for the image's registry from the pod's
// imagePullSecrets of type kubernetes.io/dockerconfigjson (or dockercfg).
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_NODE_AGENT_IMAGE_PULL_H_
#define BERTH_PLUGINS_NODE_AGENT_IMAGE_PULL_H_

#include <optional>
#include <string>
#include <vector>

#include "berth/json.h"
#include "berth/runtime.h"

namespace berth::node {

// "Always", "IfNotPresent" or "Never" for the container spec `container`.
std::string EffectivePullPolicy(const Json& container);

// The registry host of an image reference: "docker.io" for "busybox" or
// "library/busybox", "registry:5000" for "registry:5000/app:v1".
std::string RegistryHost(const std::string& image);

// The credentials in `secrets` (Secret objects as JSON) for `image`'s
// registry, first match wins; nullopt when none matches.
std::optional<ImageAuth> PullAuthFor(const std::string& image,
                                     const std::vector<std::string>& secrets);

}  // namespace berth::node

#endif  // BERTH_PLUGINS_NODE_AGENT_IMAGE_PULL_H_
