#include "kernel/api/streams/websocket_frame.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

namespace berth::api::streams {

std::string EncodeWebSocketFrame(WsOpcode opcode, std::string_view payload,
                                 bool fin, const uint8_t* mask) {
  std::string out;
  out.reserve(payload.size() + 14);
  out += static_cast<char>((fin ? 0x80 : 0x00) | static_cast<uint8_t>(opcode));
  const uint8_t mask_bit = mask ? 0x80 : 0x00;
  const uint64_t n = payload.size();
  if (n < 126) {
    out += static_cast<char>(mask_bit | n);
  } else if (n <= 0xFFFF) {
    out += static_cast<char>(mask_bit | 126);
    out += static_cast<char>(n >> 8);
    out += static_cast<char>(n & 0xFF);
  } else {
    out += static_cast<char>(mask_bit | 127);
    for (int shift = 56; shift >= 0; shift -= 8) {
      out += static_cast<char>((n >> shift) & 0xFF);
    }
  }
  if (!mask) {
    out.append(payload);
    return out;
  }
  out.append(reinterpret_cast<const char*>(mask), 4);
  for (size_t i = 0; i < payload.size(); ++i) {
    out += static_cast<char>(static_cast<uint8_t>(payload[i]) ^ mask[i % 4]);
  }
  return out;
}

std::string ClosePayload(uint16_t code, std::string_view reason) {
  std::string p;
  p += static_cast<char>(code >> 8);
  p += static_cast<char>(code & 0xFF);
  p.append(reason);
  return p;
}

ParseOutcome ParseWebSocketFrame(std::string& buffer, bool require_mask,
                                 size_t max_payload, WebSocketFrame* frame,
                                 std::string* error) {
  const auto* b = reinterpret_cast<const uint8_t*>(buffer.data());
  if (buffer.size() < 2) return ParseOutcome::kNeedMore;
  const bool fin = b[0] & 0x80;
  if (b[0] & 0x70) {
    *error = "reserved bits set without a negotiated extension";
    return ParseOutcome::kError;
  }
  const uint8_t op = b[0] & 0x0F;
  if ((op > 0x2 && op < 0x8) || op > 0xA) {
    *error = "reserved opcode " + std::to_string(op);
    return ParseOutcome::kError;
  }
  const bool masked = b[1] & 0x80;
  if (require_mask && !masked) {
    *error = "a client frame was not masked";
    return ParseOutcome::kError;
  }
  uint64_t n = b[1] & 0x7F;
  size_t pos = 2;
  if (n == 126) {
    if (buffer.size() < 4) return ParseOutcome::kNeedMore;
    n = (uint64_t{b[2]} << 8) | b[3];
    pos = 4;
  } else if (n == 127) {
    if (buffer.size() < 10) return ParseOutcome::kNeedMore;
    n = 0;
    for (int i = 0; i < 8; ++i) n = (n << 8) | b[2 + i];
    pos = 10;
  }
  const auto opcode = static_cast<WsOpcode>(op);
  if (IsControl(opcode) && (!fin || n > 125)) {
    *error = "a control frame was fragmented or longer than 125 bytes";
    return ParseOutcome::kError;
  }
  if (n > max_payload) {
    *error = "a frame of " + std::to_string(n) + " bytes is too large";
    return ParseOutcome::kError;
  }
  uint8_t key[4] = {0, 0, 0, 0};
  if (masked) {
    if (buffer.size() < pos + 4) return ParseOutcome::kNeedMore;
    for (int i = 0; i < 4; ++i) key[i] = b[pos + i];
    pos += 4;
  }
  if (buffer.size() < pos + n) return ParseOutcome::kNeedMore;
  frame->fin = fin;
  frame->opcode = opcode;
  frame->payload.assign(buffer, pos, n);
  if (masked) {
    for (size_t i = 0; i < n; ++i) {
      frame->payload[i] = static_cast<char>(
          static_cast<uint8_t>(frame->payload[i]) ^ key[i % 4]);
    }
  }
  buffer.erase(0, pos + n);
  return ParseOutcome::kFrame;
}

std::string WebSocketAccept(std::string_view key) {
  std::string input(key);
  input += "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(),
       digest);
  unsigned char encoded[4 * ((SHA_DIGEST_LENGTH + 2) / 3) + 1];
  int len = EVP_EncodeBlock(encoded, digest, SHA_DIGEST_LENGTH);
  return std::string(reinterpret_cast<char*>(encoded),
                     static_cast<size_t>(len));
}

}  // namespace berth::api::streams
