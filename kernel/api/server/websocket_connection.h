// WebSocketConnection: the server end of an RFC 6455 connection over an
// upgraded DuplexConnection — whole messages in (fragments joined, pings
// answered, a close echoed) and binary messages out, plus the 101 reply
// that completes the handshake. WebSocketByteTransport views the binary
// messages as one byte stream (SPDY tunnelled in WebSocket).
//
// Thread safety: one reader; writes from any thread are serialized.
#ifndef BERTH_KERNEL_API_SERVER_WEBSOCKET_CONNECTION_H_
#define BERTH_KERNEL_API_SERVER_WEBSOCKET_CONNECTION_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "kernel/api/server/byte_transport.h"
#include "kernel/api/server/duplex_connection.h"

namespace berth::api {

// The 101 reply accepting a client's Sec-WebSocket-Key with `protocol`.
std::string WebSocketUpgradeReply(std::string_view key,
                                  std::string_view protocol);

class WebSocketConnection {
 public:
  // `conn` must outlive this object.
  explicit WebSocketConnection(DuplexConnection* conn) : conn_(conn) {}

  // Blocks for the next text or binary message and stores its payload.
  // False when the connection ended: the client's close (answered), end
  // of input, or a protocol error (answered with close 1002).
  bool ReadMessage(std::string* message);
  bool WriteBinary(std::string_view data);
  // Sends a close frame with `code` once; later calls do nothing.
  void Close(uint16_t code);
  bool close_received() const { return close_received_; }

 private:
  bool WriteFrame(uint8_t opcode, std::string_view payload);

  DuplexConnection* conn_;
  std::string in_;  // bytes not yet parsed
  std::atomic<bool> close_sent_{false};
  std::atomic<bool> close_received_{false};
};

class WebSocketByteTransport : public ByteTransport {
 public:
  // `ws` and `conn` (its connection) must outlive this object.
  WebSocketByteTransport(WebSocketConnection* ws, DuplexConnection* conn)
      : ws_(ws), conn_(conn) {}
  bool Read(std::string* out) override;
  bool Write(std::string_view data) override { return ws_->WriteBinary(data); }
  void Shutdown() override { conn_->Shutdown(); }

 private:
  WebSocketConnection* ws_;
  DuplexConnection* conn_;
};

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_WEBSOCKET_CONNECTION_H_
