#include "logs/cri_log.h"

#include <time.h>

#include <cstdio>

namespace berth::node {
namespace {

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
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

std::optional<int64_t> ParseRfc3339(std::string_view s) {
  int year, mon, day, hour, min, sec;
  if (!Digits(s, 0, 4, &year) || s.size() < 20 || s[4] != '-' ||
      !Digits(s, 5, 2, &mon) || s[7] != '-' || !Digits(s, 8, 2, &day) ||
      (s[10] != 'T' && s[10] != 't') || !Digits(s, 11, 2, &hour) ||
      s[13] != ':' || !Digits(s, 14, 2, &min) || s[16] != ':' ||
      !Digits(s, 17, 2, &sec)) {
    return std::nullopt;
  }
  size_t pos = 19;
  int64_t nanos = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 9) nanos = nanos * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (int i = digits; i < 9; ++i) nanos *= 10;
  }
  int64_t offset = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    if (!Digits(s, pos + 1, 2, &oh) || pos + 3 >= s.size() ||
        s[pos + 3] != ':' || !Digits(s, pos + 4, 2, &om)) {
      return std::nullopt;
    }
    offset = (oh * 3600 + om * 60) * (s[pos] == '+' ? 1 : -1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  tm t{};
  t.tm_year = year - 1900;
  t.tm_mon = mon - 1;
  t.tm_mday = day;
  t.tm_hour = hour;
  t.tm_min = min;
  t.tm_sec = sec;
  const int64_t secs = static_cast<int64_t>(timegm(&t)) - offset;
  return secs * 1000000000 + nanos;
}

std::string FormatRfc3339Nano(int64_t time_ns) {
  int64_t secs = time_ns / 1000000000;
  int64_t nanos = time_ns % 1000000000;
  if (nanos < 0) {
    nanos += 1000000000;
    --secs;
  }
  const time_t tt = static_cast<time_t>(secs);
  tm utc;
  gmtime_r(&tt, &utc);
  char buf[64];
  strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &utc);
  std::string out = buf;
  if (nanos != 0) {
    char frac[16];
    std::snprintf(frac, sizeof frac, ".%09lld", static_cast<long long>(nanos));
    std::string f = frac;
    while (f.back() == '0') f.pop_back();
    out += f;
  }
  return out + "Z";
}

std::optional<CriLogRecord> ParseCriLogLine(std::string_view line) {
  const size_t t_end = line.find(' ');
  if (t_end == std::string_view::npos) return std::nullopt;
  auto time_ns = ParseRfc3339(line.substr(0, t_end));
  if (!time_ns) return std::nullopt;
  const size_t s_end = line.find(' ', t_end + 1);
  if (s_end == std::string_view::npos) return std::nullopt;
  std::string_view stream = line.substr(t_end + 1, s_end - t_end - 1);
  if (stream != "stdout" && stream != "stderr") return std::nullopt;
  CriLogRecord r;
  r.time_ns = *time_ns;
  r.stream = std::string(stream);
  // The tag field; old runtimes wrote none, then the rest is the text.
  std::string_view rest = line.substr(s_end + 1);
  const size_t tag_end = rest.find(' ');
  std::string_view tag =
      tag_end == std::string_view::npos ? rest : rest.substr(0, tag_end);
  if (tag == "P" || tag == "F") {
    r.partial = tag == "P";
    r.text = tag_end == std::string_view::npos
                 ? ""
                 : std::string(rest.substr(tag_end + 1));
  } else {
    r.text = std::string(rest);
  }
  return r;
}

std::string FormatCriLogLine(int64_t time_ns, std::string_view stream,
                             bool partial, std::string_view text) {
  std::string out = FormatRfc3339Nano(time_ns);
  out += ' ';
  out += stream;
  out += partial ? " P " : " F ";
  out += text;
  out += '\n';
  return out;
}

}  // namespace berth::node
