#include "node_lifecycle_settings.h"

#include "berth/json.h"

namespace berth::core {
namespace {

Status ReadDuration(const Json& doc, const char* key,
                    std::chrono::milliseconds& out) {
  const Json* v = Member(doc, key);
  if (!v) return Status::Ok();
  std::optional<std::chrono::milliseconds> d;
  if (v->IsString()) d = ParseGoDuration(v->GetString());
  if (!d || *d <= std::chrono::milliseconds::zero()) {
    return Status::Invalid(std::string(key) +
                           ": must be a positive duration such as \"50s\"");
  }
  out = *d;
  return Status::Ok();
}

Status ReadSeconds(const Json& doc, const char* key, int64_t& out) {
  const Json* v = Member(doc, key);
  if (!v) return Status::Ok();
  if (!v->IsInt64() || v->GetInt64() < 0) {
    return Status::Invalid(std::string(key) +
                           ": must be an integer number of seconds >= 0");
  }
  out = v->GetInt64();
  return Status::Ok();
}

}  // namespace

std::optional<std::chrono::milliseconds> ParseGoDuration(std::string_view s) {
  if (s == "0") return std::chrono::milliseconds::zero();
  if (s.empty()) return std::nullopt;
  double total_ms = 0;
  while (!s.empty()) {
    size_t i = 0;
    double value = 0;
    bool digits = false;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      value = value * 10 + (s[i++] - '0');
      digits = true;
    }
    if (i < s.size() && s[i] == '.') {
      double scale = 0.1;
      ++i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        value += (s[i++] - '0') * scale;
        scale /= 10;
        digits = true;
      }
    }
    if (!digits) return std::nullopt;
    size_t unit_end = i;
    while (unit_end < s.size() && (s[unit_end] < '0' || s[unit_end] > '9') &&
           s[unit_end] != '.') {
      ++unit_end;
    }
    std::string_view unit = s.substr(i, unit_end - i);
    double ms_per_unit;
    if (unit == "ms") {
      ms_per_unit = 1;
    } else if (unit == "s") {
      ms_per_unit = 1000;
    } else if (unit == "m") {
      ms_per_unit = 60000;
    } else if (unit == "h") {
      ms_per_unit = 3600000;
    } else {
      return std::nullopt;
    }
    total_ms += value * ms_per_unit;
    s = s.substr(unit_end);
  }
  return std::chrono::milliseconds(static_cast<int64_t>(total_ms));
}

StatusOr<NodeLifecycleSettings> ParseNodeLifecycleSettings(
    const std::string& settings_json) {
  NodeLifecycleSettings out;
  auto doc = ParseJson(settings_json.empty() ? "{}" : settings_json);
  if (!doc.ok()) return Status::Invalid("settings: " + doc.status().message());
  if (!doc->IsObject()) return Status::Invalid("settings: must be an object");
  for (auto [key, field] :
       {std::pair{"nodeMonitorGracePeriod", &out.grace_period},
        std::pair{"nodeStartupGracePeriod", &out.startup_grace_period},
        std::pair{"nodeMonitorPeriod", &out.monitor_period}}) {
    if (Status s = ReadDuration(*doc, key, *field); !s.ok()) return s;
  }
  for (auto [key, field] : {std::pair{"defaultNotReadyTolerationSeconds",
                                      &out.not_ready_toleration_seconds},
                            std::pair{"defaultUnreachableTolerationSeconds",
                                      &out.unreachable_toleration_seconds}}) {
    if (Status s = ReadSeconds(*doc, key, *field); !s.ok()) return s;
  }
  return out;
}

}  // namespace berth::core
