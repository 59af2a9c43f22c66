#include "kernel/api/codec/yaml_codec.h"

#include <rapidjson/error/en.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <regex>
#include <string>
#include <utility>
#include <vector>

namespace berth::codec {
namespace {

// Converted values may exceed the input size only through aliases; beyond
// this factor the document is an alias bomb ("billion laughs").
constexpr size_t kValuesPerInputByte = 4;
constexpr size_t kMinValueBudget = 10000;
// yaml-cpp bounds parse depth itself, but an alias inside its own anchor
// makes a cycle that only this bound stops.
constexpr int kMaxNodeDepth = 1000;

const char kYamlErrorPrefix[] = "error converting YAML to JSON: yaml: ";

// ---------------------------------------------------------------------------
// Scalar resolution (go-yaml v2's resolve() for untagged plain scalars).

struct Resolved {
  enum class Kind { kNull, kBool, kInt, kUint, kFloat, kString, kMerge };
  Kind kind = Kind::kString;
  bool b = false;
  int64_t i = 0;
  uint64_t u = 0;
  double d = 0;
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

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

// True when the node's text must be resolved (a plain scalar or one tagged
// with a YAML core type); false when it is a string whatever it reads like.
bool NeedsResolution(const YAML::Node& node) {
  const std::string& tag = node.Tag();
  return tag == "?" || tag == "tag:yaml.org,2002:int" ||
         tag == "tag:yaml.org,2002:float" || tag == "tag:yaml.org,2002:bool" ||
         tag == "tag:yaml.org,2002:null";
}

// ---------------------------------------------------------------------------
// YAML nodes -> JSON values.

std::string Position(const YAML::Mark& mark) {
  if (mark.is_null()) return "";
  return "line " + std::to_string(mark.line + 1) + ", column " +
         std::to_string(mark.column + 1) + ": ";
}

Status YamlError(const YAML::Mark& mark, const std::string& message) {
  return Status::BadRequest(kYamlErrorPrefix + Position(mark) + message);
}

// Go formats a float map key with strconv.FormatFloat(f, 'g', -1, 32).
std::string FloatKey(double d) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), static_cast<float>(d),
                           std::chars_format::general);
  return std::string(buf, res.ptr);
}

class YamlToJson {
 public:
  YamlToJson(JsonAlloc& alloc, size_t value_budget)
      : alloc_(alloc), budget_(value_budget) {}

