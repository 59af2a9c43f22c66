// NodeObjectBase: the Node object a kubelet registers, before anything
// specific to the machine — apiVersion/kind, the name, the well-known
// labels (kubernetes.io/hostname, os, arch and their beta forms) and the
// node TTL annotation. Shared by the real node agent and the sim, which
// add their own labels and spec.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_NODE_COMMON_NODE_OBJECT_BASE_H_
#define BERTH_PLUGINS_NODE_COMMON_NODE_OBJECT_BASE_H_

#include <string>

#include "berth/json.h"

namespace berth::kubelet {

// A Node named `name` with the labels and annotations every kubelet sets,
// and an empty spec.
JsonDoc NodeObjectBase(const std::string& name);

}  // namespace berth::kubelet

#endif  // BERTH_PLUGINS_NODE_COMMON_NODE_OBJECT_BASE_H_
