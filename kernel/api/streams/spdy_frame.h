// SPDY/3.1 frames (draft-mbelshe-httpbis-spdy-00 with the 3.1 session
// window): the 8-byte frame header, the control frames a port-forward or
// exec session exchanges (SYN_STREAM, SYN_REPLY, RST_STREAM, SETTINGS,
// PING, GOAWAY, HEADERS, WINDOW_UPDATE) and DATA frames. Header blocks stay
// compressed here; spdy_header_block.h inflates and deflates them.
//
// Thread safety: pure functions.
#ifndef BERTH_KERNEL_API_STREAMS_SPDY_FRAME_H_
#define BERTH_KERNEL_API_STREAMS_SPDY_FRAME_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace berth::api::streams {

enum SpdyControlType : uint16_t {
  kSpdySynStream = 1,
  kSpdySynReply = 2,
  kSpdyRstStream = 3,
  kSpdySettings = 4,
  kSpdyPing = 6,
  kSpdyGoAway = 7,
  kSpdyHeaders = 8,
  kSpdyWindowUpdate = 9,
};

inline constexpr uint8_t kSpdyFlagFin = 0x01;
inline constexpr uint32_t kSpdyRstCancel = 5;
inline constexpr uint32_t kSpdyRstProtocolError = 1;
// The window every stream and the session start with (SPDY/3 2.6.8).
inline constexpr uint32_t kSpdyInitialWindow = 64 * 1024;

struct SpdyFrame {
  bool control = false;
  uint16_t type = 0;  // control frames: SpdyControlType
  uint8_t flags = 0;
  // DATA frames, and control frames that name a stream (SYN_STREAM,
  // SYN_REPLY, RST_STREAM, HEADERS, WINDOW_UPDATE); 0 otherwise.
  uint32_t stream_id = 0;
  // DATA: the data. Control: the payload after the 8-byte header.
  std::string payload;

  bool fin() const { return flags & kSpdyFlagFin; }
  // SYN_STREAM: the compressed header block (after the 10 fixed bytes);
  // SYN_REPLY and HEADERS: after the stream id.
  std::string_view HeaderBlock() const;
};

enum class SpdyParse { kFrame, kNeedMore, kError };

// Parses the frame at the front of `buffer` and removes it. kNeedMore
// consumes nothing; kError (a SPDY version other than 3, a payload beyond
// `max_payload`, a control frame too short for its type) fills `error`
// and the session should end.
SpdyParse ParseSpdyFrame(std::string& buffer, size_t max_payload,
                         SpdyFrame* frame, std::string* error);

std::string EncodeSpdyData(uint32_t stream_id, std::string_view data, bool fin);
std::string EncodeSpdyControl(uint16_t type, uint8_t flags,
                              std::string_view payload);
// SYN_STREAM with `compressed_headers` (what a client sends; tests use it).
std::string EncodeSpdySynStream(uint32_t stream_id,
                                std::string_view compressed_headers, bool fin);
std::string EncodeSpdySynReply(uint32_t stream_id,
                               std::string_view compressed_headers, bool fin);
std::string EncodeSpdyRstStream(uint32_t stream_id, uint32_t status);
std::string EncodeSpdyWindowUpdate(uint32_t stream_id, uint32_t delta);
std::string EncodeSpdyGoAway(uint32_t last_good_stream_id, uint32_t status);
std::string EncodeSpdyPing(uint32_t id);

// Big-endian 32-bit read at `pos` of `s` (which must hold 4 bytes there).
uint32_t SpdyU32(std::string_view s, size_t pos);
void AppendSpdyU32(std::string& out, uint32_t v);

}  // namespace berth::api::streams

#endif  // BERTH_KERNEL_API_STREAMS_SPDY_FRAME_H_