  Status Convert(const YAML::Node& node, Json* out, int depth) {
    if (depth > kMaxNodeDepth) {
      return YamlError(node.Mark(), "exceeded max depth of " +
                                        std::to_string(kMaxNodeDepth));
    }
    if (budget_ == 0) {
      return YamlError(node.Mark(), "document contains excessive aliasing");
    }
    --budget_;
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        out->SetNull();
        return Status::Ok();
      case YAML::NodeType::Scalar:
        return ConvertScalar(node, out);
      case YAML::NodeType::Sequence: {
        out->SetArray();
        for (const auto& item : node) {
          Json v;
          Status s = Convert(item, &v, depth + 1);
          if (!s.ok()) return s;
          out->PushBack(std::move(v), alloc_);
        }
        return Status::Ok();
      }
      case YAML::NodeType::Map:
        return ConvertMap(node, out, depth);
    }
    return YamlError(node.Mark(), "unknown node type");
  }

 private:
  Status ConvertScalar(const YAML::Node& node, Json* out) {
    const std::string& text = node.Scalar();
    if (!NeedsResolution(node)) {
      out->SetString(text.data(), static_cast<rapidjson::SizeType>(text.size()),
                     alloc_);
      return Status::Ok();
    }
    Resolved r = ResolvePlain(text);
    switch (r.kind) {
      case Resolved::Kind::kNull:
        out->SetNull();
        break;
      case Resolved::Kind::kBool:
        out->SetBool(r.b);
        break;
      case Resolved::Kind::kInt:
        out->SetInt64(r.i);
        break;
      case Resolved::Kind::kUint:
        out->SetUint64(r.u);
        break;
      case Resolved::Kind::kFloat:
        if (!std::isfinite(r.d)) {
          return YamlError(node.Mark(), "json: unsupported value: " + text);
        }
        // Go's encoding/json prints integral floats below 1e21 without a
        // fraction, so a consumer reads "replicas: 3.0" as the integer 3.
        if (std::trunc(r.d) == r.d && std::fabs(r.d) < 9.2e18) {
          out->SetInt64(static_cast<int64_t>(r.d));
        } else {
          out->SetDouble(r.d);
        }
        break;
      case Resolved::Kind::kString:
      case Resolved::Kind::kMerge:
        out->SetString(text.data(),
                       static_cast<rapidjson::SizeType>(text.size()), alloc_);
        break;
    }
    return Status::Ok();
  }

  static bool IsMergeKey(const YAML::Node& key) {
    return key.IsScalar() && key.Tag() == "?" && key.Scalar() == "<<";
  }

  Status KeyString(const YAML::Node& key, std::string* out) {
    if (key.IsNull()) {
      return YamlError(key.Mark(), "unsupported map key: null");
    }
    if (!key.IsScalar()) {
      return YamlError(key.Mark(), "unsupported map key: not a scalar");
    }
    const std::string& text = key.Scalar();
    if (!NeedsResolution(key)) {
      *out = text;
      return Status::Ok();
    }
    Resolved r = ResolvePlain(text);
    switch (r.kind) {
      case Resolved::Kind::kNull:
        return YamlError(key.Mark(), "unsupported map key: null");
      case Resolved::Kind::kBool:
        *out = r.b ? "true" : "false";
        break;
      case Resolved::Kind::kInt:
        *out = std::to_string(r.i);
        break;
      case Resolved::Kind::kUint:
        *out = std::to_string(r.u);
        break;
      case Resolved::Kind::kFloat:
        if (std::isnan(r.d)) {
          *out = ".nan";
        } else if (std::isinf(r.d)) {
          *out = r.d > 0 ? ".inf" : "-.inf";
        } else {
          *out = FloatKey(r.d);
        }
        break;
      case Resolved::Kind::kString:
      case Resolved::Kind::kMerge:
        *out = text;
        break;
    }
    return Status::Ok();
  }

  // Explicit keys win over merged ones whatever their order; among several
  // merged maps the earlier one wins (the YAML merge-key spec).
  Status ConvertMap(const YAML::Node& node, Json* out, int depth) {
    out->SetObject();
    std::vector<YAML::Node> merges;
    for (const auto& entry : node) {
      if (IsMergeKey(entry.first)) {
        merges.push_back(entry.second);
        continue;
      }
      std::string key;
      Status s = KeyString(entry.first, &key);
      if (!s.ok()) return s;
      Json v;
      s = Convert(entry.second, &v, depth + 1);
      if (!s.ok()) return s;
      SetMember(*out, key, std::move(v), alloc_);
    }
    for (const auto& merge : merges) {
      std::vector<YAML::Node> sources;
      if (merge.IsSequence()) {
        for (const auto& item : merge) sources.push_back(item);
      } else {
        sources.push_back(merge);
      }
      for (const auto& source : sources) {
        if (!source.IsMap()) {
          return YamlError(merge.Mark(),
                           "map merge requires map or sequence of maps as the "
                           "value");
        }
        Json merged;
        Status s = Convert(source, &merged, depth + 1);
        if (!s.ok()) return s;
        for (auto& m : merged.GetObject()) {
          std::string_view key(m.name.GetString(), m.name.GetStringLength());
          if (!Member(*out, key))
            SetMember(*out, key, std::move(m.value), alloc_);
        }
      }
    }
    return Status::Ok();
  }

  JsonAlloc& alloc_;
  size_t budget_;
};

// libyaml's wording for the yaml-cpp errors users hit most, so messages read
// like the ones kubectl users know from Kubernetes.
std::string LibyamlWording(const std::string& msg) {
  static const std::pair<const char*, const char*> kWording[] = {
      {YAML::ErrorMsg::MAP_VALUE,
       "mapping values are not allowed in this context"},
      {YAML::ErrorMsg::BLOCK_ENTRY,
       "block sequence entries are not allowed in this context"},
      {YAML::ErrorMsg::TAB_IN_INDENTATION,
       "found character that cannot start any token"},
      {YAML::ErrorMsg::UNKNOWN_TOKEN,
       "found character that cannot start any token"},
      {YAML::ErrorMsg::END_OF_MAP, "did not find expected key"},
      {YAML::ErrorMsg::END_OF_SEQ, "did not find expected '-' indicator"},
      {YAML::ErrorMsg::END_OF_MAP_FLOW, "did not find expected ',' or '}'"},
      {YAML::ErrorMsg::END_OF_SEQ_FLOW, "did not find expected ',' or ']'"},
      {YAML::ErrorMsg::EOF_IN_SCALAR, "found unexpected end of stream"},
      {YAML::ErrorMsg::UNKNOWN_ANCHOR, "unknown anchor referenced"},
  };
  for (const auto& [ours, theirs] : kWording) {
    if (msg == ours) return theirs;
  }
  return msg;
}

