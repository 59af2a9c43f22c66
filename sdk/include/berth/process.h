// Process: the host's exec service. Backends that touch the host (CNI
// binaries, iptables-restore, mount, runc) run as child processes through
// it, never by linking their internals, so one place owns fork/exec, pipes,
// timeouts and reaping.
//
// Thread safety: safe to call from any thread; each call is independent.
#ifndef BERTH_SDK_PROCESS_H_
#define BERTH_SDK_PROCESS_H_

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "berth/status.h"

namespace berth {

struct ProcessSpec {
  // argv[0] is the program: an absolute path, or a name looked up in PATH.
  std::vector<std::string> argv;
  // The environment. When `inherit_env` is true these entries are added to
  // (and override) the caller's environment; otherwise they are all of it.
  std::map<std::string, std::string> env;
  bool inherit_env = true;
  std::string working_dir;  // empty: the caller's
  std::string stdin_data;   // written to the child's stdin, then closed
  // Killed (SIGKILL) when still running after this long; the result then
  // has timed_out set. Zero: no limit.
  std::chrono::milliseconds timeout{0};
  // At most this many bytes of stdout and of stderr are kept; the rest is
  // read and dropped so the child never blocks on a full pipe.
  size_t max_output_bytes = 16 << 20;
};

struct ProcessResult {
  int exit_code = -1;  // the exit status, or -1 when killed by a signal
  int signal = 0;      // the signal that ended it, 0 when it exited
  bool timed_out = false;
  std::string stdout_data;
  std::string stderr_data;
};

// A detached long-lived child: its own session, stdio to /dev/null unless
// redirected, not killed when the caller exits (a container shim).
struct DaemonSpec {
  std::vector<std::string> argv;
  std::map<std::string, std::string> env;
  bool inherit_env = true;
  std::string working_dir;
  std::string stdout_path;  // empty: /dev/null; appended to otherwise
  std::string stderr_path;
};

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  // Runs `spec` to completion. A child that started and exited non-zero is
  // an OK result with its exit code; a failure Status means it could not be
  // started (NotFound for a missing program, naming it).
  virtual StatusOr<ProcessResult> Run(const ProcessSpec& spec) = 0;
  // Starts `spec` detached and returns its pid at once. The caller is not
  // its parent after the call (it is reparented), so it never needs
  // reaping; track it by pid or by files it writes.
  virtual StatusOr<int> SpawnDaemon(const DaemonSpec& spec) = 0;
};

}  // namespace berth

#endif  // BERTH_SDK_PROCESS_H_
