// ShimRuntime: the part of a ContainerRuntime every Berth runtime shares —
// sandboxes (a network namespace bind-mounted on a file, the pod cgroup in
// every hierarchy, an infra "pause" process holding the pod's IPC and UTS
// namespaces, and the pod's hosts/hostname/resolv.conf files) and
// containers run by one detached berth-shim each. Everything lives in files
// under the root directory, so a fresh object on the same root (after an
// agent restart) lists the same sandboxes and containers, and the
// containers keep running meanwhile:
//   <root>/sandboxes/<id>/sandbox.json, netns, hosts, hostname, resolv.conf
//   <root>/containers/<id>/container.json and the shim's files (shim_spec.h)
// A subclass says how a container is prepared (an OCI bundle, or a plain
// process) and how to exec into it.
//
// Thread safety: every method may be called from many threads at once;
// record files are replaced atomically; container creation and every
// removal are serialized, sandboxes are created side by side.
#ifndef BERTH_PLUGINS_RUNTIME_COMMON_SHIM_RUNTIME_H_
#define BERTH_PLUGINS_RUNTIME_COMMON_SHIM_RUNTIME_H_

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "berth/process.h"
#include "berth/runtime.h"
#include "cgroups.h"
#include "shim_spec.h"

namespace berth::runtime {

struct ShimRuntimeOptions {
  std::string name;                 // "runc", "crun", "process"
  std::string root;                 // state directory (created)
  std::string shim_path;            // the berth-shim executable
  ProcessRunner* runner = nullptr;  // not owned; must outlive the runtime
};

// A sandbox as recorded on disk.
struct SandboxRecord {
  std::string id;
  std::string dir;
  PodSandboxConfig config;
  std::chrono::system_clock::time_point created_at;
  std::string netns_path;  // empty with host networking
  std::string cgroup_parent;
  int pause_pid = 0;
  bool ready = false;
};

// A container as recorded on disk.
struct ContainerRecord {
  std::string id;
  std::string dir;
  std::string sandbox_id;
  std::string name;
  uint32_t attempt = 0;
  std::string image;
  std::string image_id;
  std::string log_path;
  std::string cgroup;  // its own cgroup path, under the pod's
  std::chrono::system_clock::time_point created_at;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
};

// A ShimRuntime uses the `berth-shim` next to the running executable, or
// one in PATH.
std::string DefaultShimPath();

class ShimRuntime : public ContainerRuntime {
 public:
  explicit ShimRuntime(ShimRuntimeOptions options);
  ~ShimRuntime() override = default;

  std::string Name() const override { return options_.name; }

  StatusOr<std::string> RunPodSandbox(const PodSandboxConfig& config) override;
  Status StopPodSandbox(const std::string& sandbox_id) override;
  Status RemovePodSandbox(const std::string& sandbox_id) override;
  StatusOr<PodSandboxStatus> SandboxStatus(
      const std::string& sandbox_id) override;
  StatusOr<std::vector<PodSandboxStatus>> ListPodSandboxes() override;

  StatusOr<std::string> CreateContainer(
      const std::string& sandbox_id, const ContainerConfig& config,
      const PodSandboxConfig& sandbox_config) override;
  Status StartContainer(const std::string& container_id) override;
  Status StopContainer(const std::string& container_id,
                       std::chrono::seconds grace) override;
  Status RemoveContainer(const std::string& container_id) override;
  StatusOr<ContainerStatus> GetContainerStatus(
      const std::string& container_id) override;
  StatusOr<std::vector<ContainerStatus>> ListContainers() override;
  Status ReopenContainerLog(const std::string& container_id) override;

  StatusOr<ExecSyncResult> ExecSync(const std::string& container_id,
                                    const std::vector<std::string>& cmd,
                                    std::chrono::seconds timeout) override;
  StatusOr<int> Exec(const std::string& container_id,
                     const std::vector<std::string>& cmd,
                     ExecStreams& streams) override;
  // Attaches to the container's stdio through its shim (stdin only when
  // the container was created with stdin_open).
  Status Attach(const std::string& container_id, ExecStreams& streams) override;
  Status PortForward(const std::string& sandbox_id,
                     PortForwardStream& stream) override;

  // The records on disk (also for tests and subclasses).
  StatusOr<SandboxRecord> LoadSandbox(const std::string& id) const;
  StatusOr<ContainerRecord> LoadContainer(const std::string& id) const;

 protected:
  // Prepares `record`'s container (its dir exists) and says what the shim
  // runs. `image_id` may be set for the status. Errors are returned to the
  // caller of CreateContainer; CleanupContainer is then called.
  virtual StatusOr<ShimSpec> PrepareContainer(ContainerRecord& record,
                                              const ContainerConfig& config,
                                              const SandboxRecord& sandbox) = 0;
  // The command line that runs `cmd` inside the running container whose
  // init has host pid `pid`. With `tty` the command gets a terminal: when
  // `console_socket` is set the OCI runtime makes the pty and sends its
  // master there; otherwise the command's stdio is a pty slave already and
  // it only needs to make it its controlling terminal.
  virtual std::vector<std::string> ExecArgv(
      const ContainerRecord& record, int pid,
      const std::vector<std::string>& cmd, bool tty,
      const std::string& console_socket) const = 0;
  // Whether tty exec goes through a console socket (ExecArgv).
  virtual bool UsesConsoleSocket() const { return false; }
  // Releases what PrepareContainer made (runtime state, mounts). Idempotent;
  // the container has exited.
  virtual void CleanupContainer(const ContainerRecord& record) = 0;

  const ShimRuntimeOptions& options() const { return options_; }
  // The host pid of the container's init while it runs, else 0.
  int RunningPid(const ContainerRecord& r) const;
  const Cgroups& cgroups() const { return cgroups_; }

 private:
  // Removes `cgroup` (every hierarchy) and then the state directory `dir`.
  Status RemoveCgroupAndDir(const std::string& cgroup, const std::string& dir);
  std::string SandboxDir(const std::string& id) const;
  std::string ContainerDir(const std::string& id) const;
  Status SaveSandbox(const SandboxRecord& r) const;
  Status SaveContainer(const ContainerRecord& r) const;
  std::vector<std::string> ContainerIdsOf(const std::string& sandbox_id) const;
  bool WaitForExit(const ContainerRecord& r,
                   std::chrono::milliseconds timeout) const;
  void KillPause(const SandboxRecord& r) const;

  ShimRuntimeOptions options_;
  Cgroups cgroups_;
  // Serializes container creation and every removal (not sandbox
  // creation: a new sandbox's id is nobody else's until it is returned).
  std::mutex mu_;
};

}  // namespace berth::runtime

#endif  // BERTH_PLUGINS_RUNTIME_COMMON_SHIM_RUNTIME_H_
