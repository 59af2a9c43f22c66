#include "service_account_authenticator.h"

#include <memory>
#include <utility>

#include "berth/json.h"

namespace berth::auth {

bool ServiceAccountAuthenticator::Alive(const ResourceRef& resource,
                                        const std::string& ns,
                                        const std::string& name,
                                        const std::string& uid) const {
  auto got = client_.Get(resource, ns, name);
  if (!got.ok()) return false;
  auto doc = ParseJson(*got);
  if (!doc.ok()) return false;
  if (Find(*doc, {"metadata", "deletionTimestamp"}) != nullptr) return false;
  return uid.empty() || GetString(*doc, {"metadata", "uid"}) == uid;
}

const TokenKey* ServiceAccountAuthenticator::Key() const {
  std::call_once(key_once_, [this] {
    if (key_ || key_path_.empty()) return;
    auto key = TokenKey::LoadOrCreate(key_path_);
    if (key.ok()) key_ = std::make_shared<const TokenKey>(std::move(*key));
  });
  return key_.get();
}

std::optional<UserInfo> ServiceAccountAuthenticator::AuthenticateToken(
    std::string_view token) const {
  // Cheap refusal of what is plainly not a JWT (static and bootstrap
  // tokens reach every authenticator).
  if (token.substr(0, 3) != "eyJ") return std::nullopt;
  const TokenKey* key = Key();
  if (key == nullptr) return std::nullopt;
  auto claims = key->Verify(token, issuer_, audiences_, now_());
  if (!claims.ok()) return std::nullopt;
  if (!Alive({"", "v1", "serviceaccounts"}, claims->ns, claims->service_account,
             claims->service_account_uid)) {
    return std::nullopt;
  }
  if (!claims->pod.empty() &&
      !Alive({"", "v1", "pods"}, claims->ns, claims->pod, claims->pod_uid)) {
    return std::nullopt;
  }
  return UserForClaims(*claims);
}

}  // namespace berth::auth
