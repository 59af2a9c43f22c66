#include "kernel/api/server/stamped_object.h"

#include <cstdio>
#include <random>

namespace berth::api {
namespace {

const std::string& Placeholder() {
  static const std::string kPlaceholder = [] {
    std::random_device rd;
    char buf[40];
    std::snprintf(buf, sizeof(buf), "berthrv%08x%08x", rd(), rd());
    return std::string(buf);
  }();
  return kPlaceholder;
}

}  // namespace

StampedObject StampedObject::Make(Json& obj, JsonAlloc& alloc) {
  Json& meta = EnsureObject(obj, "metadata", alloc);
  SetString(meta, "resourceVersion", Placeholder(), alloc);
  StampedObject s;
  s.encoded_ = ToJson(obj);
  size_t first = s.encoded_.find(Placeholder());
  if (first != std::string::npos &&
      s.encoded_.find(Placeholder(), first + 1) == std::string::npos) {
    s.offset_ = first;
  }
  return s;
}

std::string StampedObject::Stamp(uint64_t rev) const {
  std::string rv = std::to_string(rev);
  if (offset_ == std::string::npos) {
    // The nonce appeared twice (or never): re-encode to be safe.
    JsonDoc d;
    d.Parse(encoded_.data(), encoded_.size());
    return EncodeWithRevision(d, d.GetAllocator(), rev);
  }
  std::string out;
  out.reserve(encoded_.size());
  out.append(encoded_, 0, offset_);
  out.append(rv);
  out.append(encoded_, offset_ + Placeholder().size(), std::string::npos);
  return out;
}

std::string StampedObject::Unstamped() const {
  JsonDoc d;
  d.Parse(encoded_.data(), encoded_.size());
  if (Json* meta = Member(d, "metadata")) meta->RemoveMember("resourceVersion");
  return ToJson(d);
}

std::string EncodeWithRevision(Json& obj, JsonAlloc& alloc, uint64_t rev) {
  Json& meta = EnsureObject(obj, "metadata", alloc);
  SetString(meta, "resourceVersion", std::to_string(rev), alloc);
  return ToJson(obj);
}

}  // namespace berth::api
