#include "pod_template_hash.h"

#include <algorithm>
#include <vector>

namespace berth::workloads {
namespace {

constexpr std::string_view kAlphabet = "bcdfghjklmnpqrstvwxz2456789";

void Fnv(uint32_t& h, std::string_view bytes) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 16777619u;
  }
}

// Canonical JSON: object members sorted by name, so two equal templates
// hash equally whatever order their writers used.
void WriteSorted(const Json& v, std::string& out) {
  if (v.IsObject()) {
    std::vector<const Json::Member*> members;
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      members.push_back(&*it);
    }
    std::sort(members.begin(), members.end(), [](auto* a, auto* b) {
      return std::string_view(a->name.GetString(), a->name.GetStringLength()) <
             std::string_view(b->name.GetString(), b->name.GetStringLength());
    });
    out += '{';
    for (size_t i = 0; i < members.size(); ++i) {
      if (i) out += ',';
      out += ToJson(members[i]->name);
      out += ':';
      WriteSorted(members[i]->value, out);
    }
    out += '}';
  } else if (v.IsArray()) {
    out += '[';
    for (size_t i = 0; i < v.Size(); ++i) {
      if (i) out += ',';
      WriteSorted(v[static_cast<rapidjson::SizeType>(i)], out);
    }
    out += ']';
  } else {
    out += ToJson(v);
  }
}

// Go compares typed structs, where `"creationTimestamp": null`,
// `"resources": {}` and an absent member are the same zero value; JSON
// keeps them apart. Dropping nulls and empty objects and lists (deepest
// first) makes templates that Kubernetes calls equal compare equal.
bool DropZeroValues(Json& v) {
  if (v.IsObject()) {
    for (auto it = v.MemberBegin(); it != v.MemberEnd();) {
      if (DropZeroValues(it->value)) {
        it = v.EraseMember(it);
      } else {
        ++it;
      }
    }
    return v.MemberCount() == 0;
  }
  if (v.IsArray()) {
    for (auto& item : v.GetArray()) DropZeroValues(item);
    return v.Empty();
  }
  return v.IsNull();
}

void StripHash(Json& t) {
  if (Json* labels = Find(t, {"metadata", "labels"});
      labels && labels->IsObject()) {
    labels->RemoveMember(kPodTemplateHashLabel);
  }
}

}  // namespace

std::string SafeEncodeString(std::string_view s) {
  std::string out(s.size(), ' ');
  for (size_t i = 0; i < s.size(); ++i) {
    out[i] = kAlphabet[static_cast<unsigned char>(s[i]) % kAlphabet.size()];
  }
  return out;
}

std::string PodTemplateHash(const Json& pod_template,
                            std::optional<int64_t> collision_count) {
  uint32_t h = 2166136261u;
  JsonDoc normalized;
  normalized.CopyFrom(pod_template, normalized.GetAllocator());
  DropZeroValues(normalized);
  std::string canonical;
  WriteSorted(normalized, canonical);
  Fnv(h, canonical);
  if (collision_count) {
    const uint32_t c = static_cast<uint32_t>(*collision_count);
    const char bytes[4] = {static_cast<char>(c & 0xff),
                           static_cast<char>((c >> 8) & 0xff),
                           static_cast<char>((c >> 16) & 0xff),
                           static_cast<char>((c >> 24) & 0xff)};
    Fnv(h, std::string_view(bytes, 4));
  }
  return SafeEncodeString(std::to_string(h));
}

bool EqualIgnoreHash(const Json& a, const Json& b) {
  JsonDoc x, y;
  x.CopyFrom(a, x.GetAllocator());
  y.CopyFrom(b, y.GetAllocator());
  StripHash(x);
  StripHash(y);
  DropZeroValues(x);
  DropZeroValues(y);
  return x == y;
}

}  // namespace berth::workloads
