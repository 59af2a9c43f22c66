#include "taint_eviction.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <string>

#include "age.h"
#include "node_health.h"
#include "validation.h"

namespace berth::core {

bool ToleratesTaint(const Json& toleration, const Json& taint) {
  const std::string effect = Str(Member(toleration, "effect"));
  if (!effect.empty() && effect != Str(Member(taint, "effect"))) return false;
  const std::string key = Str(Member(toleration, "key"));
  if (!key.empty() && key != Str(Member(taint, "key"))) return false;
  const std::string op = Str(Member(toleration, "operator"));
  if (op == "Exists") return true;
  if (op.empty() || op == "Equal") {
    return Str(Member(toleration, "value")) == Str(Member(taint, "value"));
  }
  return false;
}

EvictionDecision DecideEviction(const Json& pod, const Json* taints,
                                std::chrono::system_clock::time_point now) {
  using Action = EvictionDecision::Action;
  if (!taints || !taints->IsArray()) return {};
  const Json* tolerations = Find(pod, {"spec", "tolerations"});
  // getMinTolerationTime over the first toleration matching each taint:
  // any <= 0 is "now"; none with seconds is "forever".
  int64_t min_seconds = std::numeric_limits<int64_t>::max();
  bool any_taint = false;
  std::optional<std::chrono::system_clock::time_point> since;
  for (const auto& taint : taints->GetArray()) {
    if (Str(Member(taint, "effect")) != "NoExecute") continue;
    any_taint = true;
    const Json* used = nullptr;
    if (tolerations && tolerations->IsArray()) {
      for (const auto& t : tolerations->GetArray()) {
        if (ToleratesTaint(t, taint)) {
          used = &t;
          break;
        }
      }
    }
    if (!used) return {Action::kEvictNow, {}};
    if (const Json* s = Member(*used, "tolerationSeconds"); s && s->IsInt64()) {
      min_seconds = std::min(min_seconds, s->GetInt64());
    }
    if (const Json* added = Member(taint, "timeAdded");
        added && added->IsString()) {
      auto t = ParseTimestamp(added->GetString());
      if (t && (!since || *t < *since)) since = t;
    }
  }
  if (!any_taint || min_seconds == std::numeric_limits<int64_t>::max()) {
    return {};
  }
  if (min_seconds <= 0) return {Action::kEvictNow, {}};
  auto deadline = since.value_or(now) + std::chrono::seconds(min_seconds);
  if (deadline <= now) return {Action::kEvictNow, {}};
  return {Action::kEvictLater,
          std::chrono::ceil<std::chrono::milliseconds>(deadline - now)};
}

bool AddDefaultTolerations(Json& pod, int64_t not_ready_seconds,
                           int64_t unreachable_seconds, JsonAlloc& a) {
  Json& spec = EnsureObject(pod, "spec", a);
  bool has_not_ready = false, has_unreachable = false;
  if (const Json* tols = Member(spec, "tolerations"); tols && tols->IsArray()) {
    for (const auto& t : tols->GetArray()) {
      const std::string key = Str(Member(t, "key"));
      const std::string effect = Str(Member(t, "effect"));
      if (!effect.empty() && effect != "NoExecute") continue;
      if (key.empty() || key == kTaintNotReady) has_not_ready = true;
      if (key.empty() || key == kTaintUnreachable) has_unreachable = true;
    }
  }
  if (has_not_ready && has_unreachable) return false;
  Json* tols = Member(spec, "tolerations");
  if (!tols || !tols->IsArray()) {
    SetMember(spec, "tolerations", Json(rapidjson::kArrayType), a);
    tols = Member(spec, "tolerations");
  }
  auto add = [&](const char* key, int64_t seconds) {
    Json t(rapidjson::kObjectType);
    SetString(t, "key", key, a);
    SetString(t, "operator", "Exists", a);
    SetString(t, "effect", "NoExecute", a);
    SetMember(t, "tolerationSeconds", Json(seconds), a);
    tols->PushBack(t, a);
  };
  if (!has_not_ready) add(kTaintNotReady, not_ready_seconds);
  if (!has_unreachable) add(kTaintUnreachable, unreachable_seconds);
  return true;
}

}  // namespace berth::core
