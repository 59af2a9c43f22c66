#include "timestamps.h"

#include <cstdio>
#include <ctime>

namespace berth::kubelet {

std::string FormatTime(TimePoint t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(
      std::chrono::floor<std::chrono::seconds>(t));
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string FormatMicroTime(TimePoint t) {
  auto whole = std::chrono::floor<std::chrono::seconds>(t);
  auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(t - whole).count();
  std::string s = FormatTime(whole);
  char frac[32];
  std::snprintf(frac, sizeof(frac), ".%06lldZ", static_cast<long long>(micros));
  s.pop_back();  // 'Z'
  return s + frac;
}

std::optional<TimePoint> ParseTime(std::string_view s) {
  std::tm tm{};
  int frac_digits = 0;
  long long frac = 0;
  if (s.size() < 20 || s.back() != 'Z') return std::nullopt;
  std::string text(s);
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year,
                  &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                  &tm.tm_sec) != 6) {
    return std::nullopt;
  }
  if (text[19] == '.') {
    for (size_t i = 20; i + 1 < text.size() && frac_digits < 9; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      frac = frac * 10 + (text[i] - '0');
      ++frac_digits;
    }
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  std::time_t secs = timegm(&tm);
  TimePoint t = std::chrono::system_clock::from_time_t(secs);
  for (int i = frac_digits; i < 9; ++i) frac *= 10;
  return t + std::chrono::duration_cast<TimePoint::duration>(
                 std::chrono::nanoseconds(frac));
}

}  // namespace berth::kubelet
