#include "cron_schedule.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>
#include <sstream>

namespace berth::workloads {
namespace {

struct Bounds {
  int min, max;
  const char* const* names;  // indexed from `min`, or nullptr
  int name_count;
};

constexpr const char* kMonthNames[] = {"jan", "feb", "mar", "apr",
                                       "may", "jun", "jul", "aug",
                                       "sep", "oct", "nov", "dec"};
constexpr const char* kDayNames[] = {"sun", "mon", "tue", "wed",
                                     "thu", "fri", "sat"};
constexpr Bounds kMinute{0, 59, nullptr, 0}, kHour{0, 23, nullptr, 0},
    kDom{1, 31, nullptr, 0}, kMonth{1, 12, kMonthNames, 12},
    kDow{0, 6, kDayNames, 7};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(c));
  return out;
}

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

StatusOr<int> ParseValue(const std::string& expr, const Bounds& b) {
  if (b.names) {
    const std::string low = Lower(expr);
    for (int i = 0; i < b.name_count; ++i) {
      if (low == b.names[i]) return b.min + i;
    }
  }
  if (expr.empty() ||
      !std::all_of(expr.begin(), expr.end(),
                   [](char c) { return std::isdigit(c); }) ||
      expr.size() > 9) {
    return Status::BadRequest("failed to parse int from " + expr);
  }
  return std::stoi(expr);
}

// One comma-separated part of a field: "*", "a", "a-b", with "/step".
Status ParseRange(const std::string& expr, const Bounds& b, uint64_t& bits,
                  bool& star) {
  auto range_step = Split(expr, '/');
  if (range_step.size() > 2) {
    return Status::BadRequest("too many slashes: " + expr);
  }
  auto low_high = Split(range_step[0], '-');
  int start, end;
  bool single = false;
  if (low_high[0] == "*" || low_high[0] == "?") {
    start = b.min;
    end = b.max;
    star = true;
  } else {
    auto s = ParseValue(low_high[0], b);
    if (!s.ok()) return s.status();
    start = *s;
    if (low_high.size() == 1) {
      end = start;
      single = true;
    } else if (low_high.size() == 2) {
      auto e = ParseValue(low_high[1], b);
      if (!e.ok()) return e.status();
      end = *e;
    } else {
      return Status::BadRequest("too many hyphens: " + expr);
    }
  }
  int step = 1;
  if (range_step.size() == 2) {
    auto st = ParseValue(range_step[1], b);
    if (!st.ok()) return st.status();
    step = *st;
    // "N/step" means N through the maximum.
    if (single) end = b.max;
    if (step > 1) star = false;
  }
  if (start < b.min) {
    return Status::BadRequest("beginning of range (" + std::to_string(start) +
                              ") below minimum (" + std::to_string(b.min) +
                              "): " + expr);
  }
  if (end > b.max) {
    return Status::BadRequest("end of range (" + std::to_string(end) +
                              ") above maximum (" + std::to_string(b.max) +
                              "): " + expr);
  }
  if (start > end) {
    return Status::BadRequest("beginning of range (" + std::to_string(start) +
                              ") beyond end of range (" + std::to_string(end) +
                              "): " + expr);
  }
  if (step == 0) {
    return Status::BadRequest("step of range should be a positive number: " +
                              expr);
  }
  for (int i = start; i <= end; i += step) bits |= uint64_t{1} << i;
  return {};
}

Status ParseField(const std::string& field, const Bounds& b, uint64_t& bits,
                  bool* star_out = nullptr) {
  bool star = false;
  for (const auto& part : Split(field, ',')) {
    bool part_star = false;
    if (Status s = ParseRange(part, b, bits, part_star); !s.ok()) return s;
    star = star || part_star;
  }
  if (star_out) *star_out = star;
  return {};
}

uint32_t ReadBe32(const std::string& d, size_t at) {
  return (uint32_t{static_cast<unsigned char>(d[at])} << 24) |
         (uint32_t{static_cast<unsigned char>(d[at + 1])} << 16) |
         (uint32_t{static_cast<unsigned char>(d[at + 2])} << 8) |
         uint32_t{static_cast<unsigned char>(d[at + 3])};
}

// Civil-time helpers over "local seconds" (seconds since the epoch as if
// local time were UTC).
using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

}  // namespace

