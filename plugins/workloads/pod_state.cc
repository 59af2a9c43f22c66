#include "pod_state.h"

#include "age.h"
#include "validation.h"

namespace berth::workloads {
namespace {

using core::Str;

const Json* ReadyCondition(const Json& pod) {
  const Json* conds = Find(pod, {"status", "conditions"});
  if (!conds || !conds->IsArray()) return nullptr;
  for (const auto& c : conds->GetArray()) {
    if (Str(Member(c, "type")) == "Ready") return &c;
  }
  return nullptr;
}

int PhaseOrdinal(const std::string& phase) {
  if (phase == "Pending") return 0;
  if (phase == "Unknown") return 1;
  if (phase == "Running") return 2;
  return 3;
}

int64_t Restarts(const Json& pod) {
  int64_t max = 0;
  const Json* statuses = Find(pod, {"status", "containerStatuses"});
  if (!statuses || !statuses->IsArray()) return 0;
  for (const auto& cs : statuses->GetArray()) {
    max = std::max(max, GetInt(cs, {"restartCount"}));
  }
  return max;
}

std::optional<TimePoint> Created(const Json& pod) {
  return core::ParseTimestamp(
      Str(Find(pod, {"metadata", "creationTimestamp"})));
}

}  // namespace

bool IsPodActive(const Json& pod) {
  const std::string phase = Str(Find(pod, {"status", "phase"}));
  return phase != "Succeeded" && phase != "Failed" &&
         !Find(pod, {"metadata", "deletionTimestamp"});
}

bool IsPodReady(const Json& pod) {
  const Json* c = ReadyCondition(pod);
  return c && Str(Member(*c, "status")) == "True";
}

std::optional<TimePoint> ReadySince(const Json& pod) {
  const Json* c = ReadyCondition(pod);
  if (!c || Str(Member(*c, "status")) != "True") return std::nullopt;
  return core::ParseTimestamp(Str(Member(*c, "lastTransitionTime")));
}

bool IsPodAvailable(const Json& pod, int64_t min_ready_seconds, TimePoint now) {
  if (!IsPodReady(pod)) return false;
  if (min_ready_seconds <= 0) return true;
  auto since = ReadySince(pod);
  if (!since) return true;
  return *since + std::chrono::seconds(min_ready_seconds) <= now;
}

bool DeletesFirst(const Json& a, const Json& b) {
  const bool a_assigned = !Str(Find(a, {"spec", "nodeName"})).empty();
  const bool b_assigned = !Str(Find(b, {"spec", "nodeName"})).empty();
  if (a_assigned != b_assigned) return !a_assigned;
  const int a_phase = PhaseOrdinal(Str(Find(a, {"status", "phase"})));
  const int b_phase = PhaseOrdinal(Str(Find(b, {"status", "phase"})));
  if (a_phase != b_phase) return a_phase < b_phase;
  const bool a_ready = IsPodReady(a);
  const bool b_ready = IsPodReady(b);
  if (a_ready != b_ready) return !a_ready;
  if (a_ready && b_ready) {
    auto a_since = ReadySince(a);
    auto b_since = ReadySince(b);
    // Ready more recently: less proven, goes first.
    if (a_since && b_since && *a_since != *b_since) return *a_since > *b_since;
  }
  const int64_t a_restarts = Restarts(a);
  const int64_t b_restarts = Restarts(b);
  if (a_restarts != b_restarts) return a_restarts > b_restarts;
  auto a_created = Created(a);
  auto b_created = Created(b);
  if (a_created.has_value() != b_created.has_value()) return !a_created;
  if (a_created && b_created && *a_created != *b_created) {
    return *a_created > *b_created;
  }
  return false;
}

}  // namespace berth::workloads
