#include "trigger_time_tracker.h"

#include "age.h"
#include "endpoint_pods.h"

namespace berth::core {
namespace {

// a after b, unparsable times counting as the zero time.
bool After(const std::string& a, const std::string& b) {
  auto ta = ParseTimestamp(a);
  if (!ta) return false;
  auto tb = ParseTimestamp(b);
  return !tb || *ta > *tb;
}

// The earlier of two times, "" (zero) standing for none.
std::string Min(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return After(a, b) ? b : a;
}

}  // namespace

std::string TriggerTimeTracker::Compute(const Json& service,
                                        const std::vector<const Json*>& pods) {
  const std::string key = GetString(service, {"metadata", "namespace"}) + "/" +
                          GetString(service, {"metadata", "name"});
  const std::string created =
      GetString(service, {"metadata", "creationTimestamp"});
  std::lock_guard<std::mutex> lock(mu_);
  auto it = states_.find(key);
  const bool known = it != states_.end();
  State& state = states_[key];
  std::string changed;
  std::map<std::string, std::string> now;
  for (const Json* pod : pods) {
    const std::string t = PodTriggerTime(*pod);
    if (t.empty() || !ParseTimestamp(t)) continue;
    const std::string name = GetString(*pod, {"metadata", "name"});
    now[name] = t;
    auto was = state.pods.find(name);
    if (was == state.pods.end() || After(t, was->second)) {
      changed = Min(changed, t);
    }
  }
  if (After(created, state.service)) changed = Min(changed, created);
  state.pods = std::move(now);
  state.service = created;
  return known ? changed : created;
}

void TriggerTimeTracker::Forget(const std::string& ns,
                                const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  states_.erase(ns + "/" + name);
}

}  // namespace berth::core
