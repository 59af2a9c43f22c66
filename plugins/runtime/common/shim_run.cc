// berth-shim run: starts one container and watches it until it exits.
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "attach_frames.h"
#include "cgroups.h"
#include "cri_log_writer.h"
#include "files.h"
#include "pty.h"
#include "shim.h"

namespace berth::runtime {
namespace {

std::vector<char*> CStrings(const std::vector<std::string>& v) {
  std::vector<char*> out;
  for (const auto& s : v) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

// In a forked child: default signal dispositions and an empty mask, so the
// program we exec sees what a fresh process sees.
void ResetSignalsInChild() {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig = 1; sig < NSIG; ++sig) signal(sig, SIG_DFL);
}

[[noreturn]] void Die(const std::string& what) {
  std::string msg = "berth-shim: " + what + ": " + strerror(errno) + "\n";
  (void)!write(2, msg.data(), msg.size());
  _exit(127);
}

void WireStdio(int in, int out, int err) {
  if (in < 0) in = open("/dev/null", O_RDONLY);
  if (in >= 0) dup2(in, 0);
  dup2(out, 1);
  dup2(err, 2);
}

// Makes `path` exist as a mount point: a directory, or an empty file when
// `like` (the bind source) is a file.
void MakeMountPoint(const std::string& path, const std::string& like) {
  std::error_code ec;
  struct stat st;
  if (!like.empty() && stat(like.c_str(), &st) == 0 && !S_ISDIR(st.st_mode)) {
    std::filesystem::create_directories(
        std::filesystem::path(path).parent_path(), ec);
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0) close(fd);
    return;
  }
  std::filesystem::create_directories(path, ec);
}

void JoinNs(const std::string& path, int type, const char* what) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || setns(fd, type) != 0) Die(std::string("join ") + what);
  close(fd);
}

// The child of process mode: becomes the container, then execs its command.
[[noreturn]] void StartProcessContainer(const ShimSpec& spec, int in, int out,
                                        int err) {
  ResetSignalsInChild();
  WireStdio(in, out, err);
  if (spec.tty) {
    // The terminal becomes the container's controlling terminal.
    setsid();
    ioctl(0, TIOCSCTTY, 0);
  }
  if (!spec.cgroup.empty()) {
    // "0" is the writer itself (getpid() is 1 in the new pid namespace).
    for (const auto& dir : Cgroups::Detect().Dirs(spec.cgroup)) {
      int fd = open((dir + "/cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC);
      if (fd < 0 || write(fd, "0", 1) != 1) Die("join cgroup " + dir);
      close(fd);
    }
  }
  if (!spec.netns.empty()) JoinNs(spec.netns, CLONE_NEWNET, "netns");
  if (!spec.ipc_ns.empty()) {
    JoinNs(spec.ipc_ns, CLONE_NEWIPC, "ipc namespace");
  } else if (unshare(CLONE_NEWIPC) != 0) {
    Die("unshare ipc");
  }
  if (!spec.uts_ns.empty()) {
    JoinNs(spec.uts_ns, CLONE_NEWUTS, "uts namespace");
  } else if (unshare(CLONE_NEWUTS) != 0) {
    Die("unshare uts");
  }
  if (unshare(CLONE_NEWNS) != 0) Die("unshare mount");
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    Die("make / private");
  }
  // Our own /proc, showing only the container's pid namespace.
  if (!spec.host_pid && mount("proc", "/proc", "proc",
                              MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0) {
    Die("mount /proc");
  }
  for (const auto& m : spec.mounts) {
    MakeMountPoint(m.destination, m.tmpfs ? "" : m.source);
    if (m.tmpfs) {
      std::string opts = m.tmpfs_size_bytes
                             ? "size=" + std::to_string(m.tmpfs_size_bytes)
                             : "";
      if (mount("tmpfs", m.destination.c_str(), "tmpfs", MS_NOSUID | MS_NODEV,
                opts.empty() ? nullptr : opts.c_str()) != 0) {
        Die("mount tmpfs on " + m.destination);
      }
    } else if (mount(m.source.c_str(), m.destination.c_str(), nullptr,
                     MS_BIND | MS_REC, nullptr) != 0) {
      Die("bind " + m.source + " on " + m.destination);
    }
    if (m.read_only && mount(nullptr, m.destination.c_str(), nullptr,
                             MS_BIND | MS_REMOUNT | MS_RDONLY, nullptr) != 0) {
      Die("remount " + m.destination + " read-only");
    }
  }
  if (!spec.working_dir.empty() && chdir(spec.working_dir.c_str()) != 0) {
    Die("chdir " + spec.working_dir);
  }
  if (spec.gid) {
    gid_t g = static_cast<gid_t>(*spec.gid);
    if (setgroups(1, &g) != 0 || setgid(g) != 0) Die("setgid");
  }
  if (spec.uid && setuid(static_cast<uid_t>(*spec.uid)) != 0) Die("setuid");
  std::vector<std::string> env = spec.env;
  if (env.empty()) {
    env.push_back(
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  }
  auto argv = CStrings(spec.argv);
  auto envp = CStrings(env);
  execvpe(argv[0], argv.data(), envp.data());
  Die("exec " + spec.argv[0]);
}

// Runs `argv` to completion with the given stdio; returns its wait status.
int RunToCompletion(const std::vector<std::string>& argv, int in, int out,
                    int err, bool hide_unified) {
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    ResetSignalsInChild();
    WireStdio(in, out, err);
    if (hide_unified) {
      // crun refuses hybrid cgroups; hide cgroup2 from it only.
      if (unshare(CLONE_NEWNS) != 0) Die("unshare mount");
      if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
        Die("make / private");
      }
      umount2("/sys/fs/cgroup/unified", MNT_DETACH);
    }
    auto args = CStrings(argv);
    execvp(args[0], args.data());
    Die("exec " + argv[0]);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

int ExitCodeOf(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 255;
}

std::string DrainNonBlocking(int fd) {
  std::string data;
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof(buf))) > 0) data.append(buf, n);
  return data;
}

