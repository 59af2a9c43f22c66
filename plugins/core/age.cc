#include "age.h"

#include <cstdlib>
#include <ctime>

namespace berth::core {
namespace {

bool ReadDigits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

std::string FormatTimestamp(std::chrono::system_clock::time_point t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::optional<std::chrono::system_clock::time_point> ParseTimestamp(
    std::string_view s) {
  int year, mon, day, hour, min, sec;
  if (!ReadDigits(s, 0, 4, &year) || s.size() < 19 || s[4] != '-' ||
      !ReadDigits(s, 5, 2, &mon) || s[7] != '-' || !ReadDigits(s, 8, 2, &day) ||
      (s[10] != 'T' && s[10] != 't') || !ReadDigits(s, 11, 2, &hour) ||
      s[13] != ':' || !ReadDigits(s, 14, 2, &min) || s[16] != ':' ||
      !ReadDigits(s, 17, 2, &sec)) {
    return std::nullopt;
  }
  size_t pos = 19;
  std::chrono::nanoseconds frac{0};
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int64_t scale = 100000000;
    size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      frac += std::chrono::nanoseconds((s[pos] - '0') * scale);
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  int offset_minutes = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    if (!ReadDigits(s, pos + 1, 2, &oh) || pos + 3 >= s.size() ||
        s[pos + 3] != ':' || !ReadDigits(s, pos + 4, 2, &om)) {
      return std::nullopt;
    }
    offset_minutes = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = mon - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = min;
  tm.tm_sec = sec;
  time_t t = timegm(&tm);
  auto tp =
      std::chrono::system_clock::from_time_t(t) +
      std::chrono::duration_cast<std::chrono::system_clock::duration>(frac) -
      std::chrono::minutes(offset_minutes);
  return tp;
}

std::string HumanDuration(std::chrono::system_clock::duration d) {
  using std::to_string;
  const int64_t seconds =
      std::chrono::duration_cast<std::chrono::seconds>(d).count();
  // One second of clock skew between machines still reads as "now".
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60 * 2) return to_string(seconds) + "s";
  const int64_t minutes = seconds / 60;
  if (minutes < 10) {
    const int64_t s = seconds % 60;
    if (s == 0) return to_string(minutes) + "m";
    return to_string(minutes) + "m" + to_string(s) + "s";
  }
  if (minutes < 60 * 3) return to_string(minutes) + "m";
  const int64_t hours = minutes / 60;
  if (hours < 8) {
    const int64_t m = minutes % 60;
    if (m == 0) return to_string(hours) + "h";
    return to_string(hours) + "h" + to_string(m) + "m";
  }
  if (hours < 48) return to_string(hours) + "h";
  if (hours < 24 * 8) {
    const int64_t h = hours % 24;
    if (h == 0) return to_string(hours / 24) + "d";
    return to_string(hours / 24) + "d" + to_string(h) + "h";
  }
  if (hours < 24 * 365 * 2) return to_string(hours / 24) + "d";
  if (hours < 24 * 365 * 8) {
    const int64_t dy = (hours / 24) % 365;
    if (dy == 0) return to_string(hours / 24 / 365) + "y";
    return to_string(hours / 24 / 365) + "y" + to_string(dy) + "d";
  }
  return to_string(hours / 24 / 365) + "y";
}

std::string AgeSince(const Json* timestamp,
                     std::chrono::system_clock::time_point now) {
  if (!timestamp || !timestamp->IsString()) return "<unknown>";
  auto tp = ParseTimestamp(
      std::string_view(timestamp->GetString(), timestamp->GetStringLength()));
  if (!tp) return "<unknown>";
  return HumanDuration(now - *tp);
}

}  // namespace berth::core
