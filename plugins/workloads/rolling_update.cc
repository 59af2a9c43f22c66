#include "rolling_update.h"

#include <algorithm>
#include <cmath>

namespace berth::workloads {

bool ParsePercent(const Json& value, int64_t* pct) {
  if (!value.IsString() || value.GetStringLength() < 2) return false;
  std::string s(value.GetString(), value.GetStringLength());
  if (s.back() != '%') return false;
  s.pop_back();
  if (s.size() > 9) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  *pct = std::stoll(s);
  return true;
}

StatusOr<int64_t> ScaledValue(const Json* value, int64_t total, bool round_up) {
  if (!value || value->IsNull()) return int64_t{0};
  if (value->IsInt64()) return value->GetInt64();
  int64_t pct = 0;
  if (!ParsePercent(*value, &pct)) {
    return Status::BadRequest(
        "invalid value for IntOrString: invalid type: string is not a "
        "percentage");
  }
  // Integer arithmetic keeps the rounding exact (25% of 10 is 2.5).
  const int64_t product = pct * total;
  return round_up ? (product + 99) / 100 : product / 100;
}

Fenceposts ResolveFenceposts(const Json* max_surge, const Json* max_unavailable,
                             int64_t desired) {
  Fenceposts f;
  auto surge = ScaledValue(max_surge, desired, true);
  auto unavailable = ScaledValue(max_unavailable, desired, false);
  f.max_surge = surge.ok() ? *surge : 0;
  f.max_unavailable = unavailable.ok() ? *unavailable : 0;
  if (f.max_surge == 0 && f.max_unavailable == 0) f.max_unavailable = 1;
  return f;
}

int64_t NewReplicaSetReplicas(int64_t desired, int64_t max_surge,
                              int64_t all_replicas, int64_t new_replicas) {
  const int64_t max_total = desired + max_surge;
  if (all_replicas >= max_total) return new_replicas;
  const int64_t scale_up =
      std::min(max_total - all_replicas, desired - new_replicas);
  return new_replicas + std::max<int64_t>(scale_up, 0);
}

int64_t MaxScaledDown(int64_t all_replicas, int64_t desired,
                      int64_t max_unavailable, int64_t new_unavailable) {
  const int64_t min_available = desired - max_unavailable;
  return all_replicas - min_available - new_unavailable;
}

int64_t ReplicaSetFraction(int64_t rs_replicas, int64_t desired,
                           int64_t allowed_total, int64_t annotated_max) {
  if (desired == 0) return -rs_replicas;
  if (annotated_max <= 0) return 0;
  const double size = static_cast<double>(rs_replicas * allowed_total) /
                      static_cast<double>(annotated_max);
  return static_cast<int64_t>(std::llround(size)) - rs_replicas;
}

}  // namespace berth::workloads
