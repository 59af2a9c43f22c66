// The berth-shim program's three modes (one shim process per container or
// sandbox, started detached by the runtime and outliving the agent):
//   run <dir>/shim.json   start a container (ShimSpec), copy its stdout and
//                         stderr to the CRI log (SIGUSR1 reopens it), reap
//                         it and write exit.json
//   pause ...             a sandbox's infra process: holds the pod's IPC
//                         and UTS namespaces (and sits in its netns) until
//                         SIGTERM
//   nsexec ...            run a command in the namespaces and cgroup of a
//                         running process (exec into process containers)
//
// Thread safety: each function is the whole program; single-threaded.
#ifndef BERTH_PLUGINS_RUNTIME_COMMON_SHIM_H_
#define BERTH_PLUGINS_RUNTIME_COMMON_SHIM_H_

#include <string>
#include <vector>

#include "shim_spec.h"

namespace berth::runtime {

// Returns the shim's exit code (0 once exit.json is written).
int RunShim(const ShimSpec& spec);

struct PauseOptions {
  std::string netns;  // joined; empty: stay in the host's
  std::string hostname;
  bool new_ipc = true;
  bool new_uts = true;
  std::string cgroup;      // joined when set
  std::string ready_file;  // written (with the pid) once set up
};
int RunPause(const PauseOptions& options);

struct NsExecOptions {
  int target_pid = 0;
  std::string cgroup;  // joined when set
  // stdin is a terminal the command takes as its controlling terminal.
  bool tty = false;
  std::vector<std::string> argv;
};
// Exits with the command's exit code (128+signal when killed).
int RunNsExec(const NsExecOptions& options);

}  // namespace berth::runtime

#endif  // BERTH_PLUGINS_RUNTIME_COMMON_SHIM_H_
