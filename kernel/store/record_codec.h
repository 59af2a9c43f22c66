// RecordCodec: how the store lays its state out in LevelDB. Object `k` lives
// under "o" + k as varint64 create_revision, varint64 mod_revision, then the
// data bytes; the store revision lives under kRevisionKey as a varint64 and is
// rewritten in every batch, so the revision of a delete survives a restart.
//
// Thread safety: pure functions.
#ifndef BERTH_KERNEL_STORE_RECORD_CODEC_H_
#define BERTH_KERNEL_STORE_RECORD_CODEC_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace berth::store {

inline constexpr std::string_view kObjectKeyPrefix = "o";
inline constexpr std::string_view kRevisionKey = "mrev";

struct DecodedRecord {
  uint64_t create_revision = 0;
  uint64_t mod_revision = 0;
  std::string_view data;  // points into the encoded value
};

std::string ObjectRecordKey(std::string_view key);

std::string EncodeObjectRecord(uint64_t create_revision, uint64_t mod_revision,
                               std::string_view data);
// False when `value` is truncated or its varints are malformed.
bool DecodeObjectRecord(std::string_view value, DecodedRecord* out);

std::string EncodeRevision(uint64_t revision);
// False unless `value` is exactly one well-formed varint64.
bool DecodeRevision(std::string_view value, uint64_t* revision);

}  // namespace berth::store

#endif  // BERTH_KERNEL_STORE_RECORD_CODEC_H_
