// PodFiles: the /etc/hosts, /etc/hostname and /etc/resolv.conf a pod's
// containers see, written once per sandbox from its PodSandboxConfig (as the
// kubelet does) and bind-mounted into every container.
//
// Thread safety: free functions; safe from any thread.
#ifndef BERTH_PLUGINS_RUNTIME_COMMON_POD_FILES_H_
#define BERTH_PLUGINS_RUNTIME_COMMON_POD_FILES_H_

#include <string>

#include "berth/runtime.h"
#include "berth/status.h"

namespace berth::runtime {

struct PodFilePaths {
  std::string hosts;
  std::string hostname;
  std::string resolv_conf;
};

// The file contents, exposed for tests.
std::string HostsFileText(const PodSandboxConfig& config);
std::string ResolvConfText(const PodSandboxConfig& config);

// Writes the three files into `dir`. With host networking resolv.conf is
// the host's. Internal when a file cannot be written.
StatusOr<PodFilePaths> WritePodFiles(const std::string& dir,
                                     const PodSandboxConfig& config);

}  // namespace berth::runtime

#endif  // BERTH_PLUGINS_RUNTIME_COMMON_POD_FILES_H_
