#include "kernel/api/streams/spdy_frame.h"

namespace berth::api::streams {
namespace {

constexpr uint16_t kSpdyVersion = 3;

void AppendHeader(std::string& out, uint32_t first_word, uint8_t flags,
                  size_t length) {
  AppendSpdyU32(out, first_word);
  out += static_cast<char>(flags);
  out += static_cast<char>((length >> 16) & 0xFF);
  out += static_cast<char>((length >> 8) & 0xFF);
  out += static_cast<char>(length & 0xFF);
}

// The smallest payload of each control frame type that names a stream or
// carries fixed fields.
size_t MinPayload(uint16_t type) {
  switch (type) {
    case kSpdySynStream:
      return 10;
    case kSpdySynReply:
    case kSpdyHeaders:
    case kSpdySettings:
    case kSpdyPing:
      return 4;
    case kSpdyRstStream:
    case kSpdyGoAway:
    case kSpdyWindowUpdate:
      return 8;
    default:
      return 0;
  }
}

}  // namespace

uint32_t SpdyU32(std::string_view s, size_t pos) {
  const auto* b = reinterpret_cast<const uint8_t*>(s.data()) + pos;
  return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) |
         (uint32_t{b[2]} << 8) | uint32_t{b[3]};
}

void AppendSpdyU32(std::string& out, uint32_t v) {
  out += static_cast<char>((v >> 24) & 0xFF);
  out += static_cast<char>((v >> 16) & 0xFF);
  out += static_cast<char>((v >> 8) & 0xFF);
  out += static_cast<char>(v & 0xFF);
}

std::string_view SpdyFrame::HeaderBlock() const {
  std::string_view p(payload);
  if (!control) return {};
  if (type == kSpdySynStream) return p.substr(10);
  if (type == kSpdySynReply || type == kSpdyHeaders) return p.substr(4);
  return {};
}

SpdyParse ParseSpdyFrame(std::string& buffer, size_t max_payload,
                         SpdyFrame* frame, std::string* error) {
  if (buffer.size() < 8) return SpdyParse::kNeedMore;
  const auto* b = reinterpret_cast<const uint8_t*>(buffer.data());
  const size_t length =
      (size_t{b[5]} << 16) | (size_t{b[6]} << 8) | size_t{b[7]};
  if (length > max_payload) {
    *error =
        "a SPDY frame of " + std::to_string(length) + " bytes is too large";
    return SpdyParse::kError;
  }
  const bool control = b[0] & 0x80;
  uint16_t type = 0;
  if (control) {
    const uint16_t version = static_cast<uint16_t>(((b[0] & 0x7F) << 8) | b[1]);
    if (version != kSpdyVersion) {
      *error = "SPDY version " + std::to_string(version) + " is not 3";
      return SpdyParse::kError;
    }
    type = static_cast<uint16_t>((b[2] << 8) | b[3]);
    if (length < MinPayload(type)) {
      *error = "a SPDY control frame of type " + std::to_string(type) +
               " is too short";
      return SpdyParse::kError;
    }
  }
  if (buffer.size() < 8 + length) return SpdyParse::kNeedMore;
  frame->control = control;
  frame->type = type;
  frame->flags = b[4];
  frame->payload.assign(buffer, 8, length);
  frame->stream_id = 0;
  if (!control) {
    frame->stream_id = SpdyU32(buffer, 0) & 0x7FFFFFFF;
  } else if (type == kSpdySynStream || type == kSpdySynReply ||
             type == kSpdyRstStream || type == kSpdyHeaders ||
             type == kSpdyWindowUpdate) {
    frame->stream_id = SpdyU32(frame->payload, 0) & 0x7FFFFFFF;
  }
  buffer.erase(0, 8 + length);
  return SpdyParse::kFrame;
}

std::string EncodeSpdyData(uint32_t stream_id, std::string_view data,
                           bool fin) {
  std::string out;
  out.reserve(8 + data.size());
  AppendHeader(out, stream_id & 0x7FFFFFFF, fin ? kSpdyFlagFin : 0,
               data.size());
  out.append(data);
  return out;
}

std::string EncodeSpdyControl(uint16_t type, uint8_t flags,
                              std::string_view payload) {
  std::string out;
  out.reserve(8 + payload.size());
  AppendHeader(out, 0x80000000u | (uint32_t{kSpdyVersion} << 16) | type, flags,
               payload.size());
  out.append(payload);
  return out;
}

std::string EncodeSpdySynStream(uint32_t stream_id,
                                std::string_view compressed_headers, bool fin) {
  std::string p;
  AppendSpdyU32(p, stream_id & 0x7FFFFFFF);
  AppendSpdyU32(p, 0);  // associated stream
  p += '\0';            // priority
  p += '\0';            // slot
  p.append(compressed_headers);
  return EncodeSpdyControl(kSpdySynStream, fin ? kSpdyFlagFin : 0, p);
}

std::string EncodeSpdySynReply(uint32_t stream_id,
                               std::string_view compressed_headers, bool fin) {
  std::string p;
  AppendSpdyU32(p, stream_id & 0x7FFFFFFF);
  p.append(compressed_headers);
  return EncodeSpdyControl(kSpdySynReply, fin ? kSpdyFlagFin : 0, p);
}

std::string EncodeSpdyRstStream(uint32_t stream_id, uint32_t status) {
  std::string p;
  AppendSpdyU32(p, stream_id & 0x7FFFFFFF);
  AppendSpdyU32(p, status);
  return EncodeSpdyControl(kSpdyRstStream, 0, p);
}

std::string EncodeSpdyWindowUpdate(uint32_t stream_id, uint32_t delta) {
  std::string p;
  AppendSpdyU32(p, stream_id & 0x7FFFFFFF);
  AppendSpdyU32(p, delta & 0x7FFFFFFF);
  return EncodeSpdyControl(kSpdyWindowUpdate, 0, p);
}

std::string EncodeSpdyGoAway(uint32_t last_good_stream_id, uint32_t status) {
  std::string p;
  AppendSpdyU32(p, last_good_stream_id & 0x7FFFFFFF);
  AppendSpdyU32(p, status);
  return EncodeSpdyControl(kSpdyGoAway, 0, p);
}

std::string EncodeSpdyPing(uint32_t id) {
  std::string p;
  AppendSpdyU32(p, id);
  return EncodeSpdyControl(kSpdyPing, 0, p);
}

}  // namespace berth::api::streams
