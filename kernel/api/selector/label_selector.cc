#include "kernel/api/selector/label_selector.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <set>
#include <utility>

#include "kernel/api/selector/label_syntax.h"

namespace berth::selector {
namespace {

constexpr const char* kBinaryOperators = "in, notin, =, ==, !=, gt, lt";

// Go's strconv.ParseInt(s, 10, 64).
std::optional<int64_t> ParseInt64(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty() || s.front() == '+') return std::nullopt;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string JoinStrings(const std::vector<std::string>& parts,
                        std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += sep;
    out += parts[i];
  }
  return out;
}

// JSON rendering of a []string, as field.Invalid prints a slice bad value.
std::string JsonStringList(const std::vector<std::string>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ",";
    out += GoQuote(values[i]);
  }
  return out + "]";
}

std::string InvalidValue(std::string_view field, std::string_view rendered,
                         std::string_view detail) {
  return std::string(field) + ": Invalid value: " + std::string(rendered) +
         ": " + std::string(detail);
}

// field.ErrorList.ToAggregate().Error(): one message alone, several in [].
std::string Aggregate(const std::vector<std::string>& errs) {
  if (errs.size() == 1) return errs[0];
  return "[" + JoinStrings(errs, ", ") + "]";
}

// The checks of labels.NewRequirement, with the field names Go prints when
// no path is given: "key", "values", "values[0][<key>]".
std::vector<std::string> RequirementErrors(
    const std::string& key, LabelOperator op,
    const std::vector<std::string>& vals) {
  std::vector<std::string> errs;
  std::vector<std::string> key_errs = LabelKeyErrors(key);
  if (!key_errs.empty()) {
    errs.push_back(
        InvalidValue("key", GoQuote(key), JoinStrings(key_errs, "; ")));
  }
  switch (op) {
    case LabelOperator::kIn:
    case LabelOperator::kNotIn:
      if (vals.empty()) {
        errs.push_back(InvalidValue(
            "values", JsonStringList(vals),
            "for 'in', 'notin' operators, values set can't be empty"));
      }
      break;
    case LabelOperator::kEquals:
    case LabelOperator::kDoubleEquals:
    case LabelOperator::kNotEquals:
      if (vals.size() != 1) {
        errs.push_back(InvalidValue(
            "values", JsonStringList(vals),
            "exact-match compatibility requires one single value"));
      }
      break;
    case LabelOperator::kExists:
    case LabelOperator::kDoesNotExist:
      if (!vals.empty()) {
        errs.push_back(InvalidValue(
            "values", JsonStringList(vals),
            "values set must be empty for exists and does not exist"));
      }
      break;
    case LabelOperator::kGreaterThan:
    case LabelOperator::kLessThan:
      if (vals.size() != 1) {
        errs.push_back(InvalidValue(
            "values", JsonStringList(vals),
            "for 'Gt', 'Lt' operators, exactly one value is required"));
      }
      for (size_t i = 0; i < vals.size(); ++i) {
        if (!ParseInt64(vals[i])) {
          errs.push_back(InvalidValue(
              "values[" + std::to_string(i) + "]", GoQuote(vals[i]),
              "for 'Gt', 'Lt' operators, the value must be an integer"));
        }
      }
      break;
  }
  for (size_t i = 0; i < vals.size(); ++i) {
    std::vector<std::string> value_errs = LabelValueErrors(vals[i]);
    if (!value_errs.empty()) {
      errs.push_back(
          InvalidValue("values[" + std::to_string(i) + "][" + key + "]",
                       GoQuote(vals[i]), JoinStrings(value_errs, "; ")));
    }
  }
  return errs;
}

// ---- The query-string lexer and parser of labels.Parse. ----

enum class Token {
  kError,
  kEndOfString,
  kClosedPar,
  kComma,
  kDoesNotExist,
  kDoubleEquals,
  kEquals,
  kGreaterThan,
  kIdentifier,
  kIn,
  kLessThan,
  kNotEquals,
  kNotIn,
  kOpenPar,
};

