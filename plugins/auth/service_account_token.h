// ServiceAccountToken: the signed JWTs kube-apiserver issues for service
// accounts (TokenRequest, the kube-api-access volume) and verifies when a
// pod presents one. RS256 over an RSA key kept as PEM in a file, made on
// first use like the cluster CA; the header's kid is the base64url SHA-256
// of the public key's DER, as kube-apiserver computes it. The claims are
// Kubernetes': iss, aud (a list), sub system:serviceaccount:NS:NAME, iat,
// nbf, exp, jti, and "kubernetes.io" {namespace, serviceaccount {name, uid},
// pod {name, uid} when bound to a pod, secret {name, uid} when bound to a
// secret}, node {name, uid} when bound to a node or to a pod on one,
// warnafter when the token outlives the expiry asked for}.
//
// Thread safety: a TokenKey is immutable after Load and safe to use from
// many threads at once.
#ifndef BERTH_PLUGINS_AUTH_SERVICE_ACCOUNT_TOKEN_H_
#define BERTH_PLUGINS_AUTH_SERVICE_ACCOUNT_TOKEN_H_

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "berth/admission.h"
#include "berth/status.h"

namespace berth::auth {

// kube-apiserver's default --service-account-issuer and API audience.
inline constexpr const char* kDefaultIssuer =
    "https://kubernetes.default.svc.cluster.local";

struct TokenClaims {
  std::string issuer;
  std::vector<std::string> audiences;
  std::string ns;
  std::string service_account;
  std::string service_account_uid;
  std::string pod;  // "" when the token is not bound to a pod
  std::string pod_uid;
  std::string secret;  // "" when the token is not bound to a secret
  std::string secret_uid;
  // The node the token is bound to, or its pod's node (then its uid may be
  // "" when the node was not found); "" when none.
  std::string node;
  std::string node_uid;
  std::chrono::system_clock::time_point issued_at;
  std::chrono::system_clock::time_point expires_at;
  // kube-apiserver's "warnafter": the expiry asked for, when the token was
  // given a longer one (the projected token's safe transition).
  std::optional<std::chrono::system_clock::time_point> warn_after;
  std::string id;  // jti
};

// "system:serviceaccount:<ns>:<name>".
std::string ServiceAccountUser(const std::string& ns, const std::string& name);
// The user a verified token stands for: that name, the service account's
// uid, groups system:serviceaccounts and system:serviceaccounts:<ns> (the
// kernel adds system:authenticated).
UserInfo UserForClaims(const TokenClaims& claims);

class TokenKey {
 public:
  ~TokenKey();
  TokenKey(TokenKey&&) noexcept;
  TokenKey& operator=(TokenKey&&) noexcept;

  // Reads the RSA private key (PEM) at `path`, or makes a 2048-bit one and
  // writes it there (mode 0600) when the file does not exist. Internal when
  // the file cannot be read, parsed or written.
  static StatusOr<TokenKey> LoadOrCreate(const std::string& path);
  // The key from PEM text. Invalid when it is not an RSA private key.
  static StatusOr<TokenKey> FromPem(std::string_view pem);

  // The compact JWS (header.payload.signature) of `claims`. Internal when
  // signing fails.
  StatusOr<std::string> Issue(const TokenClaims& claims) const;

  // The claims of `token` when it is an RS256 JWT signed by this key, from
  // `issuer`, for one of `audiences`, and valid at `now` (nbf <= now < exp).
  // Unauthorized naming the reason otherwise.
  StatusOr<TokenClaims> Verify(std::string_view token,
                               const std::string& issuer,
                               const std::vector<std::string>& audiences,
                               std::chrono::system_clock::time_point now) const;

  // The header's kid: base64url(SHA-256(public key DER)).
  const std::string& key_id() const { return key_id_; }

 private:
  struct Impl;
  explicit TokenKey(std::unique_ptr<Impl> impl, std::string key_id);
  std::unique_ptr<Impl> impl_;
  std::string key_id_;
};

}  // namespace berth::auth

#endif  // BERTH_PLUGINS_AUTH_SERVICE_ACCOUNT_TOKEN_H_
