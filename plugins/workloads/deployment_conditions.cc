#include "deployment_conditions.h"

#include "validation.h"

namespace berth::workloads {

using core::Str;

const Json* GetCondition(const Json& status, const std::string& type) {
  const Json* conds = Member(status, "conditions");
  if (!conds || !conds->IsArray()) return nullptr;
  for (const auto& c : conds->GetArray()) {
    if (Str(Member(c, "type")) == type) return &c;
  }
  return nullptr;
}

bool RemoveCondition(Json& status, const std::string& type) {
  Json* conds = Member(status, "conditions");
  if (!conds || !conds->IsArray()) return false;
  for (auto it = conds->Begin(); it != conds->End(); ++it) {
    if (Str(Member(*it, "type")) == type) {
      conds->Erase(it);
      return true;
    }
  }
  return false;
}

bool SetCondition(Json& status, const std::string& type,
                  const std::string& cond_status, const std::string& reason,
                  const std::string& message, const std::string& now,
                  JsonAlloc& a) {
  std::string transition = now;
  if (const Json* cur = GetCondition(status, type)) {
    const std::string cur_status = Str(Member(*cur, "status"));
    if (cur_status == cond_status && Str(Member(*cur, "reason")) == reason) {
      return false;
    }
    if (cur_status == cond_status) {
      transition = Str(Member(*cur, "lastTransitionTime"));
    }
    RemoveCondition(status, type);
  }
  Json c(rapidjson::kObjectType);
  SetString(c, "type", type, a);
  SetString(c, "status", cond_status, a);
  SetString(c, "lastUpdateTime", now, a);
  SetString(c, "lastTransitionTime", transition, a);
  SetString(c, "reason", reason, a);
  SetString(c, "message", message, a);
  Json* conds = Member(status, "conditions");
  if (!conds || !conds->IsArray()) {
    SetMember(status, "conditions", Json(rapidjson::kArrayType), a);
    conds = Member(status, "conditions");
  }
  conds->PushBack(std::move(c), a);
  return true;
}

}  // namespace berth::workloads
