#include "json_util.h"

namespace berth::runtime {

std::vector<std::string> GetStrings(const Json& v, std::string_view key) {
  std::vector<std::string> out;
  const Json* a = Member(v, key);
  if (!a || !a->IsArray()) return out;
  for (const auto& e : a->GetArray()) {
    if (e.IsString()) out.emplace_back(e.GetString(), e.GetStringLength());
  }
  return out;
}

std::map<std::string, std::string> GetStringMap(const Json& v,
                                                std::string_view key) {
  std::map<std::string, std::string> out;
  const Json* o = Member(v, key);
  if (!o || !o->IsObject()) return out;
  for (const auto& m : o->GetObject()) {
    if (m.value.IsString()) {
      out[m.name.GetString()] =
          std::string(m.value.GetString(), m.value.GetStringLength());
    }
  }
  return out;
}

bool GetBool(const Json& v, std::string_view key, bool fallback) {
  const Json* b = Member(v, key);
  return b && b->IsBool() ? b->GetBool() : fallback;
}

Json MakeString(std::string_view s, JsonAlloc& a) {
  return Json(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
}

Json MakeStrings(const std::vector<std::string>& values, JsonAlloc& a) {
  Json arr(rapidjson::kArrayType);
  for (const auto& s : values) arr.PushBack(MakeString(s, a), a);
  return arr;
}

Json MakeStringMap(const std::map<std::string, std::string>& values,
                   JsonAlloc& a) {
  Json obj(rapidjson::kObjectType);
  for (const auto& [k, v] : values) {
    obj.AddMember(MakeString(k, a), MakeString(v, a), a);
  }
  return obj;
}

}  // namespace berth::runtime