StatusOr<CronSchedule> CronSchedule::Parse(std::string_view spec_in,
                                           std::string_view time_zone) {
  std::string spec(spec_in);
  static const std::pair<const char*, const char*> kDescriptors[] = {
      {"@yearly", "0 0 1 1 *"},  {"@annually", "0 0 1 1 *"},
      {"@monthly", "0 0 1 * *"}, {"@weekly", "0 0 * * 0"},
      {"@daily", "0 0 * * *"},   {"@midnight", "0 0 * * *"},
      {"@hourly", "0 * * * *"}};
  if (!spec.empty() && spec[0] == '@') {
    bool found = false;
    for (const auto& [name, expansion] : kDescriptors) {
      if (spec == name) {
        spec = expansion;
        found = true;
      }
    }
    if (!found) {
      return Status::BadRequest("unrecognized descriptor: " + spec);
    }
  }
  std::istringstream in(spec);
  std::vector<std::string> fields{std::istream_iterator<std::string>(in),
                                  std::istream_iterator<std::string>()};
  if (fields.size() != 5) {
    std::string list;
    for (const auto& f : fields) list += (list.empty() ? "" : " ") + f;
    return Status::BadRequest("expected exactly 5 fields, found " +
                              std::to_string(fields.size()) + ": [" + list +
                              "]");
  }
  CronSchedule c;
  if (Status s = ParseField(fields[0], kMinute, c.minutes_); !s.ok()) return s;
  if (Status s = ParseField(fields[1], kHour, c.hours_); !s.ok()) return s;
  if (Status s = ParseField(fields[2], kDom, c.days_, &c.day_star_); !s.ok())
    return s;
  if (Status s = ParseField(fields[3], kMonth, c.months_); !s.ok()) return s;
  // Day of week 7 is Sunday too.
  Bounds dow = kDow;
  dow.max = 7;
  if (Status s = ParseField(fields[4], dow, c.weekdays_, &c.weekday_star_);
      !s.ok()) {
    return s;
  }
  if (c.weekdays_ & (uint64_t{1} << 7)) c.weekdays_ |= 1;

  if (!time_zone.empty() && time_zone != "UTC" && time_zone != "Etc/UTC") {
    const std::string name(time_zone);
    if (name.find("..") != std::string::npos || name[0] == '/') {
      return Status::NotFound("unknown time zone " + name);
    }
    std::ifstream f("/usr/share/zoneinfo/" + name, std::ios::binary);
    std::string d((std::istreambuf_iterator<char>(f)),
                  std::istreambuf_iterator<char>());
    if (d.size() < 44 || d.compare(0, 4, "TZif") != 0) {
      return Status::NotFound("unknown time zone " + name);
    }
    // Version 2+ files repeat the data with 64-bit times after the
    // version 1 block; read that one when present.
    size_t at = 0;
    int time_size = 4;
    auto counts = [&](size_t h, uint32_t* out) {
      for (int i = 0; i < 6; ++i) out[i] = ReadBe32(d, h + 20 + 4 * i);
    };
    uint32_t n[6];
    counts(0, n);
    if (d[4] >= '2') {
      const size_t v1 =
          44 + n[3] * 5 + n[4] * 6 + n[5] + n[2] * 8 + n[1] + n[0];
      if (d.size() < v1 + 44) {
        return Status::NotFound("unknown time zone " + name);
      }
      at = v1;
      time_size = 8;
      counts(at, n);
    }
    const uint32_t timecnt = n[3], typecnt = n[4];
    const size_t times = at + 44, idx = times + timecnt * time_size,
                 types = idx + timecnt;
    if (typecnt == 0 || d.size() < types + typecnt * 6) {
      return Status::NotFound("unknown time zone " + name);
    }
    auto offset_of = [&](size_t type) {
      return static_cast<int64_t>(
          static_cast<int32_t>(ReadBe32(d, types + type * 6)));
    };
    c.initial_offset_ = offset_of(0);
    for (uint32_t i = 0; i < timecnt; ++i) {
      int64_t t;
      if (time_size == 8) {
        t = static_cast<int64_t>((uint64_t{ReadBe32(d, times + i * 8)} << 32) |
                                 ReadBe32(d, times + i * 8 + 4));
      } else {
        t = static_cast<int32_t>(ReadBe32(d, times + i * 4));
      }
      const size_t type = static_cast<unsigned char>(d[idx + i]);
      if (type >= typecnt) continue;
      c.transitions_.emplace_back(t, offset_of(type));
    }
  }
  return c;
}

int64_t CronSchedule::OffsetAt(int64_t utc) const {
  auto it =
      std::upper_bound(transitions_.begin(), transitions_.end(), utc,
                       [](int64_t t, const std::pair<int64_t, int64_t>& p) {
                         return t < p.first;
                       });
  if (it == transitions_.begin()) return initial_offset_;
  return std::prev(it)->second;
}

std::optional<CronSchedule::TimePoint> CronSchedule::Next(
    TimePoint after) const {
  using std::chrono::duration_cast;
  using std::chrono::seconds;
  const int64_t after_utc =
      duration_cast<seconds>(after.time_since_epoch()).count();
  // Search in local civil time, whole minutes after `after`.
  int64_t t = after_utc + OffsetAt(after_utc);
  t = (t / 60 + 1) * 60;
  if (t < 0) return std::nullopt;
  const auto limit_year =
      year_month_day(sys_days(days(t / 86400))).year() + std::chrono::years(5);
  auto bit = [](uint64_t bits, unsigned v) { return (bits >> v) & 1; };
  while (true) {
    const sys_days day(days(t / 86400));
    const year_month_day ymd(day);
    if (ymd.year() > limit_year) return std::nullopt;
    const int64_t day_start = t - t % 86400;
    if (!bit(months_, unsigned(ymd.month()))) {
      const auto next = ymd.year() / ymd.month() / 1 + std::chrono::months(1);
      t = int64_t{sys_days(next).time_since_epoch().count()} * 86400;
      continue;
    }
    const bool dom = bit(days_, unsigned(ymd.day()));
    const bool dow = bit(weekdays_, std::chrono::weekday(day).c_encoding());
    const bool day_ok = (day_star_ || weekday_star_) ? dom && dow : dom || dow;
    if (!day_ok) {
      t = day_start + 86400;
      continue;
    }
    const int64_t secs = t - day_start;
    if (!bit(hours_, unsigned(secs / 3600))) {
      t = t - t % 3600 + 3600;
      continue;
    }
    if (!bit(minutes_, unsigned(secs / 60 % 60))) {
      t += 60;
      continue;
    }
    // Back to UTC with the offset in force at that local time.
    int64_t utc = t - OffsetAt(t - OffsetAt(t));
    if (utc <= after_utc) {
      t += 60;
      continue;
    }
    return TimePoint(seconds(utc));
  }
}

}  // namespace berth::workloads
