#include "kernel/api/streams/spdy_header_block.h"

#include <cctype>

#include "kernel/api/streams/spdy_frame.h"

namespace berth::api::streams {
namespace {

// The dictionary is a header-block-shaped list of common names, then a run
// of common values; building it from the strings keeps it reviewable.
std::string BuildDictionary() {
  static const char* const kNames[] = {"options",
                                       "head",
                                       "post",
                                       "put",
                                       "delete",
                                       "trace",
                                       "accept",
                                       "accept-charset",
                                       "accept-encoding",
                                       "accept-language",
                                       "accept-ranges",
                                       "age",
                                       "allow",
                                       "authorization",
                                       "cache-control",
                                       "connection",
                                       "content-base",
                                       "content-encoding",
                                       "content-language",
                                       "content-length",
                                       "content-location",
                                       "content-md5",
                                       "content-range",
                                       "content-type",
                                       "date",
                                       "etag",
                                       "expect",
                                       "expires",
                                       "from",
                                       "host",
                                       "if-match",
                                       "if-modified-since",
                                       "if-none-match",
                                       "if-range",
                                       "if-unmodified-since",
                                       "last-modified",
                                       "location",
                                       "max-forwards",
                                       "pragma",
                                       "proxy-authenticate",
                                       "proxy-authorization",
                                       "range",
                                       "referer",
                                       "retry-after",
                                       "server",
                                       "te",
                                       "trailer",
                                       "transfer-encoding",
                                       "upgrade",
                                       "user-agent",
                                       "vary",
                                       "via",
                                       "warning",
                                       "www-authenticate",
                                       "method",
                                       "get",
                                       "status",
                                       "200 OK",
                                       "version",
                                       "HTTP/1.1",
                                       "url",
                                       "public",
                                       "set-cookie",
                                       "keep-alive",
                                       "origin"};
  std::string d;
  for (const char* name : kNames) {
    AppendSpdyU32(d, static_cast<uint32_t>(std::string_view(name).size()));
    d += name;
  }
  d += "100101201202205206300302303304305306307402405406407408409410411412413"
       "414415416417502504505203 Non-Authoritative Information204 No "
       "Content301 Moved Permanently400 Bad Request401 Unauthorized403 "
       "Forbidden404 Not Found500 Internal Server Error501 Not "
       "Implemented503 Service UnavailableJan Feb Mar Apr May Jun Jul Aug "
       "Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, "
       "GMTchunked,text/html,image/png,image/jpg,image/gif,application/"
       "xml,application/xhtml+xml,text/plain,text/javascript,"
       "publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-"
       "8859-1,utf-,*,enq=0.";
  return d;
}

}  // namespace

const std::string& SpdyDictionary() {
  static const std::string* const kDictionary =
      new std::string(BuildDictionary());
  return *kDictionary;
}

SpdyHeaderCompressor::SpdyHeaderCompressor() {
  deflateInit(&z_, Z_DEFAULT_COMPRESSION);
  const std::string& dict = SpdyDictionary();
  deflateSetDictionary(&z_, reinterpret_cast<const Bytef*>(dict.data()),
                       static_cast<uInt>(dict.size()));
}

SpdyHeaderCompressor::~SpdyHeaderCompressor() { deflateEnd(&z_); }

std::string SpdyHeaderCompressor::Compress(const SpdyHeaders& headers) {
  std::string raw;
  AppendSpdyU32(raw, static_cast<uint32_t>(headers.size()));
  for (const auto& [name, value] : headers) {
    std::string lower = name;
    for (char& c : lower) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    AppendSpdyU32(raw, static_cast<uint32_t>(lower.size()));
    raw += lower;
    AppendSpdyU32(raw, static_cast<uint32_t>(value.size()));
    raw += value;
  }
  std::string out;
  z_.next_in = reinterpret_cast<Bytef*>(raw.data());
  z_.avail_in = static_cast<uInt>(raw.size());
  char buf[4096];
  do {
    z_.next_out = reinterpret_cast<Bytef*>(buf);
    z_.avail_out = sizeof(buf);
    deflate(&z_, Z_SYNC_FLUSH);
    out.append(buf, sizeof(buf) - z_.avail_out);
  } while (z_.avail_out == 0);
  return out;
}

SpdyHeaderDecompressor::SpdyHeaderDecompressor() { inflateInit(&z_); }

SpdyHeaderDecompressor::~SpdyHeaderDecompressor() { inflateEnd(&z_); }

StatusOr<SpdyHeaders> SpdyHeaderDecompressor::Decompress(
    std::string_view block) {
  std::string raw;
  z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(block.data()));
  z_.avail_in = static_cast<uInt>(block.size());
  char buf[4096];
  while (z_.avail_in > 0) {
    z_.next_out = reinterpret_cast<Bytef*>(buf);
    z_.avail_out = sizeof(buf);
    int r = inflate(&z_, Z_SYNC_FLUSH);
    if (r == Z_NEED_DICT) {
      const std::string& dict = SpdyDictionary();
      r = inflateSetDictionary(&z_, reinterpret_cast<const Bytef*>(dict.data()),
                               static_cast<uInt>(dict.size()));
    }
    if (r != Z_OK && r != Z_BUF_ERROR && r != Z_STREAM_END) {
      return Status::BadRequest("a SPDY header block does not inflate");
    }
    raw.append(buf, sizeof(buf) - z_.avail_out);
    if (r == Z_BUF_ERROR && z_.avail_out != 0) break;  // no progress
    if (raw.size() > 1024 * 1024) {
      return Status::BadRequest("a SPDY header block is too large");
    }
  }
  // What is still buffered inside zlib for this block.
  for (;;) {
    z_.next_out = reinterpret_cast<Bytef*>(buf);
    z_.avail_out = sizeof(buf);
    int r = inflate(&z_, Z_SYNC_FLUSH);
    raw.append(buf, sizeof(buf) - z_.avail_out);
    if (r != Z_OK || z_.avail_out != 0) break;
  }
  SpdyHeaders headers;
  std::string_view v(raw);
  auto take_u32 = [&v](uint32_t* out) {
    if (v.size() < 4) return false;
    *out = SpdyU32(v, 0);
    v.remove_prefix(4);
    return true;
  };
  auto take = [&v, &take_u32](std::string* out) {
    uint32_t n = 0;
    if (!take_u32(&n) || v.size() < n) return false;
    out->assign(v.substr(0, n));
    v.remove_prefix(n);
    return true;
  };
  uint32_t count = 0;
  if (!take_u32(&count)) {
    return Status::BadRequest("a SPDY header block has no entry count");
  }
  for (uint32_t i = 0; i < count; ++i) {
    std::string name, value;
    if (!take(&name) || !take(&value)) {
      return Status::BadRequest("a SPDY header block is truncated");
    }
    for (char& c : name) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    headers[name] = value;
  }
  return headers;
}

}  // namespace berth::api::streams
