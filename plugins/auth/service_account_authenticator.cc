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

std::optional<UserInfo> ServiceAccountAuthenticator::AuthenticateToken(
    std::string_view token) const {
  // Cheap refusal of what is plainly not a JWT (static and bootstrap
  // tokens reach every authenticator).
  if (token.substr(0, 3) != "eyJ") return std::nullopt;
  auto key = key_->Get();
  if (!key.ok()) return std::nullopt;
  auto claims = (*key)->Verify(token, issuer_, audiences_, now_());
  if (!claims.ok()) return std::nullopt;
  if (!Alive({"", "v1", "serviceaccounts"}, claims->ns, claims->service_account,
             claims->service_account_uid)) {
    return std::nullopt;
  }
  if (!claims->pod.empty() &&
      !Alive({"", "v1", "pods"}, claims->ns, claims->pod, claims->pod_uid)) {
    return std::nullopt;
  }
  if (!claims->secret.empty() && !Alive({"", "v1", "secrets"}, claims->ns,
                                        claims->secret, claims->secret_uid)) {
    return std::nullopt;
  }
  // A token bound to a node (not to a pod on it) dies with the node.
  if (claims->pod.empty() && !claims->node.empty() &&
      !Alive({"", "v1", "nodes"}, "", claims->node, claims->node_uid)) {
    return std::nullopt;
  }
  return UserForClaims(*claims);
}

}  // namespace berth::auth
