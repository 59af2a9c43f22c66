// TokenRequestHandler: serviceaccounts/token, kube-apiserver's TokenRequest
// API. A POST of an authentication.k8s.io/v1 TokenRequest for the
// ServiceAccount NS/NAME answers with the same TokenRequest carrying a
// signed token (status.token) and its expiry (status.expirationTimestamp);
// nothing is stored. As kube-apiserver does: spec.audiences default to the
// API server's, spec.expirationSeconds to 3600 and must be at least 600
// (422 otherwise); spec.boundObjectRef may name a Pod (running as that
// ServiceAccount; the token also names the pod's node), a Secret of the
// namespace or a Node, which must exist with the uid given (404 / 409), and
// binds the token to it (the authenticator then refuses it once the object
// is gone); a missing ServiceAccount is 404.
// status.expirationTimestamp is always the expiry asked for.
//
// Thread safety: Handle runs on many request threads at once; the key is
// shared and immutable, the lookups go through a thread-safe client.
#ifndef BERTH_PLUGINS_AUTH_TOKEN_REQUEST_HANDLER_H_
#define BERTH_PLUGINS_AUTH_TOKEN_REQUEST_HANDLER_H_

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "berth/action_handler.h"
#include "berth/client.h"
#include "lazy_token_key.h"
#include "service_account_authenticator.h"

namespace berth::auth {

// kube-apiserver's defaults and limits for spec.expirationSeconds.
inline constexpr int64_t kDefaultTokenSeconds = 3600;
inline constexpr int64_t kMinTokenSeconds = 600;
inline constexpr int64_t kMaxTokenSeconds = 4294967295;  // 2^32 - 1
// What a projected token asks for (the ServiceAccount admission's 3607 s);
// a pod-bound token for the API server asking exactly this is valid for
// a year, with "warnafter" at the expiry asked for, as kube-apiserver's
// --service-account-extend-token-expiration (on by default) does, so a
// client that rereads its token file late is warned about, not refused.
inline constexpr int64_t kWarnOnlyTokenSeconds = 3607;
inline constexpr int64_t kExtendedTokenSeconds = 365 * 24 * 3600;

class TokenRequestHandler : public ActionHandler {
 public:
  // `client` must outlive this object; `key` is shared with the
  // authenticator; `audiences` are the API server's (the default).
  TokenRequestHandler(std::shared_ptr<const LazyTokenKey> key,
                      std::string issuer, std::vector<std::string> audiences,
                      Client& client, Now now = std::chrono::system_clock::now)
      : key_(std::move(key)),
        issuer_(std::move(issuer)),
        audiences_(std::move(audiences)),
        client_(client),
        now_(std::move(now)) {}

  ResourceRef Resource() const override {
    return {"", "v1", "serviceaccounts"};
  }
  ActionSubresource Subresource() const override {
    return {"token", "TokenRequest", "authentication.k8s.io/v1"};
  }
  Status Handle(const ActionRequest& request, Json& obj,
                JsonAlloc& alloc) const override;

 private:
  std::shared_ptr<const LazyTokenKey> key_;
  std::string issuer_;
  std::vector<std::string> audiences_;
  Client& client_;
  Now now_;
};

}  // namespace berth::auth

#endif  // BERTH_PLUGINS_AUTH_TOKEN_REQUEST_HANDLER_H_
