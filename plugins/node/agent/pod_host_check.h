// PodHostProblem: why this machine cannot run pods at all, checked once
// when the node agent starts: containers need root and mounted cgroups.
// The agent then keeps its Node NotReady with that cause instead of failing
// the whole server, as a kubelet whose runtime is not ready keeps running.
//
// Thread safety: reads the process's credentials and the file system; safe
// from any thread.
#ifndef BERTH_PLUGINS_NODE_AGENT_POD_HOST_CHECK_H_
#define BERTH_PLUGINS_NODE_AGENT_POD_HOST_CHECK_H_

#include <sys/types.h>

#include <string>

namespace berth::node {

// "" when a process with effective uid `euid` can run containers whose
// cgroups live under `cgroup_root` (normally /sys/fs/cgroup: v1 with a
// memory hierarchy, or v2 with cgroup.controllers); otherwise one sentence
// naming what is missing. Never fails otherwise.
std::string PodHostProblem(uid_t euid, const std::string& cgroup_root);

}  // namespace berth::node

#endif  // BERTH_PLUGINS_NODE_AGENT_POD_HOST_CHECK_H_
