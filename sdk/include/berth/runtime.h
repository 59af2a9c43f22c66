// ContainerRuntime: what a runtime plugin implements so the node agent can
// run pods, modelled on the CRI (RuntimeService + ImageService). A pod is a
// sandbox (its namespaces, cgroup parent and network namespace) holding
// containers. The agent decides everything a kubelet decides (order,
// restarts, probes, status); the runtime only does what it is asked and
// reports what is there. Everything it creates must be found again by a
// fresh process (after an agent restart) through ListPodSandboxes and
// ListContainers, and must survive that restart still running.
//
// Logs: the agent gives each container a log path; the runtime writes the
// container's stdout and stderr there in the CRI format, one line per
// chunk: "<RFC3339Nano time> <stdout|stderr> <F|P> <text>\n" (P marks a
// partial line), and reopens the file on ReopenContainerLog (rotation).
//
// Thread safety: every method may be called from many threads at once,
// also for the same sandbox or container.
#ifndef BERTH_SDK_RUNTIME_H_
#define BERTH_SDK_RUNTIME_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "berth/status.h"
#include "berth/streams.h"

namespace berth {

// Registry credentials for one pull, from an imagePullSecret.
struct ImageAuth {
  std::string username;
  std::string password;
  std::string identity_token;  // a bearer token given instead of a password
};

struct ImageInfo {
  std::string id;                         // "sha256:<config digest>"
  std::vector<std::string> repo_tags;     // "registry:5000/busybox:1.35"
  std::vector<std::string> repo_digests;  // "registry:5000/busybox@sha256:.."
  uint64_t size_bytes = 0;
  // When a container was last made from it (or it was pulled or imported);
  // the epoch when the runtime does not track it. The node's image garbage
  // collection removes the least recently used first.
  std::chrono::system_clock::time_point last_used;
};

// The filesystem holding a runtime's images (CRI ImageFsInfo), in bytes.
struct ImageFsUsage {
  uint64_t capacity_bytes = 0;   // the filesystem's size
  uint64_t available_bytes = 0;  // free to unprivileged writers
  uint64_t images_bytes = 0;     // taken by the runtime's images
};

struct Mount {
  std::string host_path;
  std::string container_path;
  bool read_only = false;
  // "None", "HostToContainer" or "Bidirectional" (MountPropagationMode).
  std::string propagation = "None";
  // A tmpfs of this many bytes at container_path instead of a bind mount
  // of host_path (emptyDir with medium Memory); 0 with tmpfs: no limit.
  bool tmpfs = false;
  uint64_t tmpfs_size_bytes = 0;
};

struct LinuxResources {
  int64_t cpu_shares = 2;    // from requests.cpu (1 core = 1024)
  int64_t cpu_quota_us = 0;  // from limits.cpu; 0: unlimited
  int64_t cpu_period_us = 100000;
  int64_t memory_limit_bytes = 0;  // 0: unlimited
  int64_t pids_limit = 0;          // 0: unlimited
};

struct SecurityContext {
  bool privileged = false;
  std::optional<int64_t> run_as_user;
  std::optional<int64_t> run_as_group;
  std::vector<int64_t> supplemental_groups;
  bool read_only_root_filesystem = false;
  std::vector<std::string> add_capabilities;   // "NET_ADMIN"
  std::vector<std::string> drop_capabilities;  // "ALL"
  bool allow_privilege_escalation = true;
};

struct PodSandboxConfig {
  std::string name;  // pod name
  std::string pod_namespace;
  std::string uid;
  uint32_t attempt = 0;
  std::string hostname;
  bool host_network = false;
  bool host_pid = false;
  bool host_ipc = false;
  // The pod-level cgroup every container cgroup goes under
  // ("/berth/pod<uid>"); the runtime creates it in every hierarchy.
  std::string cgroup_parent;
  LinuxResources pod_resources;  // limits of the whole pod cgroup
  // resolv.conf of the pod: nameservers, searches, options.
  std::vector<std::string> dns_servers;
  std::vector<std::string> dns_searches;
  std::vector<std::string> dns_options;
  std::vector<std::string> hosts_entries;  // extra /etc/hosts lines
  std::string log_directory;               // where the containers' logs go
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
};

struct ContainerConfig {
  std::string name;
  uint32_t attempt = 0;              // restart count of this container
  std::string image;                 // the image reference as pulled
  std::vector<std::string> command;  // replaces the image's entrypoint
  std::vector<std::string> args;     // replaces the image's cmd
  std::string working_dir;           // empty: the image's
  std::vector<std::pair<std::string, std::string>> env;  // after the image's
  std::vector<Mount> mounts;
  LinuxResources resources;
  SecurityContext security;
  bool tty = false;
  bool stdin_open = false;  // spec.containers[].stdin
  bool stdin_once = false;
  std::string log_path;  // absolute; the runtime writes CRI lines here
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
};

enum class SandboxState { kReady, kNotReady };

struct PodSandboxStatus {
  std::string id;
  SandboxState state = SandboxState::kNotReady;
  std::string name;
  std::string pod_namespace;
  std::string uid;
  uint32_t attempt = 0;
  std::chrono::system_clock::time_point created_at;
  // The network namespace to attach (empty with host_network).
  std::string netns_path;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
};

enum class ContainerState { kCreated, kRunning, kExited, kUnknown };

struct ContainerStatus {
  std::string id;
  std::string sandbox_id;
  std::string name;
  uint32_t attempt = 0;
  ContainerState state = ContainerState::kUnknown;
  std::chrono::system_clock::time_point created_at;
  std::optional<std::chrono::system_clock::time_point> started_at;
  std::optional<std::chrono::system_clock::time_point> finished_at;
  int exit_code = 0;
  // "OOMKilled" when the memory limit killed it, "Error" for a non-zero
  // exit, "Completed" for zero, as the kubelet shows them.
  std::string reason;
  std::string message;
  std::string image;     // as requested
  std::string image_id;  // resolved, "sha256:..." or "repo@sha256:..."
  std::string log_path;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
};

struct ExecSyncResult {
  int exit_code = 0;
  std::string stdout_data;
  std::string stderr_data;
  bool timed_out = false;
};

class ContainerRuntime {
 public:
  virtual ~ContainerRuntime() = default;
  // The handler name nodes and RuntimeClasses pick it by ("runc", "crun",
  // "process").
  virtual std::string Name() const = 0;
  // "oci-runtime 1.1.5" for node.status.nodeInfo.containerRuntimeVersion,
  // as "<name>://<version>".
  virtual std::string Version() const = 0;
  // False when the runtime runs processes, not images (the process
  // runtime): the agent then skips pulls and says so in the pod's events.
  virtual bool UsesImages() const { return true; }

