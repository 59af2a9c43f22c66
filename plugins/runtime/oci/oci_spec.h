// OciSpec: the OCI runtime config.json of one container, built the way the
// kubelet and containerd build it from the pod's container, the image's
// config and the sandbox — Kubernetes' command/args rules over the image's
// ENTRYPOINT/CMD, the environment, the user, capabilities (Docker's default
// set with add/drop, all of them when privileged), mounts (the pod's
// /etc/hosts, /etc/hostname and /etc/resolv.conf, volumes with their
// propagation, tmpfs), the namespaces (the sandbox's netns by path, the
// infra process's IPC and UTS, an own pid and mount namespace), the cgroup
// path and resource limits.
//
// Thread safety: a pure function of its input.
#ifndef BERTH_PLUGINS_RUNTIME_OCI_OCI_SPEC_H_
#define BERTH_PLUGINS_RUNTIME_OCI_OCI_SPEC_H_

#include <string>
#include <vector>

#include "berth/runtime.h"
#include "berth/status.h"
#include "plugins/runtime/oci/image/image_store.h"
#include "pod_files.h"

namespace berth::runtime {

struct OciSpecInput {
  const ContainerConfig* container = nullptr;
  const oci::ImageRunConfig* image = nullptr;
  std::string rootfs;        // the bundle's root filesystem (absolute)
  std::string cgroups_path;  // "/berth/pod<uid>/<container id>"
  std::string hostname;      // the pod's hostname (HOSTNAME variable)
  std::string netns_path;    // empty: the host's network
  int infra_pid = 0;         // whose IPC and UTS namespaces are joined
  bool host_pid = false;
  // A private cgroup namespace, as containerd gives containers on cgroup v2
  // hosts: /sys/fs/cgroup in the container is its own cgroup, so programs
  // read their limits from /sys/fs/cgroup/memory.max and cpu.max.
  bool cgroup_namespace = false;
  PodFilePaths pod_files;
};

// The argv the container runs: command replaces the image's ENTRYPOINT,
// args its CMD (args alone keep the ENTRYPOINT). Invalid when it is empty.
StatusOr<std::vector<std::string>> ContainerArgv(
    const ContainerConfig& c, const oci::ImageRunConfig& image);

// The capability set ("CAP_CHOWN", ...) of a container.
std::vector<std::string> ContainerCapabilities(const SecurityContext& sc);

// config.json text. Invalid for an empty argv or a bad user.
StatusOr<std::string> BuildOciSpec(const OciSpecInput& in);

}  // namespace berth::runtime

#endif  // BERTH_PLUGINS_RUNTIME_OCI_OCI_SPEC_H_
