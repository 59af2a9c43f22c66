// SpdySession: the server end of a SPDY/3.1 session over a ByteTransport,
// as kubectl's client (Go spdystream) drives it for exec and port-forward:
// the client opens every stream (SYN_STREAM with its headers) and the
// server replies to each at once; both sides send DATA and half-close with
// FIN; PINGs are echoed; GOAWAY or the end of the transport ends the
// session. Flow control: the server sends WINDOW_UPDATE (for the stream
// and, as 3.1 adds, for the session) as the plugin consumes data. It sends
// without waiting for windows, because spdystream never sends
// WINDOW_UPDATE (it ignores the frame type altogether).
//
// Thread safety: one reader thread (Start) owns the inbound side; streams
// may be read and written from any threads; writes are serialized (header
// compression must follow the wire order).
#ifndef BERTH_KERNEL_API_SERVER_SPDY_SESSION_H_
#define BERTH_KERNEL_API_SERVER_SPDY_SESSION_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "kernel/api/server/byte_transport.h"
#include "kernel/api/streams/spdy_header_block.h"

namespace berth::api {

class SpdySession;

class SpdyStream {
 public:
  SpdyStream(std::shared_ptr<SpdySession> session, uint32_t id,
             streams::SpdyHeaders headers)
      : session_(std::move(session)), id_(id), headers_(std::move(headers)) {}

  uint32_t id() const { return id_; }
  // The value of a request header (names are lowercase), or "".
  std::string Header(const std::string& name) const;

  // Blocks until data arrives and appends it to `out`. False once the
  // client half-closed (FIN) or reset the stream, or the session ended.
  bool Read(std::string* out);
  // Sends `data` in DATA frames. False when the stream was reset, closed
  // for writing, or the session ended.
  bool Write(std::string_view data);
  // Half-closes the server side (an empty DATA frame with FIN); once.
  void CloseWrite();

 private:
  friend class SpdySession;
  void Deliver(std::string_view data, bool fin);
  void RemoteClosed(bool reset);

  std::shared_ptr<SpdySession> session_;
  const uint32_t id_;
  const streams::SpdyHeaders headers_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::string pending_;
  bool remote_closed_ = false;
  bool reset_ = false;
  bool local_closed_ = false;
};

class SpdySession : public std::enable_shared_from_this<SpdySession> {
 public:
  // `transport` must stay valid until End returned; the owner calls End
  // before it lets the session go (streams may still hold it).
  explicit SpdySession(ByteTransport* transport) : transport_(transport) {}
  ~SpdySession();

  // Starts the reader thread.
  void Start();
  // Blocks until the client opens a stream (already replied to), or up to
  // `timeout`. nullptr on timeout or once the session ended.
  std::shared_ptr<SpdyStream> Accept(std::chrono::milliseconds timeout);
  bool ended();
  // Blocks until the client ended the session (closed the connection or
  // sent GOAWAY), or up to `timeout`; true when it did.
  bool WaitEnded(std::chrono::milliseconds timeout);
  // Sends GOAWAY, stops the transport and joins the reader. Streams still
  // held elsewhere see their reads and writes fail afterwards. Idempotent.
  void End();

 private:
  friend class SpdyStream;
  void ReadLoop();
  // Writes a frame unless the session ended.
  bool Send(const std::string& frame);
  bool SendWithHeaders(uint16_t type, uint32_t stream_id,
                       const streams::SpdyHeaders& headers);
  void Consumed(uint32_t stream_id, size_t n);

  ByteTransport* transport_;
  std::thread reader_;
  std::atomic<bool> end_called_{false};

  std::mutex write_mu_;  // the transport's writes and the compressor
  bool write_ended_ = false;
  streams::SpdyHeaderCompressor compressor_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool read_ended_ = false;
  std::map<uint32_t, std::shared_ptr<SpdyStream>> streams_;
  std::deque<std::shared_ptr<SpdyStream>> accepted_;
  uint32_t last_stream_id_ = 0;
};

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_SPDY_SESSION_H_
