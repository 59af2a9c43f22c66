#include "csr_status.h"

#include "base64.h"

namespace berth::certificates {

namespace {

std::vector<std::string> Strings(const Json* list) {
  std::vector<std::string> out;
  if (list == nullptr || !list->IsArray()) return out;
  for (const Json& v : list->GetArray()) {
    if (v.IsString()) out.emplace_back(v.GetString(), v.GetStringLength());
  }
  return out;
}

}  // namespace

bool HasCondition(const Json& csr, const char* type) {
  const Json* conds = Find(csr, {"status", "conditions"});
  if (conds == nullptr || !conds->IsArray()) return false;
  for (const Json& c : conds->GetArray()) {
    if (GetString(c, {"type"}) == type && GetString(c, {"status"}) != "False") {
      return true;
    }
  }
  return false;
}

std::string ConditionSummary(const Json& csr) {
  std::string out = HasCondition(csr, "Denied")     ? "Denied"
                    : HasCondition(csr, "Approved") ? "Approved"
                                                    : "Pending";
  if (HasCondition(csr, "Failed")) out += ",Failed";
  if (!GetString(csr, {"status", "certificate"}).empty()) out += ",Issued";
  return out;
}

std::vector<std::string> Usages(const Json& csr) {
  return Strings(Find(csr, {"spec", "usages"}));
}

std::vector<std::string> Groups(const Json& csr) {
  return Strings(Find(csr, {"spec", "groups"}));
}

StatusOr<X509Request> RequestOf(const Json& csr) {
  std::optional<std::string> pem =
      core::Base64Decode(GetString(csr, {"spec", "request"}));
  if (!pem) return Status::Invalid("spec.request is not base64");
  return ParseX509Request(*pem);
}

}  // namespace berth::certificates
