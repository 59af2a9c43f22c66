#include "kernel/store/continue_token.h"

#include <charconv>

namespace berth::store {
namespace {

constexpr char kAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string Base64UrlEncode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : in) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(acc >> bits) & 0x3f]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(acc << (6 - bits)) & 0x3f]);
  return out;
}

int Base64UrlValue(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

bool Base64UrlDecode(std::string_view in, std::string* out) {
  // A lone trailing character carries fewer than 8 bits: never produced.
  if (in.size() % 4 == 1) return false;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    const int v = Base64UrlValue(c);
    if (v < 0) return false;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return true;
}

}  // namespace

std::string EncodeContinueToken(uint64_t revision, std::string_view last_key) {
  std::string plain = std::to_string(revision);
  plain.push_back(':');
  plain.append(last_key);
  return Base64UrlEncode(plain);
}

StatusOr<ContinuePosition> DecodeContinueToken(std::string_view token,
                                               std::string_view prefix) {
  std::string plain;
  if (!Base64UrlDecode(token, &plain)) {
    return Status::BadRequest("invalid continue token: not base64");
  }
  const size_t colon = plain.find(':');
  ContinuePosition pos;
  if (colon == std::string::npos || colon == 0) {
    return Status::BadRequest("invalid continue token: no revision");
  }
  const char* end = plain.data() + colon;
  auto [ptr, ec] = std::from_chars(plain.data(), end, pos.revision);
  if (ec != std::errc() || ptr != end) {
    return Status::BadRequest("invalid continue token: bad revision");
  }
  pos.last_key = plain.substr(colon + 1);
  if (!std::string_view(pos.last_key).starts_with(prefix)) {
    return Status::BadRequest(
        "invalid continue token: key is outside the listed prefix");
  }
  return pos;
}

}  // namespace berth::store
