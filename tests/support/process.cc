#include "tests/support/process.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace berth::testing {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Waits for `pid` up to `timeout_s`; kills it when the time runs out.
int WaitFor(pid_t pid, int timeout_s) {
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  int status = 0;
  while (true) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Forks and execs `args` with stdout and stderr to `log_path`.
pid_t SpawnLogged(std::vector<std::string> args, const std::string& log_path) {
  pid_t pid = fork();
  if (pid == 0) {
    int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

// nsenter, not `ip netns exec`: that remounts /sys for the namespace,
// which hides the cgroup hierarchies under /sys/fs/cgroup.
void EnterNetns(const std::string& netns, std::vector<std::string>* args) {
  if (netns.empty()) return;
  args->insert(args->begin(), {"nsenter", "--net=/var/run/netns/" + netns});
}

}  // namespace

CommandResult RunCommand(const std::string& command,
                         const std::map<std::string, std::string>& env,
                         const std::string& input, int timeout_s) {
  TempDir tmp;
  std::string in_path = tmp.path() + "/in", out_path = tmp.path() + "/out",
              err_path = tmp.path() + "/err";
  {
    std::ofstream in(in_path, std::ios::binary);
    in << input;
  }
  pid_t pid = fork();
  if (pid == 0) {
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    int in = open(in_path.c_str(), O_RDONLY);
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  CommandResult r;
  r.exit_code = WaitFor(pid, timeout_s);
  r.out = ReadAll(out_path);
  r.err = ReadAll(err_path);
  return r;
}

BerthServer::BerthServer(std::string data_dir)
    : data_dir_(std::move(data_dir)), log_path_(data_dir_ + ".log") {}

BerthServer::~BerthServer() {
  if (pid_ > 0) Kill();
  std::error_code ec;
  std::filesystem::remove(log_path_, ec);
}

bool BerthServer::Start(const std::vector<std::string>& extra_args) {
  std::vector<std::string> args = {BerthBinary(),    "server",   "--data-dir",
                                   data_dir_,        "--port",   "0",
                                   "--bind-address", "127.0.0.1"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  // The shipped conf/berth.yaml runs a node on this machine (containers, a
  // CNI bridge, cgroups, nftables): a test that names no config gets the
  // node-less control plane, so parallel servers share nothing of the host.
  if (std::find(extra_args.begin(), extra_args.end(), "--config") ==
      extra_args.end()) {
    args.insert(args.end(), {"--config", ControlPlaneConfig()});
  }
  args.insert(args.begin(), wrapper_.begin(), wrapper_.end());
  EnterNetns(netns_, &args);
  // Emptied here, not only in the child: after a restart the wait below
  // must not find the previous run's ready line (and its old port).
  std::ofstream(log_path_, std::ios::trunc);
  url_.clear();
  pid_ = SpawnLogged(args, log_path_);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    std::string log = ReadAll(log_path_);
    auto at = log.find("ready on ");
    if (at != std::string::npos) {
      auto end = log.find(' ', at + 9);
      url_ = log.substr(at + 9, end - at - 9);
      return true;
    }
    int status;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

int BerthServer::Stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int code = WaitFor(pid_, 20);
  pid_ = -1;
  return code;
}

void BerthServer::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string BerthServer::log() const { return ReadAll(log_path_); }

BerthAgent::BerthAgent(std::string data_dir)
    : data_dir_(std::move(data_dir)), log_path_(data_dir_ + ".log") {}

BerthAgent::~BerthAgent() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    int status;
    waitpid(pid_, &status, 0);
  }
  std::error_code ec;
  std::filesystem::remove(log_path_, ec);
}

bool BerthAgent::Start(const std::vector<std::string>& extra_args,
                       int timeout_s, bool wait_ready) {
  std::vector<std::string> args = {BerthBinary(), "agent", "--data-dir",
                                   data_dir_};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  // Any free kubelet port unless the test picks one: agents of parallel
  // tests share the host's ports.
  if (std::find(args.begin(), args.end(), "--kubelet-port") == args.end()) {
    args.insert(args.end(), {"--kubelet-port", "0"});
  }
  EnterNetns(netns_, &args);
  std::ofstream(log_path_, std::ios::trunc);
  pid_ = SpawnLogged(args, log_path_);
  return !wait_ready || WaitForOutput("berth agent ready", timeout_s);
}

bool BerthAgent::WaitForOutput(const std::string& text, int timeout_s) {
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  while (std::chrono::steady_clock::now() < deadline) {
    if (ReadAll(log_path_).find(text) != std::string::npos) return true;
    if (!Running()) return ReadAll(log_path_).find(text) != std::string::npos;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

bool BerthAgent::Running() {
  if (pid_ <= 0) return false;
  int status;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    pid_ = -1;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return false;
  }
  return true;
}

int BerthAgent::Stop() {
  if (pid_ <= 0) return exit_code_;
  kill(pid_, SIGTERM);
  int code = WaitFor(pid_, 60);
  pid_ = -1;
  return code;
}

int BerthAgent::Wait(int timeout_s) {
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  while (Running()) {
    if (std::chrono::steady_clock::now() > deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return exit_code_;
}

std::string BerthAgent::log() const { return ReadAll(log_path_); }

std::string BerthBinary() { return BERTH_BINARY; }
std::string ControlPlaneConfig() {
  return SourceDir() + "/conf/control-plane.yaml";
}
std::string ShippedConfig() { return SourceDir() + "/conf/berth.yaml"; }
std::string SourceDir() { return BERTH_SOURCE_DIR_PATH; }
std::string ExamplesDir() {
  return BERTH_SOURCE_DIR_PATH "/../shared/examples";
}

}  // namespace berth::testing