// The attach socket: clients get the container's output as it is logged
// and feed its stdin (attach_frames.h).
class AttachServer {
 public:
  AttachServer(const std::string& path, int stdin_fd, bool stdin_once)
      : path_(path), stdin_fd_(stdin_fd), stdin_once_(stdin_once) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof(addr.sun_path)) {
      fprintf(stderr, "berth-shim: attach socket path too long: %s\n",
              path.c_str());
      return;
    }
    memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    unlink(path.c_str());
    listen_fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listen_fd_ < 0 ||
        bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) !=
            0 ||
        listen(listen_fd_, 16) != 0) {
      fprintf(stderr, "berth-shim: attach socket %s: %s\n", path.c_str(),
              strerror(errno));
      if (listen_fd_ >= 0) close(listen_fd_);
      listen_fd_ = -1;
    }
  }
  ~AttachServer() {
    for (auto& c : clients_) close(c.fd);
    if (listen_fd_ >= 0) {
      close(listen_fd_);
      unlink(path_.c_str());
    }
    CloseStdin();
  }

  // Adds the listening socket and the clients after the first three fds.
  void AddPollFds(std::vector<pollfd>& fds) const {
    fds.push_back({listen_fd_, POLLIN, 0});
    for (const auto& c : clients_) fds.push_back({c.fd, POLLIN, 0});
  }

  // Handles what poll reported for the fds AddPollFds added.
  void Serve(const std::vector<pollfd>& fds) {
    size_t base = 3;
    if (base >= fds.size()) return;
    bool accept_one = fds[base].fd >= 0 && (fds[base].revents & POLLIN);
    std::vector<int> gone;
    for (size_t i = base + 1; i < fds.size(); ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      Client* c = Find(fds[i].fd);
      if (!c) continue;
      char buf[16384];
      ssize_t r = read(c->fd, buf, sizeof(buf));
      if (r <= 0) {
        gone.push_back(c->fd);
        continue;
      }
      c->buffer.append(buf, static_cast<size_t>(r));
      PopFrames(c->buffer, [&](FrameType type, std::string_view payload) {
        if (type == FrameType::kStdin && stdin_fd_ >= 0) {
          size_t off = 0;
          while (off < payload.size()) {
            ssize_t w =
                write(stdin_fd_, payload.data() + off, payload.size() - off);
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) break;
            off += static_cast<size_t>(w);
          }
        } else if (type == FrameType::kCloseStdin) {
          CloseStdin();
        } else if (type == FrameType::kResize && terminal_fd_ >= 0 &&
                   payload.size() == 4) {
          auto byte = [&](size_t i) { return uint8_t(payload[i]); };
          SetWindowSize(terminal_fd_, uint16_t(byte(0) << 8 | byte(1)),
                        uint16_t(byte(2) << 8 | byte(3)));
        }
      });
    }
    for (int fd : gone) Drop(fd);
    if (accept_one) {
      int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd >= 0) clients_.push_back({fd, ""});
    }
  }

  // The container's terminal: resizes go there, and (with stdin) the
  // clients' input.
  void SetTerminal(int master, bool with_stdin) {
    terminal_fd_ = master;
    if (with_stdin) stdin_fd_ = fcntl(master, F_DUPFD_CLOEXEC, 0);
  }

  void Broadcast(FrameType type, std::string_view data) {
    std::vector<int> gone;
    for (const auto& c : clients_) {
      if (!WriteFrame(c.fd, type, data)) gone.push_back(c.fd);
    }
    for (int fd : gone) Drop(fd);
  }

 private:
  struct Client {
    int fd;
    std::string buffer;
  };
  Client* Find(int fd) {
    for (auto& c : clients_) {
      if (c.fd == fd) return &c;
    }
    return nullptr;
  }
  void Drop(int fd) {
    for (auto it = clients_.begin(); it != clients_.end(); ++it) {
      if (it->fd == fd) {
        close(fd);
        clients_.erase(it);
        break;
      }
    }
    if (stdin_once_) CloseStdin();
  }
  void CloseStdin() {
    if (stdin_fd_ >= 0) close(stdin_fd_);
    stdin_fd_ = -1;
  }

  std::string path_;
  int listen_fd_ = -1;
  int terminal_fd_ = -1;
  int stdin_fd_;
  bool stdin_once_;
  std::vector<Client> clients_;
};

}  // namespace