std::optional<Token> KeywordToken(std::string_view s) {
  static const std::pair<std::string_view, Token> kTable[] = {
      {")", Token::kClosedPar},    {",", Token::kComma},
      {"!", Token::kDoesNotExist}, {"==", Token::kDoubleEquals},
      {"=", Token::kEquals},       {">", Token::kGreaterThan},
      {"in", Token::kIn},          {"<", Token::kLessThan},
      {"!=", Token::kNotEquals},   {"notin", Token::kNotIn},
      {"(", Token::kOpenPar},
  };
  for (const auto& [text, tok] : kTable) {
    if (text == s) return tok;
  }
  return std::nullopt;
}

bool IsWhitespace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool IsSpecialSymbol(char c) {
  switch (c) {
    case '=':
    case '!':
    case '(':
    case ')':
    case ',':
    case '>':
    case '<':
      return true;
    default:
      return false;
  }
}

struct ScannedItem {
  Token tok;
  std::string literal;
};

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  ScannedItem Lex() {
    char c = Read();
    while (IsWhitespace(c)) c = Read();
    if (c == 0) return {Token::kEndOfString, ""};
    Unread();
    return IsSpecialSymbol(c) ? ScanSpecialSymbol() : ScanIdOrKeyword();
  }

 private:
  // A NUL byte ends the input, as in the Go lexer.
  char Read() { return pos_ < s_.size() ? s_[pos_++] : '\0'; }
  void Unread() { --pos_; }

  ScannedItem ScanIdOrKeyword() {
    std::string buf;
    while (true) {
      char c = Read();
      if (c == 0) break;
      if (IsSpecialSymbol(c) || IsWhitespace(c)) {
        Unread();
        break;
      }
      buf += c;
    }
    if (auto tok = KeywordToken(buf)) return {*tok, buf};
    return {Token::kIdentifier, buf};
  }

  // Longest special-symbol token: "!=" rather than "!" then "=".
  ScannedItem ScanSpecialSymbol() {
    std::string buf;
    std::optional<ScannedItem> last;
    while (true) {
      char c = Read();
      if (c == 0) break;
      if (!IsSpecialSymbol(c)) {
        Unread();
        break;
      }
      buf += c;
      if (auto tok = KeywordToken(buf)) {
        last = ScannedItem{*tok, buf};
      } else if (last) {
        Unread();
        break;
      }
    }
    if (!last) {
      return {Token::kError, "error expected: keyword found '" + buf + "'"};
    }
    return *last;
  }

  std::string_view s_;
  size_t pos_ = 0;
};

class Parser {
 public:
  explicit Parser(std::string_view s) {
    Lexer lexer(s);
    while (true) {
      items_.push_back(lexer.Lex());
      if (items_.back().tok == Token::kEndOfString) break;
    }
  }

  StatusOr<std::vector<LabelRequirement>> Parse() {
    std::vector<LabelRequirement> reqs;
    while (true) {
      const ScannedItem& next = Lookahead(true);
      switch (next.tok) {
        case Token::kIdentifier:
        case Token::kDoesNotExist: {
          StatusOr<LabelRequirement> r = ParseRequirement();
          if (!r.ok()) {
            return Status::BadRequest("unable to parse requirement: " +
                                      r.status().message());
          }
          reqs.push_back(std::move(r).value());
          ScannedItem after = Consume(true);
          if (after.tok == Token::kEndOfString) return reqs;
          if (after.tok != Token::kComma) {
            return Status::BadRequest("found '" + after.literal +
                                      "', expected: ',' or 'end of string'");
          }
          const ScannedItem& t2 = Lookahead(true);
          if (t2.tok != Token::kIdentifier && t2.tok != Token::kDoesNotExist) {
            return Status::BadRequest("found '" + t2.literal +
                                      "', expected: identifier after ','");
          }
          break;
        }
        case Token::kEndOfString:
          return reqs;
        default:
          return Status::BadRequest(
              "found '" + next.literal +
              "', expected: !, identifier, or 'end of string'");
      }
    }
  }

