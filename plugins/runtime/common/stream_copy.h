// StreamCopy: wiring kubectl's session streams to the host — an
// interactive child process for `kubectl exec` (its stdin, stdout and
// stderr over pipes) and a TCP connection inside a sandbox's network
// namespace for `kubectl port-forward`.
//
// Thread safety: each call owns its session; calls are independent.
#ifndef BERTH_PLUGINS_RUNTIME_COMMON_STREAM_COPY_H_
#define BERTH_PLUGINS_RUNTIME_COMMON_STREAM_COPY_H_

#include <string>
#include <vector>

#include "berth/status.h"
#include "berth/streams.h"

namespace berth::runtime {

// Starts `argv` with pipes for its stdio, copies `streams` to and from them
// until it exits and its output is drained, and returns its exit code
// (128+signal when killed). Without stdin the child reads /dev/null; with a
// tty the child's stderr goes to stdout (no pty is allocated). NotFound when
// argv[0] cannot be started.
StatusOr<int> RunWithStreams(const std::vector<std::string>& argv,
                             ExecStreams& streams);

// Like RunWithStreams for a tty session: the command's terminal is copied
// to stdout, stdin is typed into it and resizes set its window size. With
// `console_socket` the command (`runc exec --tty --console-socket`) makes
// the pty and sends its master to a socket we listen on at that path;
// otherwise we make the pty and give the command its slave as stdio.
StatusOr<int> RunWithTerminal(const std::vector<std::string>& argv,
                              const std::string& console_socket,
                              ExecStreams& streams);

// Connects to a shim's attach socket at `socket_path` and copies frames
// (attach_frames.h) to and from `streams` until the container exits or the
// client leaves. Unavailable when the shim does not answer.
Status AttachToShim(const std::string& socket_path, ExecStreams& streams);

// Connects to 127.0.0.1:stream.port() inside the network namespace at
// `netns_path` (empty: the host's) and copies bytes both ways until either
// side closes. A refused connection is reported to the client through
// WriteError and returned as Unavailable.
Status ForwardPort(const std::string& netns_path, PortForwardStream& stream);

}  // namespace berth::runtime

#endif  // BERTH_PLUGINS_RUNTIME_COMMON_STREAM_COPY_H_
