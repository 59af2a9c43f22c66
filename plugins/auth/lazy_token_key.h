// LazyTokenKey: the cluster's service account signing key, read from (or
// made at) its file the first time a token needs it, and then shared by
// everything that signs or verifies tokens in this process (the
// authenticator and the TokenRequest handler), so they never hold two
// different keys. Making an RSA key takes a server's start-up several
// times over, and no token exists before the first one is asked for.
//
// Thread safety: Get may be called from many threads at once; the key is
// loaded once (std::call_once) and immutable afterwards.
#ifndef BERTH_PLUGINS_AUTH_LAZY_TOKEN_KEY_H_
#define BERTH_PLUGINS_AUTH_LAZY_TOKEN_KEY_H_

#include <memory>
#include <mutex>
#include <string>

#include "service_account_token.h"

namespace berth::auth {

class LazyTokenKey {
 public:
  // The key at `path` (TokenKey::LoadOrCreate).
  explicit LazyTokenKey(std::string path) : path_(std::move(path)) {}
  // A key already made (tests).
  explicit LazyTokenKey(std::shared_ptr<const TokenKey> key)
      : key_(std::move(key)) {}

  // The key (owned by this object), or the Internal error that kept it
  // from being read or made; no token is then issued or accepted, and the
  // file is not tried again.
  StatusOr<const TokenKey*> Get() const;

 private:
  mutable std::once_flag once_;
  mutable std::shared_ptr<const TokenKey> key_;
  mutable Status error_;
  std::string path_;  // "" when the key was given
};

}  // namespace berth::auth

#endif  // BERTH_PLUGINS_AUTH_LAZY_TOKEN_KEY_H_
