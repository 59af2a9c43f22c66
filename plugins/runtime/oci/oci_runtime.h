// OciRuntime: a ContainerRuntime running OCI images with an OCI runtime
// binary (runc or crun). Each container is a bundle in its state directory:
// config.json (oci_spec.h) and an overlayfs root (the image's unpacked
// layers from the ImageStore as lower dirs, a writable upper dir per
// container). berth-shim runs `<binary> create` then `start`, so the
// container's init is the shim's child; exec is `<binary> exec`.
//
// Thread safety: as ShimRuntime.
#ifndef BERTH_PLUGINS_RUNTIME_OCI_OCI_RUNTIME_H_
#define BERTH_PLUGINS_RUNTIME_OCI_OCI_RUNTIME_H_

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "plugins/runtime/oci/image/image_store.h"
#include "shim_runtime.h"

namespace berth::runtime {

struct OciRuntimeOptions {
  ShimRuntimeOptions base;  // name: "runc" or "crun"
  std::string binary;       // absolute path of runc / crun
  // Hide the cgroup2 mount from `create` (crun refuses hybrid hierarchies).
  bool hide_unified_cgroup = false;
  // Containers get a private cgroup namespace (pure cgroup v2 hosts).
  bool cgroup_namespace = false;
  std::shared_ptr<oci::ImageStore> images;  // shared by the runtimes
};

class OciRuntime : public ShimRuntime {
 public:
  explicit OciRuntime(OciRuntimeOptions options);

  // "runc 1.1.5", from `<binary> --version`.
  std::string Version() const override;

  StatusOr<ImageInfo> PullImage(const std::string& image,
                                const std::optional<ImageAuth>& auth) override;
  StatusOr<ImageInfo> ImageStatus(const std::string& image) override;
  StatusOr<std::vector<ImageInfo>> ListImages() override;
  Status RemoveImage(const std::string& image) override;
  StatusOr<ImageFsUsage> ImageFsInfo() override;

  // `<binary> exec`; on timeout the command itself is killed too (killing
  // the runtime's exec process alone would leave it running).
  StatusOr<ExecSyncResult> ExecSync(const std::string& container_id,
                                    const std::vector<std::string>& cmd,
                                    std::chrono::seconds timeout) override;

 protected:
  StatusOr<ShimSpec> PrepareContainer(ContainerRecord& record,
                                      const ContainerConfig& config,
                                      const SandboxRecord& sandbox) override;
  std::vector<std::string> ExecArgv(
      const ContainerRecord& record, int pid,
      const std::vector<std::string>& cmd, bool tty,
      const std::string& console_socket) const override;
  void CleanupContainer(const ContainerRecord& record) override;
  // crun hands the pty over a console socket; runc refuses a console
  // socket unless detached, so it gets our pty and copies itself.
  bool UsesConsoleSocket() const override {
    return oci_.binary.find("crun") != std::string::npos;
  }

 private:
  std::vector<std::string> Cli(std::vector<std::string> args) const;
  std::string ReadVersion() const;

  OciRuntimeOptions oci_;
  std::string state_root_;  // the binary's --root
  mutable std::once_flag version_once_;
  mutable std::string version_;
};

}  // namespace berth::runtime

#endif  // BERTH_PLUGINS_RUNTIME_OCI_OCI_RUNTIME_H_
