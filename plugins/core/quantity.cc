#include "quantity.h"

#include <cmath>
#include <iterator>
#include <string>

namespace berth::core {

std::optional<long double> ParseQuantity(std::string_view s) {
  size_t pos = 0;
  bool negative = false;
  if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    negative = s[pos] == '-';
    ++pos;
  }
  long double mantissa = 0;
  long double scale = 1;
  bool seen_digit = false, seen_dot = false;
  for (; pos < s.size(); ++pos) {
    char c = s[pos];
    if (c >= '0' && c <= '9') {
      seen_digit = true;
      if (seen_dot) {
        scale /= 10;
        mantissa += (c - '0') * scale;
      } else {
        mantissa = mantissa * 10 + (c - '0');
      }
    } else if (c == '.' && !seen_dot) {
      seen_dot = true;
    } else {
      break;
    }
  }
  if (!seen_digit) return std::nullopt;
  std::string_view suffix = s.substr(pos);
  long double factor = 1;
  if (suffix.empty()) {
  } else if (suffix == "Ki") {
    factor = 1024.0L;
  } else if (suffix == "Mi") {
    factor = std::pow(1024.0L, 2);
  } else if (suffix == "Gi") {
    factor = std::pow(1024.0L, 3);
  } else if (suffix == "Ti") {
    factor = std::pow(1024.0L, 4);
  } else if (suffix == "Pi") {
    factor = std::pow(1024.0L, 5);
  } else if (suffix == "Ei") {
    factor = std::pow(1024.0L, 6);
  } else if (suffix == "n") {
    factor = 1e-9L;
  } else if (suffix == "u") {
    factor = 1e-6L;
  } else if (suffix == "m") {
    factor = 1e-3L;
  } else if (suffix == "k") {
    factor = 1e3L;
  } else if (suffix == "M") {
    factor = 1e6L;
  } else if (suffix == "G") {
    factor = 1e9L;
  } else if (suffix == "T") {
    factor = 1e12L;
  } else if (suffix == "P") {
    factor = 1e15L;
  } else if (suffix == "E") {
    factor = 1e18L;
  } else if (suffix[0] == 'e' || suffix[0] == 'E') {
    std::string_view exp = suffix.substr(1);
    size_t i = 0;
    bool exp_negative = false;
    if (i < exp.size() && (exp[i] == '+' || exp[i] == '-')) {
      exp_negative = exp[i] == '-';
      ++i;
    }
    if (i == exp.size()) return std::nullopt;
    int e = 0;
    for (; i < exp.size(); ++i) {
      if (exp[i] < '0' || exp[i] > '9' || e > 10000) return std::nullopt;
      e = e * 10 + (exp[i] - '0');
    }
    factor = std::pow(10.0L, exp_negative ? -e : e);
  } else {
    return std::nullopt;
  }
  long double v = mantissa * factor;
  return negative ? -v : v;
}

std::optional<long double> QuantityValue(const Json& v) {
  if (v.IsString()) {
    return ParseQuantity(std::string_view(v.GetString(), v.GetStringLength()));
  }
  if (v.IsNumber()) return static_cast<long double>(v.GetDouble());
  return std::nullopt;
}

std::string CanonicalQuantity(std::string_view text) {
  const std::string written(text);
  auto value = ParseQuantity(text);
  if (!value || text.find_first_of("eE") != std::string_view::npos) {
    return written;
  }
  long double v = *value;
  // Whole numbers that fit: beyond that the text is the better record.
  if (v != std::floor(v) || std::fabs(v) > 9.2e18L) return written;
  long long n = static_cast<long long>(v);
  const bool binary = text.size() >= 2 && text.back() == 'i';
  if (binary && (n >= 1024 || n <= -1024)) {
    static constexpr const char* kBinary[] = {"",   "Ki", "Mi", "Gi",
                                              "Ti", "Pi", "Ei"};
    size_t i = 0;
    while (i + 1 < std::size(kBinary) && n % 1024 == 0) {
      n /= 1024;
      ++i;
    }
    return std::to_string(n) + kBinary[i];
  }
  static constexpr const char* kDecimal[] = {"", "k", "M", "G", "T", "P", "E"};
  size_t i = 0;
  while (n != 0 && i + 1 < std::size(kDecimal) && n % 1000 == 0) {
    n /= 1000;
    ++i;
  }
  return std::to_string(n) + kDecimal[i];
}

}  // namespace berth::core
