#include "kernel/store/record_codec.h"

namespace berth::store {
namespace {

void PutVarint64(std::string* dst, uint64_t v) {
  while (v >= 0x80) {
    dst->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  dst->push_back(static_cast<char>(v));
}

bool GetVarint64(std::string_view* in, uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0; shift <= 63 && !in->empty(); shift += 7) {
    const auto byte = static_cast<unsigned char>(in->front());
    in->remove_prefix(1);
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *v = result;
      return true;
    }
  }
  return false;
}

}  // namespace

std::string ObjectRecordKey(std::string_view key) {
  std::string out;
  out.reserve(kObjectKeyPrefix.size() + key.size());
  out.append(kObjectKeyPrefix);
  out.append(key);
  return out;
}

std::string EncodeObjectRecord(uint64_t create_revision, uint64_t mod_revision,
                               std::string_view data) {
  std::string out;
  out.reserve(20 + data.size());
  PutVarint64(&out, create_revision);
  PutVarint64(&out, mod_revision);
  out.append(data);
  return out;
}

bool DecodeObjectRecord(std::string_view value, DecodedRecord* out) {
  if (!GetVarint64(&value, &out->create_revision) ||
      !GetVarint64(&value, &out->mod_revision)) {
    return false;
  }
  out->data = value;
  return true;
}

std::string EncodeRevision(uint64_t revision) {
  std::string out;
  PutVarint64(&out, revision);
  return out;
}

bool DecodeRevision(std::string_view value, uint64_t* revision) {
  return GetVarint64(&value, revision) && value.empty();
}

}  // namespace berth::store
