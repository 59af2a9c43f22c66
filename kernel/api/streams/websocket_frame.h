// WebSocket frames (RFC 6455 section 5): encoding the frames a server sends
// (never masked) and parsing the frames a client sends (always masked), plus
// the handshake's Sec-WebSocket-Accept value. Messages, fragmentation and
// control frames are the connection's business (websocket_connection.h).
//
// Thread safety: pure functions.
#ifndef BERTH_KERNEL_API_STREAMS_WEBSOCKET_FRAME_H_
#define BERTH_KERNEL_API_STREAMS_WEBSOCKET_FRAME_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "berth/status.h"

namespace berth::api::streams {

enum class WsOpcode : uint8_t {
  kContinuation = 0x0,
  kText = 0x1,
  kBinary = 0x2,
  kClose = 0x8,
  kPing = 0x9,
  kPong = 0xA,
};

inline bool IsControl(WsOpcode op) { return static_cast<uint8_t>(op) >= 0x8; }

struct WebSocketFrame {
  bool fin = true;
  WsOpcode opcode = WsOpcode::kBinary;
  std::string payload;  // unmasked
};

// One frame carrying `payload`. With `mask` (4 bytes, a client's frame) the
// payload is masked with it; without, the frame is a server's.
std::string EncodeWebSocketFrame(WsOpcode opcode, std::string_view payload,
                                 bool fin = true,
                                 const uint8_t* mask = nullptr);

// The payload of a close frame: the status code, then the reason.
std::string ClosePayload(uint16_t code, std::string_view reason = "");

enum class ParseOutcome { kFrame, kNeedMore, kError };

// Parses the frame at the front of `buffer`. kFrame: `frame` is filled and
// its bytes are removed from `buffer`. kNeedMore: the frame is incomplete
// and nothing was consumed. kError: a protocol violation described in
// `error` (an unmasked frame when `require_mask`, reserved bits or
// opcodes, a fragmented or oversized control frame, a payload beyond
// `max_payload`); the connection should be closed with 1002 (or 1009).
ParseOutcome ParseWebSocketFrame(std::string& buffer, bool require_mask,
                                 size_t max_payload, WebSocketFrame* frame,
                                 std::string* error);

// base64(SHA-1(key + the RFC's GUID)): the server's Sec-WebSocket-Accept.
std::string WebSocketAccept(std::string_view key);

}  // namespace berth::api::streams

#endif  // BERTH_KERNEL_API_STREAMS_WEBSOCKET_FRAME_H_
