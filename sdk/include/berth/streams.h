// Streams: the byte streams of one interactive session the API server
// carries between kubectl and a pod — exec and attach (stdin, stdout,
// stderr, terminal resizes) and port-forward (one duplex stream per
// forwarded connection). The kernel speaks the wire protocols (WebSocket
// v5.channel.k8s.io and v4, SPDY/3.1, SPDY over WebSocket) and hands plugins
// these protocol-free interfaces; a runtime implements exec and
// port-forward against them.
//
// Thread safety: one thread may read while another writes. Writes from two
// threads are serialized by the implementation. Every method may block; a
// false or empty return means the peer went away or the session ended, and
// the caller should stop.
#ifndef BERTH_SDK_STREAMS_H_
#define BERTH_SDK_STREAMS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace berth {

// The streams of an exec or attach session. Which streams exist is decided
// by the request (stdin=true, stdout=true, stderr=true, tty=true); writing
// to a stream that was not requested is a no-op that returns true.
class ExecStreams {
 public:
  virtual ~ExecStreams() = default;
  virtual bool has_stdin() const = 0;
  virtual bool has_stdout() const = 0;
  virtual bool has_stderr() const = 0;
  // With tty, stderr is merged into stdout by the terminal; has_stderr() is
  // false then.
  virtual bool tty() const = 0;
  // Blocks until stdin data arrives and appends it to `data`. Returns false
  // at end of input: the client closed stdin or went away.
  virtual bool ReadStdin(std::string& data) = 0;
  // Ends stdin from the pod's side: a ReadStdin blocked now, or called
  // later, returns false. A runtime calls it when the command exited, then
  // joins the thread reading stdin before it returns: the streams are only
  // valid until ServeExec returns, so no thread may still be in ReadStdin
  // by then. Implementations whose ReadStdin never blocks may ignore it.
  virtual void CloseStdin() {}
  virtual bool WriteStdout(std::string_view data) = 0;
  virtual bool WriteStderr(std::string_view data) = 0;
  // Sets the function called (on the reading thread) with each terminal size
  // the client sends, columns then rows. Set it before the first ReadStdin.
  virtual void OnResize(std::function<void(uint16_t, uint16_t)> fn) = 0;
};

// One forwarded connection of a port-forward session: kubectl accepted a
// local TCP connection and asks for `port` in the pod.
class PortForwardStream {
 public:
  virtual ~PortForwardStream() = default;
  virtual int port() const = 0;
  // Blocks until data from the client arrives and appends it to `data`.
  // Returns false when the client closed its side.
  virtual bool Read(std::string& data) = 0;
  virtual bool Write(std::string_view data) = 0;
  // Reports a failure for this connection to kubectl ("error forwarding
  // port 8080 to pod ...: connection refused"); kubectl prints it.
  virtual void WriteError(std::string_view message) = 0;
  // Ends the pod side of this connection (sends end-of-stream).
  virtual void Close() = 0;
};

// A port-forward session: a series of connections.
class PortForwardSession {
 public:
  virtual ~PortForwardSession() = default;
  // Blocks until kubectl opens the next forwarded connection. nullptr when
  // the session ended. The session may still be read by the caller after it
  // returned the stream; each stream is usually served on its own thread.
  virtual std::unique_ptr<PortForwardStream> Accept() = 0;
};

// A plain streamed response body, as `kubectl logs -f` reads it.
class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  // Sends `data` to the client at once (no buffering beyond the socket).
  // Returns false when the client went away.
  virtual bool Write(std::string_view data) = 0;
  // True once the client closed the connection; a follower polls it while
  // it has nothing to write.
  virtual bool ClientGone() = 0;
};

}  // namespace berth

#endif  // BERTH_SDK_STREAMS_H_
