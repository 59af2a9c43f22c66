// NodeObject: the Node this agent registers and the status it posts, as a
// kubelet writes them — labels (hostname, os, arch), capacity and
// allocatable from the host (settings' capacity overriding), the four
// conditions, InternalIP and Hostname addresses, daemonEndpoints and
// nodeInfo with the container runtime's version.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_NODE_AGENT_NODE_OBJECT_H_
#define BERTH_PLUGINS_NODE_AGENT_NODE_OBJECT_H_

#include <map>
#include <string>

#include "berth/json.h"
#include "host_facts.h"
#include "node_conditions.h"
#include "node_settings.h"
#include "timestamps.h"

namespace berth::node {

// The Node to create (the API drops status on create).
std::string BuildNodeJson(const NodeSettings& settings);

// capacity as quantity text: cpu, memory, ephemeral-storage, pods from the
// host and settings.
std::map<std::string, std::string> NodeCapacity(const NodeSettings& settings,
                                                const HostFacts& facts);

// The node's status at `now`; `old_status` (may be null) keeps condition
// transition times. `runtime_version` is "<name>://<version>".
Json BuildNodeStatus(const NodeSettings& settings, const HostFacts& facts,
                     const std::string& runtime_version,
                     const kubelet::NodePressure& pressure,
                     const Json* old_status, kubelet::TimePoint now,
                     JsonAlloc& a);

}  // namespace berth::node

#endif  // BERTH_PLUGINS_NODE_AGENT_NODE_OBJECT_H_
