// JSON values to YAML text, as go-yaml v2's encoder and libyaml's emitter
// write it (what `kubectl get -o yaml` prints).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <regex>
#include <string>
#include <string_view>

#include "kernel/api/codec/yaml_codec.h"
#include "kernel/api/codec/yaml_scalar.h"

namespace berth::codec {
namespace {

using internal::IsDigit;
using internal::Resolved;
using internal::ResolvePlain;

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

std::string Spaces(int n) { return std::string(static_cast<size_t>(n), ' '); }

// libyaml's best_width as go-yaml v2 leaves it: long flow scalars are folded
// at a space once a line has passed 80 columns.
constexpr int kBestWidth = 80;

// Where a scalar is being written: the column of its first character and
// the indentation of folded continuation lines. `fold` false for keys
// (simple keys are never folded).
struct Placement {
  int column = 0;
  int indent = 2;
  bool fold = true;
};

// Appends c and advances the column by one per UTF-8 character.
void Put(std::string* out, char c, int* column) {
  out->push_back(c);
  if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++*column;
}

void PutIndent(std::string* out, const Placement& p, int* column) {
  *out += '\n';
  *out += Spaces(p.indent);
  *column = p.indent;
}

bool SpaceAt(std::string_view s, size_t i) {
  return i < s.size() && s[i] == ' ';
}

// yaml_emitter_write_plain_scalar.
std::string Plain(std::string_view s, const Placement& p) {
  std::string out;
  int column = p.column;
  bool spaces = false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ' ') {
      if (p.fold && !spaces && column > kBestWidth && !SpaceAt(s, i + 1)) {
        PutIndent(&out, p, &column);
      } else {
        Put(&out, ' ', &column);
      }
      spaces = true;
    } else {
      Put(&out, s[i], &column);
      spaces = false;
    }
  }
  return out;
}

// yaml_emitter_write_double_quoted_scalar for one-line strings.
std::string DoubleQuoted(std::string_view s,
                         const Placement& p = {0, 2, false}) {
  std::string out;
  int column = p.column;
  bool spaces = false;
  Put(&out, '"', &column);
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = s[i];
    if (c == ' ') {
      if (p.fold && !spaces && column > kBestWidth && i != 0 &&
          i + 1 != s.size()) {
        PutIndent(&out, p, &column);
        if (SpaceAt(s, i + 1)) Put(&out, '\\', &column);
      } else {
        Put(&out, ' ', &column);
      }
      spaces = true;
      continue;
    }
    spaces = false;
    const char* escape = nullptr;
    switch (c) {
      case '"':
        escape = "\\\"";
        break;
      case '\\':
        escape = "\\\\";
        break;
      case '\n':
        escape = "\\n";
        break;
      case '\t':
        escape = "\\t";
        break;
      case '\r':
        escape = "\\r";
        break;
      case '\0':
        escape = "\\0";
        break;
      default:
        break;
    }
    if (escape) {
      for (const char* e = escape; *e; ++e) Put(&out, *e, &column);
    } else if (c < 0x20 || c == 0x7f) {
      static const char kHex[] = "0123456789ABCDEF";
      Put(&out, '\\', &column);
      Put(&out, 'x', &column);
      Put(&out, kHex[c >> 4], &column);
      Put(&out, kHex[c & 15], &column);
    } else {
      Put(&out, static_cast<char>(c), &column);
    }
  }
  Put(&out, '"', &column);
  return out;
}

// yaml_emitter_write_single_quoted_scalar for one-line strings.
std::string SingleQuoted(std::string_view s,
                         const Placement& p = {0, 2, false}) {
  std::string out;
  int column = p.column;
  bool spaces = false;
  Put(&out, '\'', &column);
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ' ') {
      if (p.fold && !spaces && column > kBestWidth && i != 0 &&
          i + 1 != s.size() && !SpaceAt(s, i + 1)) {
        PutIndent(&out, p, &column);
      } else {
        Put(&out, ' ', &column);
      }
      spaces = true;
      continue;
    }
    spaces = false;
    Put(&out, s[i], &column);
    if (s[i] == '\'') Put(&out, '\'', &column);
  }
  Put(&out, '\'', &column);
  return out;
}

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
// of the line it starts on (for block scalar content and folded lines),
// `column` where its first character goes.
std::string StringValue(const std::string& s, int indent, int column,
                        bool top_level) {
  ScalarAnalysis a = Analyze(s);
  const Placement p{column, indent + 2, true};
  if (s.find('\n') != std::string::npos) {
    if (a.block_allowed && !top_level) return LiteralBlock(s, indent + 2);
    return DoubleQuoted(s, p) + "\n";
  }
  if (!ResolvesToString(s)) return DoubleQuoted(s, p) + "\n";
  if (a.block_plain_allowed) return Plain(s, p) + "\n";
  if (a.single_quoted_allowed) return SingleQuoted(s, p) + "\n";
  return DoubleQuoted(s, p) + "\n";
}

// The column the next character written to `out` lands in.
int CurrentColumn(const std::string& out) {
  size_t nl = out.rfind('\n');
  size_t start = nl == std::string::npos ? 0 : nl + 1;
  int column = 0;
  for (size_t i = start; i < out.size(); ++i) {
    if ((static_cast<unsigned char>(out[i]) & 0xC0) != 0x80) ++column;
  }
  return column;
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
                        CurrentColumn(*out), false);
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

}  // namespace

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
                      0, 0, true);
  } else {
    out = ScalarText(value) + "\n";
  }
  return out;
}

}  // namespace berth::codec
