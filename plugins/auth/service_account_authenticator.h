// ServiceAccountAuthenticator: kube-apiserver's service account token
// authenticator. A bearer token that is an RS256 JWT signed by the cluster's
// service account key, from the cluster's issuer, for the API audience and
// not expired authenticates as system:serviceaccount:<ns>:<name> in groups
// system:serviceaccounts and system:serviceaccounts:<ns> (the kernel adds
// system:authenticated) — but only while its ServiceAccount exists with the
// uid the token names, and, for a token bound to a pod (or a secret or a
// node),
// while that object exists with its uid and is not being deleted, as
// kube-apiserver's validator checks. Anything else is not claimed (the request
// gets 401).
//
// Thread safety: AuthenticateToken may run on many threads at once; the key
// is made once (LazyTokenKey) and then immutable and the lookups go through
// a thread-safe client.
#ifndef BERTH_PLUGINS_AUTH_SERVICE_ACCOUNT_AUTHENTICATOR_H_
#define BERTH_PLUGINS_AUTH_SERVICE_ACCOUNT_AUTHENTICATOR_H_

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "berth/authentication.h"
#include "berth/client.h"
#include "lazy_token_key.h"
#include "service_account_token.h"

namespace berth::auth {

using Now = std::function<std::chrono::system_clock::time_point()>;

class ServiceAccountAuthenticator : public Authenticator {
 public:
  // `client` must outlive this object; `key` is shared with whatever issues
  // the tokens (the TokenRequest handler).
  ServiceAccountAuthenticator(std::shared_ptr<const LazyTokenKey> key,
                              std::string issuer,
                              std::vector<std::string> audiences,
                              Client& client,
                              Now now = std::chrono::system_clock::now)
      : key_(std::move(key)),
        issuer_(std::move(issuer)),
        audiences_(std::move(audiences)),
        client_(client),
        now_(std::move(now)) {}
  // As above with a key already made.
  ServiceAccountAuthenticator(std::shared_ptr<const TokenKey> key,
                              std::string issuer,
                              std::vector<std::string> audiences,
                              Client& client,
                              Now now = std::chrono::system_clock::now)
      : ServiceAccountAuthenticator(
            std::make_shared<const LazyTokenKey>(std::move(key)),
            std::move(issuer), std::move(audiences), client, std::move(now)) {}

  std::string Name() const override { return "service-account-token"; }
  std::optional<UserInfo> AuthenticateToken(
      std::string_view token) const override;

 private:
  // Whether `resource` ns/name exists with `uid` and is not being deleted.
  bool Alive(const ResourceRef& resource, const std::string& ns,
             const std::string& name, const std::string& uid) const;

  std::shared_ptr<const LazyTokenKey> key_;
  std::string issuer_;
  std::vector<std::string> audiences_;
  Client& client_;
  Now now_;
};

}  // namespace berth::auth

#endif  // BERTH_PLUGINS_AUTH_SERVICE_ACCOUNT_AUTHENTICATOR_H_
