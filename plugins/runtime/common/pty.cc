#include "pty.h"

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace berth::runtime {

StatusOr<PtyPair> OpenPty() {
  PtyPair p;
  p.master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  char name[128];
  if (p.master < 0 || grantpt(p.master) != 0 || unlockpt(p.master) != 0 ||
      ptsname_r(p.master, name, sizeof(name)) != 0 ||
      (p.slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
    std::string why = strerror(errno);
    if (p.master >= 0) close(p.master);
    return Status::Internal("cannot allocate a terminal: " + why);
  }
  return p;
}

StatusOr<int> ListenUnix(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof(addr.sun_path)) {
    return Status::Internal("socket path too long: " + path);
  }
  memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  unlink(path.c_str());
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 ||
      bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(fd, 4) != 0) {
    std::string why = strerror(errno);
    if (fd >= 0) close(fd);
    return Status::Internal("cannot listen on " + path + ": " + why);
  }
  return fd;
}

int ReceiveFd(int sock) {
  char data[256];
  iovec iov{data, sizeof(data)};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof(control);
  if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) <= 0) return -1;
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
      int fd;
      memcpy(&fd, CMSG_DATA(c), sizeof(int));
      return fd;
    }
  }
  return -1;
}

int AcceptFd(int listen_fd, int timeout_ms) {
  pollfd p{listen_fd, POLLIN, 0};
  if (poll(&p, 1, timeout_ms) <= 0) return -1;
  int conn = accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
  if (conn < 0) return -1;
  int fd = ReceiveFd(conn);
  close(conn);
  return fd;
}

void SetWindowSize(int fd, uint16_t cols, uint16_t rows) {
  winsize ws{};
  ws.ws_col = cols;
  ws.ws_row = rows;
  ioctl(fd, TIOCSWINSZ, &ws);
}

}  // namespace berth::runtime
