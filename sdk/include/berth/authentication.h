// Authentication: a plugin's bearer-token authenticator, as kube-apiserver's
// token authenticator chain (bootstrap tokens, webhook tokens...). The
// kernel authenticates a request with its own client certificates and static
// tokens first; only a bearer token none of those knows is offered to the
// plugin authenticators, in registration order, and the first that claims it
// decides. A token nobody claims is answered 401 Unauthorized.
//
// Thread safety: AuthenticateToken is called from many request threads at
// once and must be safe for that.
#ifndef BERTH_SDK_AUTHENTICATION_H_
#define BERTH_SDK_AUTHENTICATION_H_

#include <optional>
#include <string>
#include <string_view>

#include "berth/admission.h"

namespace berth {

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // Stable name for logs: "bootstrap-token".
  virtual std::string Name() const = 0;
  // The user `token` (the bearer token, without "Bearer ") belongs to, or
  // nullopt when this authenticator does not accept it (unknown, expired,
  // malformed). The kernel adds system:authenticated to the groups. Must
  // not block for long: it runs on the request path.
  virtual std::optional<UserInfo> AuthenticateToken(
      std::string_view token) const = 0;
};

}  // namespace berth

#endif  // BERTH_SDK_AUTHENTICATION_H_
