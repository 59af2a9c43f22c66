#include "lazy_token_key.h"

#include <utility>

namespace berth::auth {

StatusOr<const TokenKey*> LazyTokenKey::Get() const {
  std::call_once(once_, [this] {
    if (key_) return;
    if (path_.empty()) {
      error_ = Status::Internal("no service account key");
      return;
    }
    auto key = TokenKey::LoadOrCreate(path_);
    if (!key.ok()) {
      error_ = key.status();
      return;
    }
    key_ = std::make_shared<const TokenKey>(std::move(*key));
  });
  if (!key_) return error_;
  return key_.get();
}

}  // namespace berth::auth
