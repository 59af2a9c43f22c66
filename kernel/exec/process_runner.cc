#include "kernel/exec/process_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <vector>

extern char** environ;

namespace berth {
namespace {

// argv and envp as posix_spawn wants them; owns the strings.
class SpawnArgs {
 public:
  SpawnArgs(const std::vector<std::string>& argv,
            const std::map<std::string, std::string>& env, bool inherit) {
    for (const auto& a : argv) args_.push_back(a);
    if (inherit) {
      for (char** e = environ; e && *e; ++e) {
        std::string entry = *e;
        std::string key = entry.substr(0, entry.find('='));
        if (env.count(key) == 0) vars_.push_back(entry);
      }
    }
    for (const auto& [k, v] : env) vars_.push_back(k + "=" + v);
    for (auto& a : args_) argv_.push_back(a.data());
    argv_.push_back(nullptr);
    for (auto& v : vars_) envp_.push_back(v.data());
    envp_.push_back(nullptr);
  }
  char* const* argv() { return argv_.data(); }
  char* const* envp() { return envp_.data(); }

 private:
  std::vector<std::string> args_, vars_;
  std::vector<char*> argv_, envp_;
};

// posix_spawn file actions and attributes, released on scope exit.
struct SpawnSetup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
    sigset_t none;
    sigemptyset(&none);
    // The child must not inherit blocked signals (request threads may block
    // SIGPIPE), nor ignored ones beyond the defaults.
    posix_spawnattr_setsigmask(&attr, &none);
    sigset_t all;
    sigfillset(&all);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr,
                             POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
};

Status SpawnFailure(const std::string& program, int err) {
  if (err == ENOENT) {
    return Status::NotFound("cannot run " + program + ": not found");
  }
  return Status::Internal("cannot run " + program + ": " + std::strerror(err));
}

void CloseFd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

}  // namespace

SpawnProcessRunner::~SpawnProcessRunner() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (reaper_.joinable()) reaper_.join();
}

StatusOr<ProcessResult> SpawnProcessRunner::Run(const ProcessSpec& spec) {
  if (spec.argv.empty()) return Status::Invalid("no program to run");
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) != 0) return SpawnFailure(spec.argv[0], errno);
  if (pipe2(out, O_CLOEXEC) != 0) {
    close(in[0]), close(in[1]);
    return SpawnFailure(spec.argv[0], errno);
  }
  if (pipe2(err, O_CLOEXEC) != 0) {
    close(in[0]), close(in[1]), close(out[0]), close(out[1]);
    return SpawnFailure(spec.argv[0], errno);
  }
  SpawnSetup setup;
  posix_spawn_file_actions_adddup2(&setup.actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&setup.actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&setup.actions, err[1], 2);
  if (!spec.working_dir.empty()) {
    posix_spawn_file_actions_addchdir_np(&setup.actions,
                                         spec.working_dir.c_str());
  }
  SpawnArgs args(spec.argv, spec.env, spec.inherit_env);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, spec.argv[0].c_str(), &setup.actions, &setup.attr,
                        args.argv(), args.envp());
  close(in[0]);
  close(out[1]);
  close(err[1]);
  if (rc != 0) {
    close(in[1]), close(out[0]), close(err[0]);
    return SpawnFailure(spec.argv[0], rc);
  }

  ProcessResult result;
  int stdin_fd = in[1], stdout_fd = out[0], stderr_fd = err[0];
  fcntl(stdin_fd, F_SETFL, O_NONBLOCK);
  size_t written = 0;
  if (spec.stdin_data.empty()) CloseFd(stdin_fd);
  const auto deadline = std::chrono::steady_clock::now() + spec.timeout;
  char buf[65536];
  while (stdout_fd >= 0 || stderr_fd >= 0) {
    pollfd fds[3];
    int n = 0;
    if (stdout_fd >= 0) fds[n++] = {stdout_fd, POLLIN, 0};
    if (stderr_fd >= 0) fds[n++] = {stderr_fd, POLLIN, 0};
    if (stdin_fd >= 0) fds[n++] = {stdin_fd, POLLOUT, 0};
    int wait_ms = -1;
    if (spec.timeout.count() > 0) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        kill(pid, SIGKILL);
        result.timed_out = true;
        break;
      }
      wait_ms = static_cast<int>(left.count());
    }
    if (poll(fds, n, wait_ms) < 0 && errno != EINTR) break;
    for (int i = 0; i < n; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == stdin_fd) {
        ssize_t w = write(stdin_fd, spec.stdin_data.data() + written,
                          spec.stdin_data.size() - written);
        if (w > 0) written += static_cast<size_t>(w);
        if (w < 0 && errno != EAGAIN) written = spec.stdin_data.size();
        if (written >= spec.stdin_data.size()) CloseFd(stdin_fd);
        continue;
      }
      bool is_out = fds[i].fd == stdout_fd;
      ssize_t r = read(fds[i].fd, buf, sizeof(buf));
      if (r <= 0) {
        if (r < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        CloseFd(is_out ? stdout_fd : stderr_fd);
        continue;
      }
      std::string& into = is_out ? result.stdout_data : result.stderr_data;
      size_t room = spec.max_output_bytes > into.size()
                        ? spec.max_output_bytes - into.size()
                        : 0;
      into.append(buf, std::min(room, static_cast<size_t>(r)));
    }
  }
  CloseFd(stdin_fd);
  CloseFd(stdout_fd);
  CloseFd(stderr_fd);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  return result;
}

StatusOr<int> SpawnProcessRunner::SpawnDaemon(const DaemonSpec& spec) {
  if (spec.argv.empty()) return Status::Invalid("no program to run");
  SpawnSetup setup;
  posix_spawnattr_setflags(&setup.attr, POSIX_SPAWN_SETSID |
                                            POSIX_SPAWN_SETSIGMASK |
                                            POSIX_SPAWN_SETSIGDEF);
  posix_spawn_file_actions_addopen(&setup.actions, 0, "/dev/null", O_RDONLY, 0);
  auto redirect = [&](int fd, const std::string& path) {
    posix_spawn_file_actions_addopen(&setup.actions, fd,
                                     path.empty() ? "/dev/null" : path.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0640);
  };
  redirect(1, spec.stdout_path);
  redirect(2, spec.stderr_path);
  if (!spec.working_dir.empty()) {
    posix_spawn_file_actions_addchdir_np(&setup.actions,
                                         spec.working_dir.c_str());
  }
  SpawnArgs args(spec.argv, spec.env, spec.inherit_env);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, spec.argv[0].c_str(), &setup.actions, &setup.attr,
                        args.argv(), args.envp());
  if (rc != 0) return SpawnFailure(spec.argv[0], rc);
  {
    std::lock_guard<std::mutex> lock(mu_);
    daemons_.insert(pid);
    if (!reaper_.joinable()) reaper_ = std::thread([this] { Reap(); });
  }
  cv_.notify_all();
  return static_cast<int>(pid);
}

void SpawnProcessRunner::Reap() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    for (auto it = daemons_.begin(); it != daemons_.end();) {
      int status = 0;
      pid_t r = waitpid(*it, &status, WNOHANG);
      if (r == *it || (r < 0 && errno == ECHILD)) {
        it = daemons_.erase(it);
      } else {
        ++it;
      }
    }
    cv_.wait_for(lock, std::chrono::milliseconds(500));
  }
}

}  // namespace berth