 private:
  // In a values context "in" and "notin" are plain identifiers.
  static ScannedItem AsContext(ScannedItem item, bool values) {
    if (values && (item.tok == Token::kIn || item.tok == Token::kNotIn)) {
      item.tok = Token::kIdentifier;
    }
    return item;
  }
  ScannedItem Lookahead(bool values) const {
    return AsContext(items_[pos_], values);
  }
  ScannedItem Consume(bool values) { return AsContext(items_[pos_++], values); }

  StatusOr<LabelRequirement> ParseRequirement() {
    bool does_not_exist = false;
    ScannedItem key = Consume(true);
    if (key.tok == Token::kDoesNotExist) {
      does_not_exist = true;
      key = Consume(true);
    }
    if (key.tok != Token::kIdentifier) {
      return Status::BadRequest("found '" + key.literal +
                                "', expected: identifier");
    }
    std::vector<std::string> key_errs = LabelKeyErrors(key.literal);
    if (!key_errs.empty()) {
      return Status::BadRequest(InvalidValue("<nil>", GoQuote(key.literal),
                                             JoinStrings(key_errs, "; ")));
    }
    Token next = Lookahead(true).tok;
    bool at_end = next == Token::kEndOfString || next == Token::kComma;
    if (does_not_exist || at_end) {
      return MakeLabelRequirement(key.literal,
                                  does_not_exist ? LabelOperator::kDoesNotExist
                                                 : LabelOperator::kExists,
                                  {});
    }
    ScannedItem op_item = Consume(false);
    LabelOperator op;
    switch (op_item.tok) {
      case Token::kIn:
        op = LabelOperator::kIn;
        break;
      case Token::kNotIn:
        op = LabelOperator::kNotIn;
        break;
      case Token::kEquals:
        op = LabelOperator::kEquals;
        break;
      case Token::kDoubleEquals:
        op = LabelOperator::kDoubleEquals;
        break;
      case Token::kNotEquals:
        op = LabelOperator::kNotEquals;
        break;
      case Token::kGreaterThan:
        op = LabelOperator::kGreaterThan;
        break;
      case Token::kLessThan:
        op = LabelOperator::kLessThan;
        break;
      default:
        return Status::BadRequest("found '" + op_item.literal +
                                  "', expected: " + kBinaryOperators);
    }
    StatusOr<std::set<std::string>> values =
        (op == LabelOperator::kIn || op == LabelOperator::kNotIn)
            ? ParseValues()
            : ParseExactValue();
    if (!values.ok()) return values.status();
    return MakeLabelRequirement(
        key.literal, op,
        std::vector<std::string>(values->begin(), values->end()));
  }

  StatusOr<std::set<std::string>> ParseValues() {
    ScannedItem open = Consume(true);
    if (open.tok != Token::kOpenPar) {
      return Status::BadRequest("found '" + open.literal + "' expected: '('");
    }
    ScannedItem first = Lookahead(true);
    switch (first.tok) {
      case Token::kIdentifier:
      case Token::kComma: {
        StatusOr<std::set<std::string>> s = ParseIdentifiersList();
        if (!s.ok()) return s;
        if (Consume(true).tok != Token::kClosedPar) {
          return Status::BadRequest("found '" + first.literal +
                                    "', expected: ')'");
        }
        return s;
      }
      case Token::kClosedPar:
        Consume(true);
        return std::set<std::string>{""};
      default:
        return Status::BadRequest("found '" + first.literal +
                                  "', expected: ',', ')' or identifier");
    }
  }

