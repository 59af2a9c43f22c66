// ShimSpec: what one berth-shim is told to run (written as shim.json in the
// container's state directory before the shim starts), and the files the
// shim leaves there for the runtime to read — also after the agent
// restarted:
//   shim.json   this spec               shim.pid  the shim's pid
//   pid         the container's pid     started   start time (unix ns)
//   exit.json   exit code, finish time (unix ns), OOM flag, message
//   attach.sock the attach socket while the shim runs (attach_frames.h)
//
// Two modes: an OCI container (create_argv non-empty: `runc create`, then
// start_argv `runc start`; the container's init is reparented to the shim,
// which is a child subreaper) or a plain process (argv) the shim starts in
// new namespaces itself.
//
// Thread safety: values.
#ifndef BERTH_PLUGINS_RUNTIME_COMMON_SHIM_SPEC_H_
#define BERTH_PLUGINS_RUNTIME_COMMON_SHIM_SPEC_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "berth/status.h"

namespace berth::runtime {

inline constexpr char kShimSpecFile[] = "shim.json";
inline constexpr char kShimPidFile[] = "shim.pid";
inline constexpr char kContainerPidFile[] = "pid";
inline constexpr char kStartedFile[] = "started";
inline constexpr char kExitFile[] = "exit.json";

struct ShimMount {
  std::string source;
  std::string destination;
  bool read_only = false;
  bool tmpfs = false;
  uint64_t tmpfs_size_bytes = 0;
};

struct ShimSpec {
  std::string dir;       // the container's state directory
  std::string log_path;  // CRI log file
  // The container's cgroup path; its OOM-kill count decides "OOMKilled".
  std::string memory_cgroup;
  // The container's stdin is a pipe fed by attach clients (else
  // /dev/null); with stdin_once the first client's departure closes it.
  bool stdin_open = false;
  bool stdin_once = false;
  // The container's stdio is a terminal: made by the shim (process mode)
  // or by the OCI runtime, which sends its master to console_socket
  // (create_argv names the same path).
  bool tty = false;
  std::string console_socket;

  // OCI mode.
  std::vector<std::string> create_argv;
  std::vector<std::string> start_argv;
  std::string pid_file;  // where create_argv writes the container's pid
  // Run create_argv with /sys/fs/cgroup/unified unmounted in a private
  // mount namespace (crun refuses hybrid cgroup hierarchies).
  bool hide_unified_cgroup = false;

  // Process mode.
  std::vector<std::string> argv;
  std::vector<std::string> env;  // "KEY=value"; all of the environment
  std::string working_dir;
  std::string cgroup;     // joined in every hierarchy
  bool host_pid = false;  // stay in the host's pid namespace (hostPID)
  std::string netns;      // joined by path; empty: the shim's
  std::string ipc_ns;     // "/proc/<pause>/ns/ipc"; empty: a new one
  std::string uts_ns;
  std::vector<ShimMount> mounts;
  std::optional<int64_t> uid;
  std::optional<int64_t> gid;
};

struct ExitRecord {
  int exit_code = 0;
  std::chrono::system_clock::time_point finished_at;
  bool oom_killed = false;
  std::string message;
};

std::string ShimSpecToJson(const ShimSpec& spec);
StatusOr<ShimSpec> ShimSpecFromJson(const std::string& text);
std::string ExitRecordToJson(const ExitRecord& r);
StatusOr<ExitRecord> ExitRecordFromJson(const std::string& text);

}  // namespace berth::runtime

#endif  // BERTH_PLUGINS_RUNTIME_COMMON_SHIM_SPEC_H_
