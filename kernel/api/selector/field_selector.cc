#include "kernel/api/selector/field_selector.h"

#include <algorithm>
#include <set>
#include <utility>

namespace berth::selector {
namespace {

// Splits on commas not escaped by a backslash.
std::vector<std::string> SplitTerms(std::string_view s) {
  std::vector<std::string> terms;
  if (s.empty()) return terms;
  size_t start = 0;
  bool in_slash = false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (in_slash) {
      in_slash = false;
    } else if (s[i] == '\\') {
      in_slash = true;
    } else if (s[i] == ',') {
      terms.emplace_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  terms.emplace_back(s.substr(start));
  return terms;
}

// The first operator found scanning left to right; at one position "!=" and
// "==" win over "=".
bool SplitTerm(std::string_view term, std::string* lhs, std::string* op,
               std::string* rhs) {
  static constexpr std::string_view kOperators[] = {"!=", "==", "="};
  for (size_t i = 0; i < term.size(); ++i) {
    std::string_view rest = term.substr(i);
    for (std::string_view o : kOperators) {
      if (rest.substr(0, o.size()) == o) {
        *lhs = std::string(term.substr(0, i));
        *op = std::string(o);
        *rhs = std::string(rest.substr(o.size()));
        return true;
      }
    }
  }
  return false;
}

StatusOr<std::string> UnescapeValue(std::string_view s) {
  if (s.find_first_of("\\,=") == std::string_view::npos) return std::string(s);
  std::string out;
  bool in_slash = false;
  for (char c : s) {
    if (in_slash) {
      if (c != '\\' && c != ',' && c != '=') {
        return Status::BadRequest(
            "invalid field selector: invalid escape sequence: \\" +
            std::string(1, c));
      }
      out += c;
      in_slash = false;
      continue;
    }
    if (c == '\\') {
      in_slash = true;
    } else if (c == ',' || c == '=') {
      // Go prints the rune as its code point here.
      return Status::BadRequest(
          "invalid field selector: unescaped character in value: " +
          std::to_string(static_cast<int>(c)));
    } else {
      out += c;
    }
  }
  if (in_slash) {
    return Status::BadRequest(
        "invalid field selector: invalid escape sequence: \\");
  }
  return out;
}

std::string EscapeValue(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == ',' || c == '=') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

StatusOr<FieldSelector> FieldSelector::Parse(std::string_view text) {
  std::vector<std::string> parts = SplitTerms(text);
  std::sort(parts.begin(), parts.end());
  FieldSelector sel;
  for (const std::string& part : parts) {
    if (part.empty()) continue;
    std::string lhs, op, rhs;
    if (!SplitTerm(part, &lhs, &op, &rhs)) {
      return Status::BadRequest("invalid selector: '" + std::string(text) +
                                "'; can't understand '" + part + "'");
    }
    StatusOr<std::string> value = UnescapeValue(rhs);
    if (!value.ok()) return value.status();
    sel.terms_.push_back(
        {std::move(lhs), op != "!=", std::move(value).value()});
  }
  return sel;
}

bool FieldSelector::Matches(const Fields& fields) const {
  static const std::string kAbsent;
  for (const FieldRequirement& t : terms_) {
    auto it = fields.find(t.field);
    const std::string& have = it == fields.end() ? kAbsent : it->second;
    if ((have == t.value) != t.equals) return false;
  }
  return true;
}

std::vector<std::string> FieldSelector::FieldNames() const {
  std::set<std::string> names;
  for (const FieldRequirement& t : terms_) names.insert(t.field);
  return {names.begin(), names.end()};
}

std::optional<std::string> FieldSelector::RequiresExactMatch(
    std::string_view field) const {
  for (const FieldRequirement& t : terms_) {
    if (t.equals && t.field == field) return t.value;
  }
  return std::nullopt;
}

std::string FieldSelector::String() const {
  std::string out;
  for (size_t i = 0; i < terms_.size(); ++i) {
    if (i > 0) out += ",";
    out += terms_[i].field + (terms_[i].equals ? "=" : "!=") +
           EscapeValue(terms_[i].value);
  }
  return out;
}

}  // namespace berth::selector
