#include "kernel/api/server/websocket_connection.h"

#include "kernel/api/streams/websocket_frame.h"

namespace berth::api {
namespace {

using streams::WsOpcode;

// kubectl sends stdin in small messages; this bounds one frame.
constexpr size_t kMaxFrame = 16 * 1024 * 1024;

}  // namespace

std::string WebSocketUpgradeReply(std::string_view key,
                                  std::string_view protocol) {
  std::string r =
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
      "Connection: Upgrade\r\nSec-WebSocket-Accept: " +
      streams::WebSocketAccept(key) + "\r\n";
  if (!protocol.empty()) {
    r += "Sec-WebSocket-Protocol: ";
    r.append(protocol);
    r += "\r\n";
  }
  r += "\r\n";
  return r;
}

bool WebSocketConnection::WriteFrame(uint8_t opcode, std::string_view payload) {
  return conn_->Write(
      streams::EncodeWebSocketFrame(static_cast<WsOpcode>(opcode), payload));
}

bool WebSocketConnection::WriteBinary(std::string_view data) {
  if (close_sent_) return false;
  return WriteFrame(static_cast<uint8_t>(WsOpcode::kBinary), data);
}

void WebSocketConnection::Close(uint16_t code) {
  if (close_sent_.exchange(true)) return;
  WriteFrame(static_cast<uint8_t>(WsOpcode::kClose),
             streams::ClosePayload(code));
}

bool WebSocketConnection::ReadMessage(std::string* message) {
  std::string assembled;
  bool fragmented = false;
  for (;;) {
    streams::WebSocketFrame frame;
    std::string error;
    auto outcome = streams::ParseWebSocketFrame(in_, /*require_mask=*/true,
                                                kMaxFrame, &frame, &error);
    if (outcome == streams::ParseOutcome::kError) {
      Close(1002);
      return false;
    }
    if (outcome == streams::ParseOutcome::kNeedMore) {
      if (!conn_->Read(&in_)) return false;
      continue;
    }
    switch (frame.opcode) {
      case WsOpcode::kPing:
        WriteFrame(static_cast<uint8_t>(WsOpcode::kPong), frame.payload);
        continue;
      case WsOpcode::kPong:
        continue;
      case WsOpcode::kClose:
        close_received_ = true;
        Close(1000);
        return false;
      case WsOpcode::kContinuation:
        if (!fragmented) {
          Close(1002);
          return false;
        }
        break;
      default:  // text or binary
        if (fragmented) {
          Close(1002);
          return false;
        }
        fragmented = true;
        break;
    }
    assembled += frame.payload;
    if (assembled.size() > kMaxFrame) {
      Close(1009);
      return false;
    }
    if (frame.fin) {
      *message = std::move(assembled);
      return true;
    }
  }
}

bool WebSocketByteTransport::Read(std::string* out) {
  std::string message;
  if (!ws_->ReadMessage(&message)) return false;
  out->append(message);
  return true;
}

}  // namespace berth::api
