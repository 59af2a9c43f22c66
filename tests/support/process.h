// Test support: running commands and a `berth server` child process.
// RunCommand runs a shell command with extra environment and stdin and
// captures its output; BerthServer starts the real server binary on a free
// port in a fresh data dir and stops it (SIGTERM) or kills it (SIGKILL).
//
// Thread safety: one test thread per instance.
#ifndef BERTH_TESTS_SUPPORT_PROCESS_H_
#define BERTH_TESTS_SUPPORT_PROCESS_H_

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace berth::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `command` with /bin/sh -c, `env` added to the environment, `input`
// on stdin. Waits at most `timeout_s` seconds (then kills it, exit -1).
CommandResult RunCommand(const std::string& command,
                         const std::map<std::string, std::string>& env = {},
                         const std::string& input = "", int timeout_s = 120);

class BerthServer {
 public:
  // Does not start anything.
  explicit BerthServer(std::string data_dir);
  ~BerthServer();

  // Starts `berth server --data-dir D --port 0 [extra]` and waits for its
  // ready line. Without `--config` in `extra` the server gets
  // ControlPlaneConfig() (no node), not the shipped conf/berth.yaml.
  // Returns false (with the server's output in log()) when it exits or is
  // not ready within 20 s.
  bool Start(const std::vector<std::string>& extra_args = {});
  // Runs the server inside network namespace `netns` (/var/run/netns/NAME) from
  // the next Start on (through nsenter); "" (the default) runs it in the
  // caller's. Clients then reach it only from inside that namespace.
  void set_netns(std::string netns) { netns_ = std::move(netns); }
  // Runs the server through `wrapper` (a command that runs the command line
  // after it, e.g. {"setpriv", "--reuid=65534", ...}) from the next Start
  // on; empty (the default) runs it directly.
  void set_wrapper(std::vector<std::string> wrapper) {
    wrapper_ = std::move(wrapper);
  }
  // SIGTERM and wait; returns the exit code.
  int Stop();
  // SIGKILL and wait.
  void Kill();

  const std::string& url() const { return url_; }
  std::string kubeconfig() const { return data_dir_ + "/admin.kubeconfig"; }
  const std::string& data_dir() const { return data_dir_; }
  std::string log() const;
  pid_t pid() const { return pid_; }

 private:
  std::string data_dir_;
  std::string log_path_;
  pid_t pid_ = -1;
  std::string url_;
  std::string netns_;
  std::vector<std::string> wrapper_;
};

// A `berth agent` child process (a second machine's node plugins), with its
// output in <data_dir>.log.
class BerthAgent {
 public:
  // Does not start anything.
  explicit BerthAgent(std::string data_dir);
  ~BerthAgent();  // kills it when still running

  // Starts `berth agent --data-dir D [extra]` (inside netns_ when set,
  // through nsenter) and waits up to `timeout_s` for its ready line.
  // False (its output in log()) when it exits or is not ready in time;
  // with `wait_ready` false it returns true at once after the fork.
  bool Start(const std::vector<std::string>& extra_args, int timeout_s = 60,
             bool wait_ready = true);
  void set_netns(std::string netns) { netns_ = std::move(netns); }
  // Waits up to `timeout_s` until the output contains `text`.
  bool WaitForOutput(const std::string& text, int timeout_s);
  // Whether the process is still running (not exited).
  bool Running();
  // SIGTERM and wait; the exit code (-1 when killed by a signal).
  int Stop();
  // The exit code once it exited by itself within `timeout_s`, else -1.
  int Wait(int timeout_s);

  std::string log() const;
  pid_t pid() const { return pid_; }

 private:
  std::string data_dir_;
  std::string log_path_;
  pid_t pid_ = -1;
  int exit_code_ = -1;  // once it exited by itself
  std::string netns_;
};

// Path of the built `berth` binary and of the repository's directories.
std::string BerthBinary();
std::string SourceDir();
// The source tree's conf/control-plane.yaml (no node on this machine) and
// conf/berth.yaml (the shipped config, with the node agent).
std::string ControlPlaneConfig();
std::string ShippedConfig();
std::string ExamplesDir();

}  // namespace berth::testing

#endif  // BERTH_TESTS_SUPPORT_PROCESS_H_
