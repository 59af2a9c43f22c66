// WebSocketExecStreams: an exec or attach session's streams carried in the
// channels of a WebSocket (v5.channel.k8s.io or v4.channel.k8s.io): each
// binary message is [channel byte][payload]. Channel 0 is stdin, 1 stdout,
// 2 stderr, 3 the final status, 4 terminal resizes; v5 adds [255, n] to
// close channel n (stdin EOF). With a tty nothing is written on channel 2.
//
// Thread safety: as ExecStreams; Start and Finish from the serving thread.
#ifndef BERTH_KERNEL_API_SERVER_WEBSOCKET_EXEC_STREAMS_H_
#define BERTH_KERNEL_API_SERVER_WEBSOCKET_EXEC_STREAMS_H_

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "berth/streams.h"
#include "kernel/api/server/duplex_connection.h"
#include "kernel/api/server/websocket_connection.h"

namespace berth::api {

struct ExecFlags {
  bool in = false;
  bool out = false;
  bool err = false;
  bool tty = false;
};

class WebSocketExecStreams : public ExecStreams {
 public:
  // `ws` and `conn` must outlive this object.
  WebSocketExecStreams(WebSocketConnection* ws, DuplexConnection* conn, bool v5,
                       ExecFlags flags);
  ~WebSocketExecStreams() override;

  // Starts reading the client's messages.
  void Start();
  // Sends `status_json` on the status channel and closes the WebSocket
  // (1000), waits briefly for the client's close, and stops reading.
  void Finish(const std::string& status_json);

  bool has_stdin() const override { return flags_.in; }
  bool has_stdout() const override { return flags_.out; }
  bool has_stderr() const override { return flags_.err && !flags_.tty; }
  bool tty() const override { return flags_.tty; }
  bool ReadStdin(std::string& data) override;
  bool WriteStdout(std::string_view data) override;
  bool WriteStderr(std::string_view data) override;
  void OnResize(std::function<void(uint16_t, uint16_t)> fn) override;

 private:
  void ReadLoop();
  bool WriteChannel(uint8_t channel, std::string_view data);

  WebSocketConnection* ws_;
  DuplexConnection* conn_;
  const bool v5_;
  const ExecFlags flags_;
  std::thread reader_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::string stdin_;
  bool stdin_closed_ = false;
  bool reader_done_ = false;
  std::function<void(uint16_t, uint16_t)> resize_;
};

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_WEBSOCKET_EXEC_STREAMS_H_