  // --- images ---
  // Pulls `image` ("busybox", "registry:5000/app:v1", "repo@sha256:..")
  // for linux/amd64 with `auth` when given. Errors name the image and carry
  // the registry's message (NotFound for an unknown repository or tag,
  // Unauthorized when the registry refused the credentials).
  virtual StatusOr<ImageInfo> PullImage(const std::string& image,
                                        const std::optional<ImageAuth>& auth) {
    return Status::MethodNotAllowed(Name() + " does not pull images");
  }
  // The local image `image` refers to, or NotFound.
  virtual StatusOr<ImageInfo> ImageStatus(const std::string& image) {
    return Status::NotFound("image " + image + " not present");
  }
  virtual StatusOr<std::vector<ImageInfo>> ListImages() {
    return std::vector<ImageInfo>{};
  }
  virtual Status RemoveImage(const std::string& image) {
    return Status::NotFound("image " + image + " not present");
  }
  // The image filesystem's size and use, for the node's image garbage
  // collection. MethodNotAllowed when the runtime keeps no images.
  virtual StatusOr<ImageFsUsage> ImageFsInfo() {
    return Status::MethodNotAllowed(Name() + " keeps no images");
  }

  // --- sandboxes ---
  // Creates the pod's namespaces and cgroup parent. Returns the sandbox id.
  virtual StatusOr<std::string> RunPodSandbox(
      const PodSandboxConfig& config) = 0;
  // Stops every container of the sandbox (SIGKILL) and releases its
  // namespaces' processes; the sandbox stays listed until removed.
  virtual Status StopPodSandbox(const std::string& sandbox_id) = 0;
  // Removes what is left (containers, netns mount, cgroups, files).
  // Idempotent.
  virtual Status RemovePodSandbox(const std::string& sandbox_id) = 0;
  virtual StatusOr<PodSandboxStatus> SandboxStatus(
      const std::string& sandbox_id) = 0;
  virtual StatusOr<std::vector<PodSandboxStatus>> ListPodSandboxes() = 0;

  // --- containers ---
  // Creates (does not start) a container in the sandbox. Returns its id.
  virtual StatusOr<std::string> CreateContainer(
      const std::string& sandbox_id, const ContainerConfig& config,
      const PodSandboxConfig& sandbox_config) = 0;
  virtual Status StartContainer(const std::string& container_id) = 0;
  // SIGTERM, then SIGKILL after `grace` (zero: SIGKILL at once). Returns
  // when the container has exited.
  virtual Status StopContainer(const std::string& container_id,
                               std::chrono::seconds grace) = 0;
  virtual Status RemoveContainer(const std::string& container_id) = 0;
  virtual StatusOr<ContainerStatus> GetContainerStatus(
      const std::string& container_id) = 0;
  virtual StatusOr<std::vector<ContainerStatus>> ListContainers() = 0;
  // Reopens the container's log file after the agent rotated it.
  virtual Status ReopenContainerLog(const std::string& container_id) {
    return {};
  }

  // --- streams ---
  // Runs `cmd` in the container and waits at most `timeout` (exec probes).
  virtual StatusOr<ExecSyncResult> ExecSync(const std::string& container_id,
                                            const std::vector<std::string>& cmd,
                                            std::chrono::seconds timeout) = 0;
  // Runs `cmd` in the container wired to `streams` until it exits
  // (kubectl exec). Returns its exit code.
  virtual StatusOr<int> Exec(const std::string& container_id,
                             const std::vector<std::string>& cmd,
                             ExecStreams& streams) = 0;
  // Wires `streams` to the running container's own stdio (kubectl attach).
  virtual Status Attach(const std::string& container_id, ExecStreams& streams) {
    return Status::MethodNotAllowed(Name() + " does not support attach");
  }
  // Connects `stream` to TCP `stream.port()` on localhost inside the
  // sandbox's network namespace and copies bytes both ways until either
  // side closes.
  virtual Status PortForward(const std::string& sandbox_id,
                             PortForwardStream& stream) = 0;
};

}  // namespace berth

#endif  // BERTH_SDK_RUNTIME_H_