int RunShim(const ShimSpec& spec) {
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  signal(SIGPIPE, SIG_IGN);
  sigset_t mask;
  sigemptyset(&mask);
  for (int sig : {SIGCHLD, SIGUSR1, SIGTERM, SIGINT, SIGHUP}) {
    sigaddset(&mask, sig);
  }
  sigprocmask(SIG_BLOCK, &mask, nullptr);
  int sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);

  const std::string dir = spec.dir;
  (void)WriteFileAtomic(dir + "/" + kShimPidFile, std::to_string(getpid()));
  auto finish = [&](int code, const std::string& message, bool oom) {
    ExitRecord r;
    r.exit_code = code;
    r.finished_at = std::chrono::system_clock::now();
    r.oom_killed = oom;
    r.message = message;
    (void)WriteFileAtomic(dir + "/" + kExitFile, ExitRecordToJson(r));
  };

  CriLogWriter log;
  if (Status s = log.Open(spec.log_path); !s.ok()) {
    fprintf(stderr, "berth-shim: %s\n", s.message().c_str());
  }
  int in[2] = {-1, -1}, out[2], err[2];
  if ((spec.stdin_open && !spec.tty && pipe2(in, O_CLOEXEC) != 0) ||
      pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
    finish(128, "cannot create pipes", false);
    return 1;
  }
  AttachServer attach(dir + "/" + kAttachSocket, in[1], spec.stdin_once);
  // A tty container writes to one terminal instead of the pipes.
  PtyPair pty;
  int console_listen = -1;
  if (spec.tty && spec.create_argv.empty()) {
    auto p = OpenPty();
    if (!p.ok()) {
      finish(128, p.status().message(), false);
      return 1;
    }
    pty = *p;
  } else if (spec.tty) {
    auto fd = ListenUnix(spec.console_socket);
    if (!fd.ok()) {
      finish(128, fd.status().message(), false);
      return 1;
    }
    console_listen = *fd;
  }

  pid_t container = -1;
  if (!spec.create_argv.empty()) {
    int status = RunToCompletion(spec.create_argv, in[0], out[1], err[1],
                                 spec.hide_unified_cgroup);
    if (ExitCodeOf(status) != 0) {
      close(out[1]);
      close(err[1]);
      std::string why = DrainNonBlocking(err[0]) + DrainNonBlocking(out[0]);
      log.Write("stderr", why);
      log.Flush();
      finish(128, "create failed: " + why, false);
      return 1;
    }
    auto pid = ReadIntFile(spec.pid_file);
    if (!pid) {
      finish(128, "create wrote no pid file " + spec.pid_file, false);
      return 1;
    }
    container = static_cast<pid_t>(*pid);
  } else {
    // Children from here on start a pid namespace of their own, with the
    // container as its init.
    if (!spec.host_pid && unshare(CLONE_NEWPID) != 0) {
      finish(128, std::string("unshare pid: ") + strerror(errno), false);
      return 1;
    }
    container = fork();
    if (container < 0) {
      finish(128, std::string("fork: ") + strerror(errno), false);
      return 1;
    }
    if (container == 0) {
      if (spec.tty) {
        StartProcessContainer(spec, pty.slave, pty.slave, pty.slave);
      }
      StartProcessContainer(spec, in[0], out[1], err[1]);
    }
  }
  close(out[1]);
  close(err[1]);
  if (in[0] >= 0) close(in[0]);
  int out_read = out[0], err_read = err[0];
  if (spec.tty) {
    if (console_listen >= 0) {
      pty.master = AcceptFd(console_listen, 10000);
      close(console_listen);
      unlink(spec.console_socket.c_str());
      if (pty.master < 0) {
        kill(container, SIGKILL);
        finish(128, "the OCI runtime sent no terminal", false);
        return 1;
      }
    } else {
      close(pty.slave);
    }
    attach.SetTerminal(pty.master, spec.stdin_open);
    close(out[0]);
    close(err[0]);
    out_read = pty.master;
    err_read = -1;
  }
  (void)WriteFileAtomic(dir + "/" + kContainerPidFile,
                        std::to_string(container));

  if (!spec.start_argv.empty()) {
    int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    int status = RunToCompletion(spec.start_argv, -1, null, 2, false);
    close(null);
    if (ExitCodeOf(status) != 0) {
      kill(container, SIGKILL);
      finish(128, "start failed", false);
      return 1;
    }
  }
  (void)WriteFileAtomic(
      dir + "/" + kStartedFile,
      std::to_string(ToUnixNanos(std::chrono::system_clock::now())));

  bool exited = false;
  int exit_status = 0;
  bool out_open = true, err_open = err_read >= 0;
  std::chrono::steady_clock::time_point drain_deadline;
  while (out_open || err_open || !exited) {
    std::vector<pollfd> fds = {{sigfd, POLLIN, 0},
                               {out_open ? out_read : -1, POLLIN, 0},
                               {err_open ? err_read : -1, POLLIN, 0}};
    attach.AddPollFds(fds);
    int timeout = -1;
    if (exited) {
      // Descendants may hold the pipes open; give them a moment, no more.
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                      drain_deadline - std::chrono::steady_clock::now())
                      .count();
      if (left <= 0) break;
      timeout = static_cast<int>(left);
    }
    int n = poll(fds.data(), fds.size(), timeout);
    if (n < 0 && errno != EINTR) break;
    if (n < 0) continue;
    if (fds[0].revents & POLLIN) {
      signalfd_siginfo si;
      while (read(sigfd, &si, sizeof(si)) == sizeof(si)) {
        if (si.ssi_signo == SIGUSR1) (void)log.Reopen();
      }
      int status = 0;
      pid_t pid;
      while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        if (pid == container && !exited) {
          exited = true;
          exit_status = status;
          drain_deadline =
              std::chrono::steady_clock::now() + std::chrono::seconds(2);
        }
      }
    }
    char buf[16384];
    for (int i = 1; i <= 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) {
        continue;
      }
      ssize_t r = read(fds[i].fd, buf, sizeof(buf));
      if (r > 0) {
        std::string_view chunk(buf, static_cast<size_t>(r));
        log.Write(i == 1 ? "stdout" : "stderr", chunk);
        attach.Broadcast(i == 1 ? FrameType::kStdout : FrameType::kStderr,
                         chunk);
      } else if (r == 0 || (errno != EINTR && errno != EAGAIN)) {
        (i == 1 ? out_open : err_open) = false;
      }
    }
    attach.Serve(fds);
  }
  log.Flush();
  bool oom = false;
  if (!spec.memory_cgroup.empty()) {
    oom = Cgroups::Detect().OomKillCount(spec.memory_cgroup) > 0;
  }
  finish(ExitCodeOf(exit_status), "", oom);
  return 0;
}

}  // namespace berth::runtime
