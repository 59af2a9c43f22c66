#include "volume_matching.h"

#include <algorithm>
#include <exception>
#include <map>
#include <optional>
#include <string>

#include "storage_fields.h"
#include "validation.h"

namespace berth::storage {
namespace {

using core::Str;

std::optional<long double> RequestedSize(const Json& pvc) {
  return StorageSize(Find(pvc, {"spec", "resources", "requests"}));
}

std::optional<long double> CapacityOf(const Json& pv) {
  return StorageSize(Find(pv, {"spec", "capacity"}));
}

bool HasAllModes(const Json& pv, const Json& pvc) {
  const auto have = AccessModeSet(Find(pv, {"spec", "accessModes"}));
  for (const auto& m : AccessModeSet(Find(pvc, {"spec", "accessModes"}))) {
    if (!have.count(m)) return false;
  }
  return true;
}

}  // namespace

std::string VolumeMismatch(const Json& pv, const Json& pvc) {
  if (Find(pv, {"metadata", "deletionTimestamp"})) {
    return "the volume is marked for deletion \"" +
           Str(Find(pv, {"metadata", "name"})) + "\"";
  }
  if (CapacityOf(pv).value_or(0) < RequestedSize(pvc).value_or(0)) {
    return "requested PV is too small";
  }
  if (VolumeClass(pv) != ClaimClass(pvc)) {
    return "storageClassName does not match";
  }
  if (VolumeModeOf(pv) != VolumeModeOf(pvc)) return "incompatible volumeMode";
  if (!HasAllModes(pv, pvc)) return "incompatible accessMode";
  return "";
}

bool IsVolumeBoundToClaim(const Json& pv, const Json& pvc) {
  const Json* ref = Find(pv, {"spec", "claimRef"});
  if (!ref || !ref->IsObject()) return false;
  if (Str(Member(*ref, "name")) != Str(Find(pvc, {"metadata", "name"})) ||
      Str(Member(*ref, "namespace")) !=
          Str(Find(pvc, {"metadata", "namespace"}))) {
    return false;
  }
  const std::string uid = Str(Member(*ref, "uid"));
  return uid.empty() || uid == Str(Find(pvc, {"metadata", "uid"}));
}

namespace {

bool RequirementMatches(const Json& req, const std::string* value) {
  const std::string op = Str(Member(req, "operator"));
  const Json* values = Member(req, "values");
  auto in_values = [&] {
    if (!value || !values || !values->IsArray()) return false;
    for (const auto& v : values->GetArray()) {
      if (Str(&v) == *value) return true;
    }
    return false;
  };
  if (op == "In") return in_values();
  if (op == "NotIn") return !in_values();
  if (op == "Exists") return value != nullptr;
  if (op == "DoesNotExist") return value == nullptr;
  if (op == "Gt" || op == "Lt") {
    if (!value || !values || !values->IsArray() || values->Size() != 1) {
      return false;
    }
    try {
      const long long have = std::stoll(*value);
      const long long bound = std::stoll(Str(&(*values)[0]));
      return op == "Gt" ? have > bound : have < bound;
    } catch (const std::exception&) {
      return false;
    }
  }
  return false;
}

bool TermMatches(const Json& term, const Json& node) {
  const Json* labels = Find(node, {"metadata", "labels"});
  bool any = false;
  if (const Json* exprs = Member(term, "matchExpressions");
      exprs && exprs->IsArray()) {
    for (const auto& e : exprs->GetArray()) {
      any = true;
      const Json* v = labels && labels->IsObject()
                          ? Member(*labels, Str(Member(e, "key")))
                          : nullptr;
      std::string value = v ? Str(v) : "";
      if (!RequirementMatches(e, v ? &value : nullptr)) return false;
    }
  }
  if (const Json* fields = Member(term, "matchFields");
      fields && fields->IsArray()) {
    for (const auto& f : fields->GetArray()) {
      any = true;
      std::string name = Str(Find(node, {"metadata", "name"}));
      const bool known = Str(Member(f, "key")) == "metadata.name";
      if (!RequirementMatches(f, known ? &name : nullptr)) return false;
    }
  }
  // An empty term matches nothing, as in Kubernetes.
  return any;
}

}  // namespace

bool VolumeNodeAffinityMatches(const Json& pv, const Json& node) {
  const Json* terms =
      Find(pv, {"spec", "nodeAffinity", "required", "nodeSelectorTerms"});
  if (!terms || !terms->IsArray()) return true;
  for (const auto& term : terms->GetArray()) {
    if (TermMatches(term, node)) return true;
  }
  return false;
}

const Json* FindBestVolume(const Json& pvc,
                           const std::vector<const Json*>& volumes,
                           bool delay_binding, const Json* node) {
  const long double requested = RequestedSize(pvc).value_or(0);
  const std::string claim_class = ClaimClass(pvc);
  const Json* selector = Find(pvc, {"spec", "selector"});
  // findBestMatchForClaim walks the access-mode sets that contain the
  // claim's, fewest modes first, and takes the smallest volume of the first
  // set that has one.
  std::map<size_t, std::pair<const Json*, long double>> best_by_modes;
  for (const Json* pv : volumes) {
    const auto capacity = CapacityOf(*pv);
    if (!capacity || *capacity < requested) continue;
    if (VolumeModeOf(*pv) != VolumeModeOf(pvc)) continue;
    if (Find(*pv, {"metadata", "deletionTimestamp"})) continue;
    if (!HasAllModes(*pv, pvc)) continue;
    if (node && !VolumeNodeAffinityMatches(*pv, *node)) continue;
    if (IsVolumeBoundToClaim(*pv, pvc)) return pv;
    if (delay_binding) continue;
    if (Str(Find(*pv, {"status", "phase"})) != "Available") continue;
    if (Find(*pv, {"spec", "claimRef"})) continue;
    if (selector && selector->IsObject() &&
        !SelectorMatches(*selector, Find(*pv, {"metadata", "labels"}))) {
      continue;
    }
    if (VolumeClass(*pv) != claim_class) continue;
    const size_t modes =
        AccessModeSet(Find(*pv, {"spec", "accessModes"})).size();
    auto it = best_by_modes.find(modes);
    if (it == best_by_modes.end() || *capacity < it->second.second) {
      best_by_modes[modes] = {pv, *capacity};
    }
  }
  if (best_by_modes.empty()) return nullptr;
  return best_by_modes.begin()->second.first;
}

}  // namespace berth::storage
