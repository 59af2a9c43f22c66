#include "volume_matching.h"

#include <algorithm>
#include <map>
#include <optional>

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

const Json* FindBestVolume(const Json& pvc,
                           const std::vector<const Json*>& volumes,
                           bool delay_binding) {
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