  // Empty elements ("(a,,b)", "(,a)", "(a,)") stand for the empty value.
  StatusOr<std::set<std::string>> ParseIdentifiersList() {
    std::set<std::string> s;
    while (true) {
      ScannedItem item = Consume(true);
      if (item.tok == Token::kIdentifier) {
        s.insert(item.literal);
        ScannedItem next = Lookahead(true);
        if (next.tok == Token::kComma) continue;
        if (next.tok == Token::kClosedPar) return s;
        return Status::BadRequest("found '" + next.literal +
                                  "', expected: ',' or ')'");
      }
      if (item.tok == Token::kComma) {
        if (s.empty()) s.insert("");
        Token next = Lookahead(true).tok;
        if (next == Token::kClosedPar) {
          s.insert("");
          return s;
        }
        if (next == Token::kComma) s.insert("");
        continue;
      }
      return Status::BadRequest("found '" + item.literal +
                                "', expected: ',', or identifier");
    }
  }

  StatusOr<std::set<std::string>> ParseExactValue() {
    Token next = Lookahead(true).tok;
    if (next == Token::kEndOfString || next == Token::kComma) {
      return std::set<std::string>{""};
    }
    ScannedItem item = Consume(true);
    if (item.tok == Token::kIdentifier) {
      return std::set<std::string>{item.literal};
    }
    return Status::BadRequest("found '" + item.literal +
                              "', expected: identifier");
  }

  std::vector<ScannedItem> items_;
  size_t pos_ = 0;
};

bool HasValue(const LabelRequirement& r, const std::string& v) {
  return std::find(r.values.begin(), r.values.end(), v) != r.values.end();
}

std::string JsonText(const Json& v) {
  return v.IsString() ? std::string(v.GetString(), v.GetStringLength())
                      : ToJson(v);
}

}  // namespace

StatusOr<LabelRequirement> MakeLabelRequirement(
    std::string key, LabelOperator op, std::vector<std::string> values) {
  std::vector<std::string> errs = RequirementErrors(key, op, values);
  if (!errs.empty()) return Status::BadRequest(Aggregate(errs));
  return LabelRequirement{std::move(key), op, std::move(values)};
}

bool LabelRequirement::Matches(const Labels& labels) const {
  auto it = labels.find(key);
  bool exists = it != labels.end();
  switch (op) {
    case LabelOperator::kIn:
    case LabelOperator::kEquals:
    case LabelOperator::kDoubleEquals:
      return exists && HasValue(*this, it->second);
    case LabelOperator::kNotIn:
    case LabelOperator::kNotEquals:
      return !exists || !HasValue(*this, it->second);
    case LabelOperator::kExists:
      return exists;
    case LabelOperator::kDoesNotExist:
      return !exists;
    case LabelOperator::kGreaterThan:
    case LabelOperator::kLessThan: {
      if (!exists || values.size() != 1) return false;
      std::optional<int64_t> have = ParseInt64(it->second);
      std::optional<int64_t> want = ParseInt64(values[0]);
      if (!have || !want) return false;
      return op == LabelOperator::kGreaterThan ? *have > *want : *have < *want;
    }
  }
  return false;
}

std::string LabelRequirement::String() const {
  std::string out;
  if (op == LabelOperator::kDoesNotExist) out += "!";
  out += key;
  switch (op) {
    case LabelOperator::kExists:
    case LabelOperator::kDoesNotExist:
      return out;
    case LabelOperator::kEquals:
      out += "=";
      break;
    case LabelOperator::kDoubleEquals:
      out += "==";
      break;
    case LabelOperator::kNotEquals:
      out += "!=";
      break;
    case LabelOperator::kIn:
      out += " in (";
      break;
    case LabelOperator::kNotIn:
      out += " notin (";
      break;
    case LabelOperator::kGreaterThan:
      out += ">";
      break;
    case LabelOperator::kLessThan:
      out += "<";
      break;
  }
  std::vector<std::string> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  out += JoinStrings(sorted, ",");
  if (op == LabelOperator::kIn || op == LabelOperator::kNotIn) out += ")";
  return out;
}

