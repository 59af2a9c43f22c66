#include "pod_host_check.h"

#include <unistd.h>

namespace berth::node {

std::string PodHostProblem(uid_t euid, const std::string& cgroup_root) {
  if (euid != 0) {
    return "running containers needs root (this process runs as uid " +
           std::to_string(euid) + ")";
  }
  // v2 shows cgroup.controllers at its root; v1 (and hybrid) a memory
  // hierarchy, which every pod's limits need.
  if (access((cgroup_root + "/cgroup.controllers").c_str(), F_OK) != 0 &&
      access((cgroup_root + "/memory").c_str(), F_OK) != 0) {
    return "no cgroup hierarchy is mounted at " + cgroup_root;
  }
  return "";
}

}  // namespace berth::node
