// ProcessRuntime: the `process` container runtime — a container is its
// command (command + args; the image is ignored) run as a host process by
// berth-shim in a pid and mount namespace of its own, joined to the
// sandbox's network, IPC and UTS namespaces and placed in its own cgroup
// under the pod's, with the pod's volumes bind-mounted in its mount
// namespace at their container paths (created when missing).
//
// Thread safety: as ShimRuntime.
#ifndef BERTH_PLUGINS_RUNTIME_PROCESS_PROCESS_RUNTIME_H_
#define BERTH_PLUGINS_RUNTIME_PROCESS_PROCESS_RUNTIME_H_

#include <string>
#include <vector>

#include "shim_runtime.h"

namespace berth::runtime {

class ProcessRuntime : public ShimRuntime {
 public:
  explicit ProcessRuntime(ShimRuntimeOptions options);

  std::string Version() const override { return "process 0.1.0"; }
  bool UsesImages() const override { return false; }

 protected:
  StatusOr<ShimSpec> PrepareContainer(ContainerRecord& record,
                                      const ContainerConfig& config,
                                      const SandboxRecord& sandbox) override;
  std::vector<std::string> ExecArgv(
      const ContainerRecord& record, int pid,
      const std::vector<std::string>& cmd, bool tty,
      const std::string& console_socket) const override;
  void CleanupContainer(const ContainerRecord& record) override;
};

}  // namespace berth::runtime

#endif  // BERTH_PLUGINS_RUNTIME_PROCESS_PROCESS_RUNTIME_H_