LabelSelector::LabelSelector(std::vector<LabelRequirement> requirements)
    : requirements_(std::move(requirements)) {
  std::stable_sort(requirements_.begin(), requirements_.end(),
                   [](const LabelRequirement& a, const LabelRequirement& b) {
                     return a.key < b.key;
                   });
}

StatusOr<LabelSelector> LabelSelector::Parse(std::string_view text) {
  Parser parser(text);
  StatusOr<std::vector<LabelRequirement>> reqs = parser.Parse();
  if (!reqs.ok()) return reqs.status();
  return LabelSelector(std::move(reqs).value());
}

StatusOr<LabelSelector> LabelSelector::FromJson(const Json& label_selector) {
  if (label_selector.IsNull()) return Nothing();
  if (!label_selector.IsObject()) {
    return Status::BadRequest("label selector must be an object");
  }
  std::vector<LabelRequirement> reqs;
  if (const Json* match_labels = Member(label_selector, "matchLabels");
      match_labels && !match_labels->IsNull()) {
    if (!match_labels->IsObject()) {
      return Status::BadRequest("matchLabels must be an object");
    }
    for (const auto& m : match_labels->GetObject()) {
      if (!m.value.IsString()) {
        return Status::BadRequest("matchLabels values must be strings");
      }
      StatusOr<LabelRequirement> r = MakeLabelRequirement(
          JsonText(m.name), LabelOperator::kEquals, {JsonText(m.value)});
      if (!r.ok()) return r.status();
      reqs.push_back(std::move(r).value());
    }
  }
  if (const Json* exprs = Member(label_selector, "matchExpressions");
      exprs && !exprs->IsNull()) {
    if (!exprs->IsArray()) {
      return Status::BadRequest("matchExpressions must be a list");
    }
    for (const Json& e : exprs->GetArray()) {
      std::string op_text = GetString(e, {"operator"});
      LabelOperator op;
      if (op_text == "In") {
        op = LabelOperator::kIn;
      } else if (op_text == "NotIn") {
        op = LabelOperator::kNotIn;
      } else if (op_text == "Exists") {
        op = LabelOperator::kExists;
      } else if (op_text == "DoesNotExist") {
        op = LabelOperator::kDoesNotExist;
      } else {
        return Status::BadRequest(GoQuote(op_text) +
                                  " is not a valid label selector operator");
      }
      std::vector<std::string> values;
      if (const Json* vals = Member(e, "values"); vals && !vals->IsNull()) {
        if (!vals->IsArray()) {
          return Status::BadRequest("matchExpressions values must be a list");
        }
        for (const Json& v : vals->GetArray()) {
          if (!v.IsString()) {
            return Status::BadRequest(
                "matchExpressions values must be strings");
          }
          values.push_back(JsonText(v));
        }
      }
      StatusOr<LabelRequirement> r =
          MakeLabelRequirement(GetString(e, {"key"}), op, std::move(values));
      if (!r.ok()) return r.status();
      reqs.push_back(std::move(r).value());
    }
  }
  return LabelSelector(std::move(reqs));
}

LabelSelector LabelSelector::FromMap(const Labels& labels) {
  std::vector<LabelRequirement> reqs;
  for (const auto& [k, v] : labels) {
    reqs.push_back({k, LabelOperator::kEquals, {v}});
  }
  return LabelSelector(std::move(reqs));
}

LabelSelector LabelSelector::Nothing() {
  LabelSelector s;
  s.nothing_ = true;
  return s;
}

bool LabelSelector::Matches(const Labels& labels) const {
  if (nothing_) return false;
  for (const LabelRequirement& r : requirements_) {
    if (!r.Matches(labels)) return false;
  }
  return true;
}

std::string LabelSelector::String() const {
  std::string out;
  for (size_t i = 0; i < requirements_.size(); ++i) {
    if (i > 0) out += ",";
    out += requirements_[i].String();
  }
  return out;
}

}  // namespace berth::selector
