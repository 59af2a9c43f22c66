// Pty: pseudo-terminal plumbing shared by tty exec sessions and tty
// containers — allocating a pty pair, receiving a pty master an OCI runtime
// sends over a console socket (SCM_RIGHTS), and listening on such a socket.
//
// Thread safety: free functions; safe from any thread.
#ifndef BERTH_PLUGINS_RUNTIME_COMMON_PTY_H_
#define BERTH_PLUGINS_RUNTIME_COMMON_PTY_H_

#include <string>

#include "berth/status.h"

namespace berth::runtime {

struct PtyPair {
  int master = -1;
  int slave = -1;
};

// A new pty; both ends close-on-exec. Internal on failure.
StatusOr<PtyPair> OpenPty();
// A unix socket listening at `path` (replacing a stale one).
StatusOr<int> ListenUnix(const std::string& path);
// Accepts one connection on `listen_fd` within `timeout_ms` and returns
// the descriptor sent on it with SCM_RIGHTS; -1 on failure or timeout.
int AcceptFd(int listen_fd, int timeout_ms);
// The descriptor sent with SCM_RIGHTS on a connected socket, or -1.
int ReceiveFd(int sock);
// Sets the window size of the terminal `fd`.
void SetWindowSize(int fd, uint16_t cols, uint16_t rows);

}  // namespace berth::runtime

#endif  // BERTH_PLUGINS_RUNTIME_COMMON_PTY_H_
