// StampedObject: an object serialized once, outside the store's write lock,
// with a placeholder where metadata.resourceVersion goes; Stamp(rev) splices
// the revision in under the lock, so the lock never covers a JSON encode.
// The placeholder holds a per-process random nonce, so request data cannot
// forge it; if it is found more than once, Stamp re-encodes instead.
//
// Thread safety: immutable after Make; Stamp is const.
#ifndef BERTH_KERNEL_API_SERVER_STAMPED_OBJECT_H_
#define BERTH_KERNEL_API_SERVER_STAMPED_OBJECT_H_

#include <cstdint>
#include <string>

#include "berth/json.h"

namespace berth::api {

class StampedObject {
 public:
  // Sets obj.metadata.resourceVersion to the placeholder and encodes obj.
  static StampedObject Make(Json& obj, JsonAlloc& alloc);
  // The encoded object with `rev` as its resourceVersion.
  std::string Stamp(uint64_t rev) const;
  // The encoded object with the placeholder removed (dry-run replies).
  std::string Unstamped() const;

 private:
  std::string encoded_;
  size_t offset_ = std::string::npos;  // of the placeholder, quotes excluded
};

// Sets metadata.resourceVersion of obj to `rev` and encodes it.
std::string EncodeWithRevision(Json& obj, JsonAlloc& alloc, uint64_t rev);

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_STAMPED_OBJECT_H_
