// BootstrapTokenAuthenticator: kube-apiserver's bootstrap token
// authenticator. A bearer token "<id>.<secret>" is accepted when Secret
// kube-system/bootstrap-token-<id> of type bootstrap.kubernetes.io/token
// holds that token-id and token-secret, says
// usage-bootstrap-authentication: "true", is not being deleted and has not
// passed its `expiration`. The user is system:bootstrap:<id> in groups
// system:bootstrappers plus the Secret's auth-extra-groups (each must start
// with "system:bootstrappers:", else the token is refused). Secrets are read
// from the shared secrets informer, so a request costs no store read; a
// well-formed token whose Secret the informer does not hold yet is read
// through `read_on_miss`, so a token works the moment `berth token create`
// returns (kube-apiserver reads its cache only, and a joining node may get
// 401 for a token a few milliseconds old).
//
// Thread safety: AuthenticateToken may run on many threads at once; the
// informer is thread-safe and the class keeps no other state.
#ifndef BERTH_PLUGINS_CERTIFICATES_BOOTSTRAP_TOKEN_AUTHENTICATOR_H_
#define BERTH_PLUGINS_CERTIFICATES_BOOTSTRAP_TOKEN_AUTHENTICATOR_H_

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "berth/authentication.h"
#include "berth/informer.h"
#include "berth/json.h"

namespace berth::certificates {

using Now = std::function<std::chrono::system_clock::time_point()>;
// Reads Secret `name` in `ns` (its JSON) past the informer.
using ReadSecret = std::function<StatusOr<std::string>(
    const std::string& ns, const std::string& name)>;

// The parts of "<id>.<secret>" ([a-z0-9]{6} "." [a-z0-9]{16}); nullopt when
// `token` is not of that form.
struct TokenParts {
  std::string id;
  std::string secret;
};
std::optional<TokenParts> ParseToken(std::string_view token);

// Who `token` authenticates as against `secret` (a Secret JSON), at `now`;
// nullopt when the Secret does not accept it (see the class comment).
std::optional<UserInfo> UserForToken(const TokenParts& token,
                                     const Json& secret,
                                     std::chrono::system_clock::time_point now);

class BootstrapTokenAuthenticator : public Authenticator {
 public:
  // `secrets` is the secrets informer; it must outlive this object.
  // `read_on_miss` may be empty (the informer only).
  BootstrapTokenAuthenticator(const Informer& secrets, ReadSecret read_on_miss,
                              Now now = std::chrono::system_clock::now)
      : secrets_(secrets),
        read_on_miss_(std::move(read_on_miss)),
        now_(std::move(now)) {}

  std::string Name() const override { return "bootstrap-token"; }
  std::optional<UserInfo> AuthenticateToken(
      std::string_view token) const override;

 private:
  const Informer& secrets_;
  ReadSecret read_on_miss_;
  Now now_;
};

}  // namespace berth::certificates

#endif  // BERTH_PLUGINS_CERTIFICATES_BOOTSTRAP_TOKEN_AUTHENTICATOR_H_
