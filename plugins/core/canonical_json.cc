#include "canonical_json.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace berth::core {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Write(const Json& v, Writer& w) {
  if (v.IsObject()) {
    std::vector<const Json::Member*> members;
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      members.push_back(&*it);
    }
    std::sort(members.begin(), members.end(), [](auto* a, auto* b) {
      return std::strcmp(a->name.GetString(), b->name.GetString()) < 0;
    });
    w.StartObject();
    for (const auto* m : members) {
      w.Key(m->name.GetString(), m->name.GetStringLength());
      Write(m->value, w);
    }
    w.EndObject();
  } else if (v.IsArray()) {
    w.StartArray();
    for (const auto& e : v.GetArray()) Write(e, w);
    w.EndArray();
  } else {
    v.Accept(w);
  }
}

}  // namespace

std::string CanonicalJson(const Json& value) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  Write(value, w);
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace berth::core
