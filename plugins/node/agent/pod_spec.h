// PodSpec: how the node agent turns a Pod's spec into runtime requests —
// the sandbox config (hostname, DNS, cgroup parent, log directory, the
// labels that find it again after a restart), each container's config
// (command, args, workingDir, env, mounts, resources as cgroup values), the
// host ports to map, and where each container's log goes
// (<rootDir>/pods/<ns>_<name>_<uid>/<container>/<restart>.log, as
// /var/log/pods).
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_NODE_AGENT_POD_SPEC_H_
#define BERTH_PLUGINS_NODE_AGENT_POD_SPEC_H_

#include <string>
#include <vector>

#include "berth/json.h"
#include "berth/network.h"
#include "berth/runtime.h"
#include "node_settings.h"
#include "pod_parts.h"

namespace berth::node {

// The labels every sandbox and container carries, as the kubelet's.
constexpr const char* kPodUidLabel = "io.kubernetes.pod.uid";
constexpr const char* kPodNameLabel = "io.kubernetes.pod.name";
constexpr const char* kPodNamespaceLabel = "io.kubernetes.pod.namespace";
constexpr const char* kContainerNameLabel = "io.kubernetes.container.name";

// "<ns>_<name>_<uid>" under <root>/pods.
std::string PodLogDirectory(const std::string& root_dir, const Json& pod);
std::string ContainerLogPath(const std::string& root_dir, const Json& pod,
                             const std::string& container, uint32_t attempt);

// cpu.shares from requests.cpu (limits.cpu when no request; 2 when
// neither), quota from limits.cpu, memory from limits.memory.
LinuxResources ContainerResources(const Json& container);

PodSandboxConfig SandboxConfigFor(const Json& pod, const NodeSettings& settings,
                                  uint32_t attempt);

// The containers' hostPort entries.
std::vector<PortMapping> PortMappingsOf(const Json& pod);

ContainerConfig ContainerConfigFor(const Json& pod, const Json& container,
                                   uint32_t attempt, const EnvList& env,
                                   std::vector<Mount> mounts,
                                   const std::string& log_path);

// The container spec named `name` in spec.initContainers (init = true) or
// spec.containers; nullptr when absent.
const Json* FindContainerSpec(const Json& pod, const std::string& name,
                              bool* init);

}  // namespace berth::node

#endif  // BERTH_PLUGINS_NODE_AGENT_POD_SPEC_H_