StatusOr<std::vector<JsonDoc>> ParseYamlStream(std::string_view text) {
  std::vector<YAML::Node> nodes;
  try {
    nodes = YAML::LoadAll(std::string(text));
  } catch (const YAML::DeepRecursion& e) {
    return YamlError(e.mark, "exceeded max depth");
  } catch (const YAML::Exception& e) {
    return YamlError(e.mark, LibyamlWording(e.msg));
  } catch (const std::exception& e) {
    return Status::BadRequest(std::string(kYamlErrorPrefix) + e.what());
  }
  std::vector<JsonDoc> docs;
  size_t budget = std::max(kMinValueBudget, text.size() * kValuesPerInputByte);
  for (const auto& node : nodes) {
    if (!node.IsDefined() || node.IsNull()) continue;
    JsonDoc doc;
    YamlToJson converter(doc.GetAllocator(), budget);
    Status s;
    try {
      s = converter.Convert(node, &doc, 0);
    } catch (const YAML::Exception& e) {
      s = YamlError(e.mark, e.msg);
    }
    if (!s.ok()) return s;
    docs.push_back(std::move(doc));
  }
  return docs;
}

// ---------------------------------------------------------------------------
// JSON values -> YAML text (go-yaml v2's encoder and libyaml's emitter).

bool IsAsciiLetter(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

// go-yaml v2's keyList.Less for string keys: letters sort after other
// characters and runs of digits compare as numbers, so "a2" < "a10".
bool YamlKeyLess(std::string_view a, std::string_view b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    unsigned char ac = a[i], bc = b[i];
    if (ac == bc) continue;
    bool al = IsAsciiLetter(ac), bl = IsAsciiLetter(bc);
    if (al && bl) return ac < bc;
    if (al || bl) return bl;
    int64_t an = 0, bn = 0;
    if (ac == '0' || bc == '0') {
      for (size_t j = i; j-- > 0 && IsDigit(a[j]);) {
        if (a[j] != '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    size_t ai = i, bi = i;
    for (; ai < a.size() && IsDigit(a[ai]); ++ai) an = an * 10 + (a[ai] - '0');
    for (; bi < b.size() && IsDigit(b[bi]); ++bi) bn = bn * 10 + (b[bi] - '0');
    if (an != bn) return an < bn;
    if (ai != bi) return ai < bi;
    return ac < bc;
  }
  return a.size() < b.size();
}

// go-yaml v2 parseTimestamp's accepted layouts; such strings are quoted on
// output because an unquoted one would decode as a timestamp.
bool LooksLikeTimestamp(const std::string& s) {
  static const std::regex kTimestamp(
      R"(^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}()"
      R"(|[Tt][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]+)?(Z|[-+][0-9]{2}:[0-9]{2}))"
      R"(| [0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]+)?)$)");
  return s.size() >= 8 && IsDigit(s[0]) && std::regex_match(s, kTimestamp);
}

bool IsBase60Float(const std::string& s) {
  static const std::regex kBase60(
      R"(^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$)");
  return s.find(':') != std::string::npos && std::regex_match(s, kBase60);
}

// Whether the plain form of s reads back as the same string.
bool ResolvesToString(const std::string& s) {
  if (s.empty()) return false;
  Resolved r = ResolvePlain(s);
  if (r.kind != Resolved::Kind::kString) return false;
  return !IsBase60Float(s) && !LooksLikeTimestamp(s);
}

// What libyaml's yaml_emitter_analyze_scalar concludes about a string, for
// the block context Berth emits in.
struct ScalarAnalysis {
  bool block_plain_allowed = true;
  bool single_quoted_allowed = true;
  bool block_allowed = true;
  bool multiline = false;
};

bool IsBlankOrEnd(std::string_view s, size_t i) {
  return i >= s.size() || s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
         s[i] == '\r';
}

ScalarAnalysis Analyze(std::string_view s) {
  ScalarAnalysis a;
  if (s.empty()) {
    a.block_allowed = false;
    return a;
  }
  bool block_indicators = false;
  bool special = false, line_breaks = false;
  bool leading_space = false, leading_break = false;
  bool trailing_space = false, trailing_break = false;
  bool break_space = false, space_break = false;
  bool previous_space = false, previous_break = false;
  bool preceded_by_whitespace = true;
  if ((s.substr(0, 3) == "---" || s.substr(0, 3) == "...") &&
      IsBlankOrEnd(s, 3)) {
    block_indicators = true;
  }
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = s[i];
    bool first = i == 0;
    bool last = i + 1 == s.size();
    bool followed_by_whitespace = IsBlankOrEnd(s, i + 1);
    if (first) {
      if (std::strchr("#,[]{}&*!|>'\"%@`", c)) block_indicators = true;
      if ((c == '?' || c == ':') && followed_by_whitespace) {
        block_indicators = true;
      }
      if (c == '-' && followed_by_whitespace) block_indicators = true;
    } else {
      if (c == ':' && followed_by_whitespace) block_indicators = true;
      if (c == '#' && preceded_by_whitespace) block_indicators = true;
    }
    // libyaml's printable set: tab and CR are not in it.
    if ((c < 0x20 && c != '\n') || c == 0x7f) special = true;
    if (c == '\n') line_breaks = true;
    if (c == ' ') {
      if (first) leading_space = true;
      if (last) trailing_space = true;
      if (previous_break) break_space = true;
      previous_space = true;
      previous_break = false;
    } else if (c == '\n') {
      if (first) leading_break = true;
      if (last) trailing_break = true;
      if (previous_space) space_break = true;
      previous_break = true;
      previous_space = false;
    } else {
      previous_space = previous_break = false;
    }
    preceded_by_whitespace = c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }
  a.multiline = line_breaks;
  if (leading_space || leading_break || trailing_space || trailing_break) {
    a.block_plain_allowed = false;
  }
  if (trailing_space) a.block_allowed = false;
  if (break_space) {
    a.block_plain_allowed = false;
    a.single_quoted_allowed = false;
  }
  if (space_break || special) {
    a.block_plain_allowed = false;
    a.single_quoted_allowed = false;
    a.block_allowed = false;
  }
  if (line_breaks) a.block_plain_allowed = false;
  if (block_indicators) a.block_plain_allowed = false;
  return a;
}

std::string DoubleQuoted(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\0':
        out += "\\0";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          static const char kHex[] = "0123456789ABCDEF";
          out += "\\x";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
  return out;
}

std::string SingleQuoted(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    out += c;
    if (c == '\'') out += '\'';
  }
  out += '\'';
  return out;
}

std::string Spaces(int n) { return std::string(static_cast<size_t>(n), ' '); }

// A literal block scalar ("|-" and its lines) whose content sits at
// `content_indent`. s contains a line break and passed the block analysis.
std::string LiteralBlock(std::string_view s, int content_indent) {
  std::string out = "|";
  if (s[0] == ' ' || s[0] == '\n') out += "2";
  if (s.back() != '\n') {
    out += "-";
  } else if (s.size() >= 2 && s[s.size() - 2] == '\n') {
    out += "+";
  }
  out += "\n";
  std::string_view body = s;
  if (!body.empty() && body.back() == '\n') body.remove_suffix(1);
  size_t start = 0;
  while (true) {
    size_t nl = body.find('\n', start);
    std::string_view line =
        body.substr(start, nl == std::string_view::npos ? nl : nl - start);
    if (!line.empty()) {
      out += Spaces(content_indent);
      out.append(line);
    }
    out += "\n";
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return out;
}

// A string as a mapping key.
std::string KeyText(const std::string& key) {
  ScalarAnalysis a = Analyze(key);
  if (ResolvesToString(key) && a.block_plain_allowed) return key;
  if (!ResolvesToString(key) || a.multiline || !a.single_quoted_allowed) {
    return DoubleQuoted(key);
  }
  return SingleQuoted(key);
}

// A string value, followed by its line break. `indent` is the indentation
// of the line it starts on (for block scalar content).
std::string StringValue(const std::string& s, int indent, bool top_level) {
  ScalarAnalysis a = Analyze(s);
  if (s.find('\n') != std::string::npos) {
    if (a.block_allowed && !top_level) return LiteralBlock(s, indent + 2);
    return DoubleQuoted(s) + "\n";
  }
  if (!ResolvesToString(s)) return DoubleQuoted(s) + "\n";
  if (a.block_plain_allowed) return s + "\n";
  if (a.single_quoted_allowed) return SingleQuoted(s) + "\n";
  return DoubleQuoted(s) + "\n";
}

// strconv.FormatFloat(f, 'g', -1, 64): shortest digits, exponent form when
// the decimal exponent is below -4 or at least 21.
std::string FloatText(double d) {
  if (std::isnan(d)) return ".nan";
  if (std::isinf(d)) return d > 0 ? ".inf" : "-.inf";
  char buf[64];
  auto sci =
      std::to_chars(buf, buf + sizeof(buf), d, std::chars_format::scientific);
  std::string s(buf, sci.ptr);
  int exp = std::atoi(s.c_str() + s.find('e') + 1);
  if (exp < -4 || exp >= 21) return s;
  auto fixed =
      std::to_chars(buf, buf + sizeof(buf), d, std::chars_format::fixed);
  return std::string(buf, fixed.ptr);
}

// A scalar JSON value (not a string) as YAML text, without a line break.
std::string ScalarText(const Json& v) {
  if (v.IsNull()) return "null";
  if (v.IsBool()) return v.GetBool() ? "true" : "false";
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsUint64()) return std::to_string(v.GetUint64());
  return FloatText(v.GetDouble());
}

void EmitNode(const Json& v, int indent, std::string* out);

// A value after "key:" or "-": scalars and empty collections go on the same
// line, others below.
void EmitInlineOrBelow(const Json& v, int indent, bool under_key,
                       std::string* out) {
  if (v.IsString()) {
    *out += " ";
    *out += StringValue(std::string(v.GetString(), v.GetStringLength()), indent,
                        false);
  } else if (v.IsObject() && v.MemberCount() == 0) {
    *out += " {}\n";
  } else if (v.IsArray() && v.Empty()) {
    *out += " []\n";
  } else if (v.IsObject()) {
    if (under_key) {
      *out += "\n";
      EmitNode(v, indent + 2, out);
    } else {
      // "- key: value" with the rest of the mapping aligned under "key".
      std::string body;
      EmitNode(v, indent + 2, &body);
      *out += " ";
      out->append(body, static_cast<size_t>(indent + 2), std::string::npos);
    }
  } else if (v.IsArray()) {
    if (under_key) {
      *out += "\n";
      EmitNode(v, indent, out);
    } else {
      std::string body;
      EmitNode(v, indent + 2, &body);
      *out += " ";
      out->append(body, static_cast<size_t>(indent + 2), std::string::npos);
    }
  } else {
    *out += " ";
    *out += ScalarText(v);
    *out += "\n";
  }
}

// A non-empty collection starting at the beginning of a line.
void EmitNode(const Json& v, int indent, std::string* out) {
  if (v.IsObject()) {
    std::vector<const Json::Member*> members;
    for (const auto& m : v.GetObject()) members.push_back(&m);
    std::stable_sort(members.begin(), members.end(),
                     [](const Json::Member* a, const Json::Member* b) {
                       return YamlKeyLess(
                           {a->name.GetString(), a->name.GetStringLength()},
                           {b->name.GetString(), b->name.GetStringLength()});
                     });
    for (const Json::Member* m : members) {
      *out += Spaces(indent);
      *out +=
          KeyText(std::string(m->name.GetString(), m->name.GetStringLength()));
      *out += ":";
      EmitInlineOrBelow(m->value, indent, true, out);
    }
  } else {
    for (const auto& item : v.GetArray()) {
      *out += Spaces(indent);
      *out += "-";
      EmitInlineOrBelow(item, indent, false, out);
    }
  }
}

// ---------------------------------------------------------------------------
// JSON bodies.

// Go's encoding/json quoteChar.
std::string QuoteChar(char c) {
  if (c == '\'') return "'\\''";
  if (c == '"') return "'\"'";
  if (c == '\n') return "'\\n'";
  if (c == '\t') return "'\\t'";
  if (c == '\r') return "'\\r'";
  if (static_cast<unsigned char>(c) < 0x20) {
    char buf[16];
    std::snprintf(buf, sizeof(buf), "'\\x%02x'", c);
    return buf;
  }
  return std::string("'") + c + "'";
}

// The body of Go's *json.SyntaxError for the same input, as far as rapidjson
// reports enough to reproduce it.
std::string GoJsonSyntaxError(rapidjson::ParseErrorCode code,
                              std::string_view body, size_t offset) {
  if (offset >= body.size() || code == rapidjson::kParseErrorDocumentEmpty ||
      code == rapidjson::kParseErrorStringMissQuotationMark) {
    return "unexpected end of JSON input";
  }
  std::string c = QuoteChar(body[offset]);
  switch (code) {
    case rapidjson::kParseErrorDocumentRootNotSingular:
      return "invalid character " + c + " after top-level value";
    case rapidjson::kParseErrorValueInvalid:
      return "invalid character " + c + " looking for beginning of value";
    case rapidjson::kParseErrorObjectMissName:
      return "invalid character " + c +
             " looking for beginning of object key string";
    case rapidjson::kParseErrorObjectMissColon:
      return "invalid character " + c + " after object key";
    case rapidjson::kParseErrorObjectMissCommaOrCurlyBracket:
      return "invalid character " + c + " after object key:value pair";
    case rapidjson::kParseErrorArrayMissCommaOrSquareBracket:
      return "invalid character " + c + " after array element";
    case rapidjson::kParseErrorStringEscapeInvalid:
      return "invalid character " + c + " in string escape code";
    case rapidjson::kParseErrorStringUnicodeEscapeInvalidHex:
      return "invalid character " + c + " in \\u hexadecimal character escape";
    case rapidjson::kParseErrorNumberMissFraction:
      return "invalid character " + c +
             " after decimal point in numeric literal";
    case rapidjson::kParseErrorNumberMissExponent:
      return "invalid character " + c + " in exponent of numeric literal";
    default:
      return rapidjson::GetParseError_En(code);
  }
}

std::string LineAndColumn(std::string_view body, size_t offset) {
  offset = std::min(offset, body.size());
  size_t line = 1, line_start = 0;
  for (size_t i = 0; i < offset; ++i) {
    if (body[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return "line " + std::to_string(line) + ", column " +
         std::to_string(offset - line_start + 1);
}

StatusOr<JsonDoc> DecodeJsonBody(std::string_view body) {
  JsonDoc doc;
  doc.Parse<rapidjson::kParseIterativeFlag |
            rapidjson::kParseFullPrecisionFlag>(body.data(), body.size());
  if (doc.HasParseError()) {
    size_t offset = doc.GetErrorOffset();
    return Status::BadRequest(
        "couldn't get version/kind; json parse error: " +
        GoJsonSyntaxError(doc.GetParseError(), body, offset) + " (" +
        LineAndColumn(body, offset) + ")");
  }
  return doc;
}

}  // namespace

StatusOr<std::vector<JsonDoc>> YamlToJsonDocuments(std::string_view text) {
  return ParseYamlStream(text);
}

std::string JsonToYaml(const Json& value) {
  std::string out;
  if ((value.IsObject() && value.MemberCount() > 0) ||
      (value.IsArray() && !value.Empty())) {
    EmitNode(value, 0, &out);
  } else if (value.IsObject()) {
    out = "{}\n";
  } else if (value.IsArray()) {
    out = "[]\n";
  } else if (value.IsString()) {
    out = StringValue(std::string(value.GetString(), value.GetStringLength()),
                      0, true);
  } else {
    out = ScalarText(value) + "\n";
  }
  return out;
}

StatusOr<JsonDoc> DecodeJsonOrYaml(std::string_view body, bool is_yaml) {
  JsonDoc doc;
  if (is_yaml) {
    auto docs = ParseYamlStream(body);
    if (!docs.ok()) return docs.status();
    if (docs->size() != 1) {
      return Status::BadRequest(
          "the request body must hold exactly one YAML document, found " +
          std::to_string(docs->size()));
    }
    doc = std::move(docs->front());
  } else {
    auto parsed = DecodeJsonBody(body);
    if (!parsed.ok()) return parsed.status();
    doc = std::move(parsed).value();
  }
  if (!doc.IsObject()) {
    return Status::BadRequest(
        "couldn't get version/kind; the request body must be an object");
  }
  return doc;
}

}  // namespace berth::codec
