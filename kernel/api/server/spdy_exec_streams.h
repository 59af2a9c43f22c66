// SpdyExecStreams: an exec or attach session's streams over SPDY/3.1
// (v4.channel.k8s.io), as older kubectl and KUBECTL_REMOTE_COMMAND_
// WEBSOCKETS=false use them: the client opens one SPDY stream per
// requested stream, named by its streamtype header (error, stdin, stdout,
// stderr, resize); the final status (metav1.Status JSON) is written on the
// error stream; stdin EOF is the client's FIN on the stdin stream; resizes
// arrive as JSON objects on the resize stream.
//
// Thread safety: as ExecStreams; Await and Finish from the serving thread.
#ifndef BERTH_KERNEL_API_SERVER_SPDY_EXEC_STREAMS_H_
#define BERTH_KERNEL_API_SERVER_SPDY_EXEC_STREAMS_H_

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "berth/status.h"
#include "berth/streams.h"
#include "kernel/api/server/spdy_session.h"
#include "kernel/api/server/websocket_exec_streams.h"

namespace berth::api {

class SpdyExecStreams : public ExecStreams {
 public:
  SpdyExecStreams(std::shared_ptr<SpdySession> session, ExecFlags flags)
      : session_(std::move(session)), flags_(flags) {}
  ~SpdyExecStreams() override;

  // Waits for the streams the request asked for, as kubelet does. BadRequest
  // when they do not all arrive in time (or the session ends first).
  Status Await();
  // Writes `status_json` on the error stream and half-closes every stream.
  void Finish(const std::string& status_json);

  bool has_stdin() const override { return stdin_ != nullptr; }
  bool has_stdout() const override { return stdout_ != nullptr; }
  bool has_stderr() const override { return stderr_ != nullptr; }
  bool tty() const override { return flags_.tty; }
  bool ReadStdin(std::string& data) override;
  bool WriteStdout(std::string_view data) override;
  bool WriteStderr(std::string_view data) override;
  void OnResize(std::function<void(uint16_t, uint16_t)> fn) override;

 private:
  void ResizeLoop();

  std::shared_ptr<SpdySession> session_;
  const ExecFlags flags_;
  std::shared_ptr<SpdyStream> error_, stdin_, stdout_, stderr_, resize_;
  std::thread resize_reader_;
  std::mutex mu_;
  std::function<void(uint16_t, uint16_t)> on_resize_;
};

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_SPDY_EXEC_STREAMS_H_
