#include "storage_fields.h"

#include <algorithm>

#include "quantity.h"
#include "validation.h"

namespace berth::storage {

using core::Str;

const std::vector<std::string>& SupportedAccessModes() {
  static const std::vector<std::string> kModes = {
      "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"};
  return kModes;
}

void ValidateAccessModes(const Json* modes, const std::string& path,
                         const std::string& required_detail,
                         std::vector<FieldCause>& causes) {
  if (!modes || !modes->IsArray() || modes->Empty()) {
    causes.push_back(field::Required(path, required_detail));
    return;
  }
  const auto& supported = SupportedAccessModes();
  bool found_rwop = false;
  for (const auto& m : modes->GetArray()) {
    const std::string mode = Str(&m);
    if (std::find(supported.begin(), supported.end(), mode) ==
        supported.end()) {
      causes.push_back(field::NotSupported(path, mode, supported));
    }
    if (mode == "ReadWriteOncePod") found_rwop = true;
  }
  if (found_rwop && modes->Size() > 1) {
    causes.push_back(field::Forbidden(
        path, "may not use ReadWriteOncePod with other access modes"));
  }
}

std::set<std::string> AccessModeSet(const Json* modes) {
  std::set<std::string> out;
  if (!modes || !modes->IsArray()) return out;
  for (const auto& m : modes->GetArray()) out.insert(Str(&m));
  return out;
}

std::string AccessModesString(const Json* modes) {
  const std::set<std::string> set = AccessModeSet(modes);
  std::string out;
  for (const auto& [mode, abbrev] :
       {std::pair{"ReadWriteOnce", "RWO"}, std::pair{"ReadOnlyMany", "ROX"},
        std::pair{"ReadWriteMany", "RWX"},
        std::pair{"ReadWriteOncePod", "RWOP"}}) {
    if (!set.count(mode)) continue;
    if (!out.empty()) out += ",";
    out += abbrev;
  }
  return out;
}

namespace {

std::string ClassOf(const Json& obj) {
  if (const Json* beta =
          Find(obj, {"metadata", "annotations", kBetaClassAnnotation});
      beta && beta->IsString()) {
    return beta->GetString();
  }
  return Str(Find(obj, {"spec", "storageClassName"}));
}

}  // namespace

std::string VolumeClass(const Json& pv) { return ClassOf(pv); }
std::string ClaimClass(const Json& pvc) { return ClassOf(pvc); }

bool IsDefaultClass(const Json& sc) {
  for (const char* key :
       {kDefaultClassAnnotation, kBetaDefaultClassAnnotation}) {
    if (Str(Find(sc, {"metadata", "annotations", key})) == "true") return true;
  }
  return false;
}

std::string VolumeModeOf(const Json& obj) {
  std::string mode = Str(Find(obj, {"spec", "volumeMode"}));
  return mode.empty() ? "Filesystem" : mode;
}

std::optional<long double> StorageSize(const Json* resources) {
  if (!resources || !resources->IsObject()) return std::nullopt;
  const Json* storage = Member(*resources, "storage");
  if (!storage) return std::nullopt;
  return core::QuantityValue(*storage);
}

bool SelectorMatches(const Json& selector, const Json* labels) {
  auto label = [&](const std::string& key) -> const Json* {
    if (!labels || !labels->IsObject()) return nullptr;
    return Member(*labels, key);
  };
  if (const Json* ml = Member(selector, "matchLabels"); ml && ml->IsObject()) {
    for (auto it = ml->MemberBegin(); it != ml->MemberEnd(); ++it) {
      const Json* have = label(it->name.GetString());
      if (!have || Str(have) != Str(&it->value)) return false;
    }
  }
  const Json* exprs = Member(selector, "matchExpressions");
  if (!exprs || !exprs->IsArray()) return true;
  for (const auto& e : exprs->GetArray()) {
    const std::string op = Str(Member(e, "operator"));
    const Json* have = label(Str(Member(e, "key")));
    bool in_values = false;
    if (const Json* values = Member(e, "values"); values && values->IsArray()) {
      for (const auto& v : values->GetArray()) {
        if (have && Str(have) == Str(&v)) in_values = true;
      }
    }
    if (op == "In" && !in_values) return false;
    if (op == "NotIn" && in_values) return false;
    if (op == "Exists" && !have) return false;
    if (op == "DoesNotExist" && have) return false;
  }
  return true;
}

}  // namespace berth::storage
