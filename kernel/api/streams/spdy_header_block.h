// SPDY/3 header blocks: the name/value list of SYN_STREAM, SYN_REPLY and
// HEADERS frames, zlib-compressed with the protocol's fixed dictionary. One
// compressor per sending direction and one decompressor per receiving
// direction live as long as the session: every block continues the same
// zlib stream (each ends with a sync flush), so losing or reordering one
// corrupts the rest.
//
// Thread safety: none; the session serializes each direction.
#ifndef BERTH_KERNEL_API_STREAMS_SPDY_HEADER_BLOCK_H_
#define BERTH_KERNEL_API_STREAMS_SPDY_HEADER_BLOCK_H_

#include <zlib.h>

#include <map>
#include <string>
#include <string_view>

#include "berth/status.h"

namespace berth::api::streams {

// Header names are lowercase in SPDY/3; several values of one name are
// joined with NUL bytes, as on the wire.
using SpdyHeaders = std::map<std::string, std::string>;

// The 1423-byte SPDY/3 zlib dictionary (section 2.6.10.1).
const std::string& SpdyDictionary();

class SpdyHeaderCompressor {
 public:
  SpdyHeaderCompressor();
  ~SpdyHeaderCompressor();
  SpdyHeaderCompressor(const SpdyHeaderCompressor&) = delete;
  SpdyHeaderCompressor& operator=(const SpdyHeaderCompressor&) = delete;

  // The compressed block for `headers` (names are lowercased).
  std::string Compress(const SpdyHeaders& headers);

 private:
  z_stream z_{};
};

class SpdyHeaderDecompressor {
 public:
  SpdyHeaderDecompressor();
  ~SpdyHeaderDecompressor();
  SpdyHeaderDecompressor(const SpdyHeaderDecompressor&) = delete;
  SpdyHeaderDecompressor& operator=(const SpdyHeaderDecompressor&) = delete;

  // The headers of one compressed block. BadRequest when the block does not
  // inflate or its name/value list is malformed; the session must end then
  // (the zlib stream is out of step).
  StatusOr<SpdyHeaders> Decompress(std::string_view block);

 private:
  z_stream z_{};
};

}  // namespace berth::api::streams

#endif  // BERTH_KERNEL_API_STREAMS_SPDY_HEADER_BLOCK_H_
