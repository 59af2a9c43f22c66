// ContinueToken: the opaque List continuation, base64url (unpadded) of
// "<revision>:<last returned key>". The next page starts after that key over
// the then-current state; the revision is informational.
//
// Thread safety: pure functions.
#ifndef BERTH_KERNEL_STORE_CONTINUE_TOKEN_H_
#define BERTH_KERNEL_STORE_CONTINUE_TOKEN_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "berth/status.h"

namespace berth::store {

struct ContinuePosition {
  uint64_t revision = 0;
  std::string last_key;
};

std::string EncodeContinueToken(uint64_t revision, std::string_view last_key);

// BadRequest when `token` is not one EncodeContinueToken produced for a list
// of `prefix`.
StatusOr<ContinuePosition> DecodeContinueToken(std::string_view token,
                                               std::string_view prefix);

}  // namespace berth::store

#endif  // BERTH_KERNEL_STORE_CONTINUE_TOKEN_H_
