#include "kernel/api/codec/yaml_scalar.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <regex>
#include <string_view>

namespace berth::codec::internal {
namespace {

// Go's strconv.ParseUint(s, 0, 64) on an unsigned digit string: base prefix
// 0x/0o/0b, a leading 0 meaning octal.
bool ParseGoUnsigned(std::string_view s, uint64_t* out) {
  int base = 10;
  if (s.size() >= 2 && s[0] == '0') {
    char p = s[1];
    if (p == 'x' || p == 'X') {
      base = 16;
      s.remove_prefix(2);
    } else if (p == 'o' || p == 'O') {
      base = 8;
      s.remove_prefix(2);
    } else if (p == 'b' || p == 'B') {
      base = 2;
      s.remove_prefix(2);
    } else {
      base = 8;
      s.remove_prefix(1);
    }
  }
  if (s.empty()) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out, base);
  return ec == std::errc() && end == s.data() + s.size();
}

// Go's strconv.ParseInt(s, 0, 64).
bool ParseGoSigned(std::string_view s, int64_t* out) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  uint64_t magnitude;
  if (!ParseGoUnsigned(s, &magnitude)) return false;
  if (negative) {
    if (magnitude > static_cast<uint64_t>(INT64_MAX) + 1) return false;
    *out = static_cast<int64_t>(0 - magnitude);
  } else {
    if (magnitude > static_cast<uint64_t>(INT64_MAX)) return false;
    *out = static_cast<int64_t>(magnitude);
  }
  return true;
}

// go-yaml's yamlStyleFloat; anything else that strtod would accept (hex
// floats, "inf") stays a string.
bool ParseYamlFloat(const std::string& s, double* out) {
  static const std::regex kFloat(
      R"(^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$)");
  if (!std::regex_match(s, kFloat)) return false;
  errno = 0;
  double d = std::strtod(s.c_str(), nullptr);
  if (errno == ERANGE && std::isinf(d)) return false;
  *out = d;
  return true;
}

}  // namespace

Resolved ResolvePlain(const std::string& s) {
  Resolved r;
  if (s.empty()) {
    r.kind = Resolved::Kind::kNull;
    return r;
  }
  static const char* const kTrue[] = {
      "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"};
  static const char* const kFalse[] = {"n",   "N",     "no",    "No",
                                       "NO",  "false", "False", "FALSE",
                                       "off", "Off",   "OFF"};
  static const char* const kNull[] = {"~", "null", "Null", "NULL"};
  static const char* const kInf[] = {".inf",  ".Inf",  ".INF",  "+.inf",
                                     "+.Inf", "+.INF", "-.inf", "-.Inf",
                                     "-.INF", ".nan",  ".NaN",  ".NAN"};
  for (const char* t : kTrue) {
    if (s == t) {
      r.kind = Resolved::Kind::kBool;
      r.b = true;
      return r;
    }
  }
  for (const char* f : kFalse) {
    if (s == f) {
      r.kind = Resolved::Kind::kBool;
      return r;
    }
  }
  for (const char* n : kNull) {
    if (s == n) {
      r.kind = Resolved::Kind::kNull;
      return r;
    }
  }
  for (const char* inf : kInf) {
    if (s == inf) {
      r.kind = Resolved::Kind::kFloat;
      r.d = s.find("nan") != std::string::npos ||
                    s.find("NaN") != std::string::npos ||
                    s.find("NAN") != std::string::npos
                ? std::nan("")
                : (s[0] == '-' ? -INFINITY : INFINITY);
      return r;
    }
  }
  if (s == "<<") {
    r.kind = Resolved::Kind::kMerge;
    return r;
  }
  char c = s[0];
  if (c == '.') {
    static const std::regex kDotFloat(R"(^\.[0-9]+([eE][-+]?[0-9]+)?$)");
    if (std::regex_match(s, kDotFloat)) {
      r.kind = Resolved::Kind::kFloat;
      r.d = std::strtod(s.c_str(), nullptr);
    }
    return r;
  }
  if (!IsDigit(c) && c != '+' && c != '-') return r;
  std::string plain;
  plain.reserve(s.size());
  for (char ch : s) {
    if (ch != '_') plain.push_back(ch);
  }
  if (ParseGoSigned(plain, &r.i)) {
    r.kind = Resolved::Kind::kInt;
    return r;
  }
  if (!plain.empty() && plain[0] != '+' && plain[0] != '-' &&
      ParseGoUnsigned(plain, &r.u)) {
    r.kind = Resolved::Kind::kUint;
    return r;
  }
  if (ParseYamlFloat(plain, &r.d)) {
    r.kind = Resolved::Kind::kFloat;
    return r;
  }
  return r;
}

}  // namespace berth::codec::internal
