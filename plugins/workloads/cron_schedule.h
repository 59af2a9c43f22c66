// CronSchedule: a parsed standard cron schedule as CronJob.spec.schedule
// takes it (robfig/cron's standard parser, which Kubernetes uses): five
// fields (minute, hour, day of month, month, day of week) with `*`, `?`,
// ranges `a-b`, steps `*/n` `a-b/n` `a/n`, lists `a,b`, month and weekday
// names (JAN, MON...), and the descriptors @yearly, @annually, @monthly,
// @weekly, @daily, @midnight and @hourly. Times are computed in a time
// zone: UTC, or an IANA zone read from the system's zoneinfo files.
//
// Thread safety: immutable after Parse; const methods are safe concurrently.
#ifndef BERTH_PLUGINS_WORKLOADS_CRON_SCHEDULE_H_
#define BERTH_PLUGINS_WORKLOADS_CRON_SCHEDULE_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "berth/status.h"

namespace berth::workloads {

class CronSchedule {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  // Parses `spec` evaluated in `time_zone` ("" means UTC). On a bad spec,
  // BadRequest with robfig's wording ("expected exactly 5 fields, found 3:
  // [...]", "end of range (70) above maximum (59): 0-70"); on an unknown
  // zone, NotFound naming it.
  static StatusOr<CronSchedule> Parse(std::string_view spec,
                                      std::string_view time_zone = "");

  // The first activation strictly after `after`, at whole minutes; nullopt
  // when none falls in the next five years (e.g. "0 0 30 2 *").
  std::optional<TimePoint> Next(TimePoint after) const;

 private:
  // Seconds east of UTC at UTC time `utc_seconds`.
  int64_t OffsetAt(int64_t utc_seconds) const;

  uint64_t minutes_ = 0, hours_ = 0, days_ = 0, months_ = 0, weekdays_ = 0;
  bool day_star_ = false, weekday_star_ = false;
  // Zone transitions (UTC seconds, offset after it), sorted; empty is UTC.
  std::vector<std::pair<int64_t, int64_t>> transitions_;
  int64_t initial_offset_ = 0;
};

}  // namespace berth::workloads

#endif  // BERTH_PLUGINS_WORKLOADS_CRON_SCHEDULE_H_
