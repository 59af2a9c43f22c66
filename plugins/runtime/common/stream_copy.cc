#include "stream_copy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>

#include "attach_frames.h"
#include "netns.h"
#include "pty.h"

extern char** environ;

namespace berth::runtime {
namespace {

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

StatusOr<int> RunWithStreams(const std::vector<std::string>& argv,
                             ExecStreams& streams) {
  if (argv.empty()) return Status::Invalid("no command to run");
  int in[2] = {-1, -1}, out[2], err[2];
  if ((streams.has_stdin() && pipe2(in, O_CLOEXEC) != 0) ||
      pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
    return Status::Internal(std::string("pipe: ") + strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (streams.has_stdin()) {
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  } else {
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  }
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, streams.tty() ? out[1] : err[1],
                                   2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, args[0], &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (in[0] >= 0) close(in[0]);
  close(out[1]);
  close(err[1]);
  if (rc != 0) {
    if (in[1] >= 0) close(in[1]);
    close(out[0]);
    close(err[0]);
    return Status::NotFound("cannot run " + argv[0] + ": " + strerror(rc));
  }

  // stdin runs on its own thread: ReadStdin blocks until the client sends.
  // The pump owns the pipe's write end; it closes it at end of input.
  std::thread stdin_pump;
  auto done = std::make_shared<std::atomic<bool>>(false);
  if (streams.has_stdin()) {
    int fd = in[1];
    stdin_pump = std::thread([&streams, fd, done] {
      std::string data;
      while (!done->load() && streams.ReadStdin(data)) {
        if (!WriteAll(fd, data)) break;
        data.clear();
      }
      close(fd);
    });
  }
  bool out_open = true, err_open = true;
  char buf[16384];
  while (out_open || err_open) {
    pollfd fds[2] = {{out_open ? out[0] : -1, POLLIN, 0},
                     {err_open ? err[0] : -1, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) {
        continue;
      }
      ssize_t n = read(fds[i].fd, buf, sizeof(buf));
      if (n > 0) {
        std::string_view chunk(buf, static_cast<size_t>(n));
        if (i == 0) {
          streams.WriteStdout(chunk);
        } else {
          streams.WriteStderr(chunk);
        }
      } else if (n == 0 || errno != EINTR) {
        (i == 0 ? out_open : err_open) = false;
      }
    }
  }
  close(out[0]);
  close(err[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  done->store(true);
  if (stdin_pump.joinable()) {
    // The client usually ends stdin when the command ends (kubectl does on
    // the exit status); a reader still blocked then is ended by the session
    // closing, which happens only after we return — so do not wait on it.
    stdin_pump.detach();
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 255;
}

namespace {

int WaitStatusToCode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 255;
}

}  // namespace

StatusOr<int> RunWithTerminal(const std::vector<std::string>& argv,
                              const std::string& console_socket,
                              ExecStreams& streams) {
  if (argv.empty()) return Status::Invalid("no command to run");
  int master = -1, slave = -1, listen_fd = -1;
  if (console_socket.empty()) {
    auto pty = OpenPty();
    if (!pty.ok()) return pty.status();
    master = pty->master;
    slave = pty->slave;
  } else {
    auto fd = ListenUnix(console_socket);
    if (!fd.ok()) return fd.status();
    listen_fd = *fd;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  for (int fd = 0; fd <= 2; ++fd) {
    if (slave >= 0) {
      posix_spawn_file_actions_adddup2(&actions, slave, fd);
    } else {
      posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", O_RDWR, 0);
    }
  }
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, args[0], &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (slave >= 0) close(slave);
  if (rc != 0) {
    if (master >= 0) close(master);
    if (listen_fd >= 0) {
      close(listen_fd);
      unlink(console_socket.c_str());
    }
    return Status::NotFound("cannot run " + argv[0] + ": " + strerror(rc));
  }
  int status = 0;
  bool reaped = false;
  if (listen_fd >= 0) {
    // Wait for the runtime to send the pty master, or to fail.
    while (master < 0 && !reaped) {
      pollfd p{listen_fd, POLLIN, 0};
      if (poll(&p, 1, 100) > 0) {
        int conn = accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
        if (conn >= 0) {
          master = ReceiveFd(conn);
          close(conn);
        }
      } else if (waitpid(pid, &status, WNOHANG) == pid) {
        reaped = true;
      }
    }
    close(listen_fd);
    unlink(console_socket.c_str());
    if (master < 0) {
      if (!reaped) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
      }
      return WaitStatusToCode(status);
    }
  }
  // The resize callback may outlive this call (see the stdin pump below);
  // it only touches the terminal while the session holds it.
  auto term = std::make_shared<std::atomic<int>>(master);
  bool own_pty = console_socket.empty();
  streams.OnResize([term, own_pty, pid](uint16_t cols, uint16_t rows) {
    int fd = term->load();
    if (fd < 0) return;
    SetWindowSize(fd, cols, rows);
    // A command copying between our pty and one of its own (runc) reads the
    // new size on SIGWINCH; our pty is not its controlling terminal, so the
    // kernel does not tell it.
    if (own_pty) kill(pid, SIGWINCH);
  });
  std::thread stdin_pump;
  auto done = std::make_shared<std::atomic<bool>>(false);
  if (streams.has_stdin()) {
    int in = dup(master);
    stdin_pump = std::thread([&streams, in, done] {
      std::string data;
      while (!done->load() && streams.ReadStdin(data)) {
        if (!WriteAll(in, data)) break;
        data.clear();
      }
      close(in);
    });
  }
  char buf[16384];
  while (true) {
    ssize_t n = read(master, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EIO once every holder of the slave is gone
    if (!streams.WriteStdout(std::string_view(buf, static_cast<size_t>(n)))) {
      break;
    }
  }
  if (!reaped) {
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  term->store(-1);
  close(master);
  done->store(true);
  if (stdin_pump.joinable()) stdin_pump.detach();
  return WaitStatusToCode(status);
}

Status AttachToShim(const std::string& socket_path, ExecStreams& streams) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socket_path.size() >= sizeof(addr.sun_path)) {
    return Status::Internal("attach socket path too long: " + socket_path);
  }
  memcpy(addr.sun_path, socket_path.c_str(), socket_path.size() + 1);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 ||
      connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    std::string why = strerror(errno);
    if (fd >= 0) close(fd);
    return Status::Unavailable("cannot attach through " + socket_path + ": " +
                               why);
  }
  // The socket is shared with the stdin pump; it is closed only when both
  // are done with it.
  auto sock = std::shared_ptr<int>(new int(fd), [](int* p) {
    close(*p);
    delete p;
  });
  std::thread stdin_pump;
  auto done = std::make_shared<std::atomic<bool>>(false);
  // Frames come from the stdin pump and the resize callback.
  auto write_mu = std::make_shared<std::mutex>();
  auto send = [sock, write_mu](FrameType type, std::string_view data) {
    std::lock_guard<std::mutex> lock(*write_mu);
    return WriteFrame(*sock, type, data);
  };
  if (streams.tty()) {
    streams.OnResize([send, done](uint16_t cols, uint16_t rows) {
      if (done->load()) return;
      char size[4] = {char(cols >> 8), char(cols), char(rows >> 8), char(rows)};
      send(FrameType::kResize, std::string_view(size, 4));
    });
  }
  if (streams.has_stdin()) {
    stdin_pump = std::thread([&streams, send, done] {
      std::string data;
      while (!done->load() && streams.ReadStdin(data)) {
        if (!send(FrameType::kStdin, data)) return;
        data.clear();
      }
      if (!done->load()) send(FrameType::kCloseStdin, "");
    });
  }
  FrameType type;
  std::string payload;
  while (ReadFrame(*sock, type, payload)) {
    bool ok = true;
    if (type == FrameType::kStdout) ok = streams.WriteStdout(payload);
    if (type == FrameType::kStderr) {
      ok = streams.tty() ? streams.WriteStdout(payload)
                         : streams.WriteStderr(payload);
    }
    if (!ok) break;
  }
  done->store(true);
  shutdown(*sock, SHUT_RDWR);
  // As in RunWithStreams: a reader blocked in ReadStdin ends with the
  // session, after we return.
  if (stdin_pump.joinable()) stdin_pump.detach();
  return Status::Ok();
}

Status ForwardPort(const std::string& netns_path, PortForwardStream& stream) {
  int fd = -1;
  int connect_errno = 0;
  auto dial = [&] {
    fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      connect_errno = errno;
      return;
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(stream.port()));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      connect_errno = errno;
      close(fd);
      fd = -1;
    }
  };
  if (netns_path.empty()) {
    dial();
  } else {
    // The socket belongs to the namespace it was made in, whichever thread
    // uses it afterwards.
    Status s = RunInNetns(netns_path, dial);
    if (!s.ok()) return s;
  }
  if (fd < 0) {
    std::string msg =
        "failed to connect to localhost:" + std::to_string(stream.port()) +
        " inside namespace: " + strerror(connect_errno);
    stream.WriteError(msg);
    stream.Close();
    return Status::Unavailable(msg);
  }
  std::thread upstream([&stream, fd] {
    std::string data;
    while (stream.Read(data)) {
      if (!WriteAll(fd, data)) break;
      data.clear();
    }
    shutdown(fd, SHUT_WR);
  });
  char buf[16384];
  while (true) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (!stream.Write(std::string_view(buf, static_cast<size_t>(n)))) break;
  }
  stream.Close();
  upstream.join();
  close(fd);
  return Status::Ok();
}

}  // namespace berth::runtime
