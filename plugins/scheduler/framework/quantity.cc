#include "quantity.h"

#include <cmath>
#include <string>

namespace berth::scheduler {
namespace {

// The quantity as a long double in base units.
std::optional<long double> Parse(std::string_view text) {
  if (text.empty()) return std::nullopt;
  size_t i = 0;
  if (text[i] == '+' || text[i] == '-') ++i;
  size_t digits = i;
  while (i < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
    ++i;
  if (i == digits) return std::nullopt;
  long double number = 0;
  try {
    number = std::stold(std::string(text.substr(0, i)));
  } catch (...) {
    return std::nullopt;
  }
  std::string_view suffix = text.substr(i);
  static const struct {
    std::string_view s;
    long double m;
  } kSuffixes[] = {
      {"", 1},
      {"n", 1e-9L},
      {"u", 1e-6L},
      {"m", 1e-3L},
      {"k", 1e3L},
      {"M", 1e6L},
      {"G", 1e9L},
      {"T", 1e12L},
      {"P", 1e15L},
      {"E", 1e18L},
      {"Ki", 1024.0L},
      {"Mi", 1048576.0L},
      {"Gi", 1073741824.0L},
      {"Ti", 1099511627776.0L},
      {"Pi", 1125899906842624.0L},
      {"Ei", 1152921504606846976.0L},
  };
  for (const auto& s : kSuffixes) {
    if (s.s == suffix) return number * s.m;
  }
  if (suffix[0] == 'e' || suffix[0] == 'E') {
    try {
      size_t used = 0;
      std::string exp(suffix.substr(1));
      long e = std::stol(exp, &used);
      if (used != exp.size()) return std::nullopt;
      return number * std::pow(10.0L, static_cast<long double>(e));
    } catch (...) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::optional<int64_t> RoundUp(std::optional<long double> v) {
  if (!v) return std::nullopt;
  // Tolerate the binary representation error of decimal fractions.
  return static_cast<int64_t>(std::ceil(*v - 1e-9L));
}

}  // namespace

std::optional<int64_t> ParseMilli(std::string_view text) {
  auto v = Parse(text);
  if (!v) return std::nullopt;
  return RoundUp(*v * 1000);
}

std::optional<int64_t> ParseValue(std::string_view text) {
  return RoundUp(Parse(text));
}

std::optional<int64_t> MilliOf(const Json& v) {
  if (v.IsString()) return ParseMilli({v.GetString(), v.GetStringLength()});
  if (v.IsNumber()) return RoundUp(v.GetDouble() * 1000);
  return std::nullopt;
}

std::optional<int64_t> ValueOf(const Json& v) {
  if (v.IsString()) return ParseValue({v.GetString(), v.GetStringLength()});
  if (v.IsNumber()) return RoundUp(v.GetDouble());
  return std::nullopt;
}

}  // namespace berth::scheduler
