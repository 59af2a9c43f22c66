// JSON values as Berth passes them between kernel and plugins: RapidJSON
// documents, plus small inline helpers to read and write nested fields.
// Objects cross module boundaries either as a `Json&` to mutate in place
// (defaulting) or as serialized bytes (client calls).
//
// Thread safety: a document is not synchronized; one thread at a time.
#ifndef BERTH_SDK_JSON_H_
#define BERTH_SDK_JSON_H_

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "berth/status.h"

namespace berth {

using Json = rapidjson::Value;
using JsonDoc = rapidjson::Document;
using JsonAlloc = rapidjson::Document::AllocatorType;

// Compact serialization of any value.
inline std::string ToJson(const Json& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

// Parses text into a document. On failure returns BadRequest naming the
// byte offset and the parser's reason.
inline StatusOr<JsonDoc> ParseJson(std::string_view text) {
  JsonDoc d;
  d.Parse(text.data(), text.size());
  if (d.HasParseError()) {
    return Status::BadRequest("invalid JSON at offset " +
                              std::to_string(d.GetErrorOffset()));
  }
  return d;
}

// The member `key` of an object, or nullptr when v is not an object or the
// member is absent.
inline const Json* Member(const Json& v, std::string_view key) {
  if (!v.IsObject()) return nullptr;
  auto it = v.FindMember(rapidjson::StringRef(key.data(), key.size()));
  return it == v.MemberEnd() ? nullptr : &it->value;
}
inline Json* Member(Json& v, std::string_view key) {
  if (!v.IsObject()) return nullptr;
  auto it = v.FindMember(rapidjson::StringRef(key.data(), key.size()));
  return it == v.MemberEnd() ? nullptr : &it->value;
}

// Follows a path of member names; nullptr where any step is missing.
inline const Json* Find(const Json& v,
                        std::initializer_list<std::string_view> path) {
  const Json* cur = &v;
  for (auto key : path) {
    cur = Member(*cur, key);
    if (!cur) return nullptr;
  }
  return cur;
}
inline Json* Find(Json& v, std::initializer_list<std::string_view> path) {
  Json* cur = &v;
  for (auto key : path) {
    cur = Member(*cur, key);
    if (!cur) return nullptr;
  }
  return cur;
}

// The string at path, or `fallback` when missing or not a string.
inline std::string GetString(const Json& v,
                             std::initializer_list<std::string_view> path,
                             std::string fallback = "") {
  const Json* f = Find(v, path);
  if (!f || !f->IsString()) return fallback;
  return std::string(f->GetString(), f->GetStringLength());
}

// The integer at path, or `fallback` when missing or not an integer.
inline int64_t GetInt(const Json& v,
                      std::initializer_list<std::string_view> path,
                      int64_t fallback = 0) {
  const Json* f = Find(v, path);
  if (!f || !f->IsInt64()) return fallback;
  return f->GetInt64();
}

// The object member `key` of v, created as {} when absent or not an object.
// v must be an object.
inline Json& EnsureObject(Json& v, std::string_view key, JsonAlloc& a) {
  Json* m = Member(v, key);
  if (m) {
    if (!m->IsObject()) m->SetObject();
    return *m;
  }
  v.AddMember(Json(key.data(), static_cast<rapidjson::SizeType>(key.size()), a),
              Json(rapidjson::kObjectType), a);
  return (v.MemberEnd() - 1)->value;
}

// Sets member `key` of object v to `value` (copied), replacing any old value.
inline void SetMember(Json& v, std::string_view key, Json value, JsonAlloc& a) {
  Json* m = Member(v, key);
  if (m) {
    *m = std::move(value);
    return;
  }
  v.AddMember(Json(key.data(), static_cast<rapidjson::SizeType>(key.size()), a),
              std::move(value), a);
}
inline void SetString(Json& v, std::string_view key, std::string_view s,
                      JsonAlloc& a) {
  SetMember(v, key,
            Json(s.data(), static_cast<rapidjson::SizeType>(s.size()), a), a);
}
// Sets the member only when it is absent (the defaulting idiom).
inline bool SetDefault(Json& v, std::string_view key, Json value,
                       JsonAlloc& a) {
  if (Member(v, key)) return false;
  v.AddMember(Json(key.data(), static_cast<rapidjson::SizeType>(key.size()), a),
              std::move(value), a);
  return true;
}
inline bool SetDefaultString(Json& v, std::string_view key, std::string_view s,
                             JsonAlloc& a) {
  return SetDefault(
      v, key, Json(s.data(), static_cast<rapidjson::SizeType>(s.size()), a), a);
}

}  // namespace berth

#endif  // BERTH_SDK_JSON_H_
