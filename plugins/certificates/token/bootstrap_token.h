// Bootstrap tokens as `berth token create` makes them, in kubeadm's format:
// "<id>.<secret>", id [a-z0-9]{6}, secret [a-z0-9]{16}, stored as Secret
// kube-system/bootstrap-token-<id> of type bootstrap.kubernetes.io/token
// with the token-id, token-secret, expiration, description,
// usage-bootstrap-authentication, usage-bootstrap-signing and
// auth-extra-groups keys. The server side (who such a token authenticates
// as) is the certificates plugin's.
//
// Thread safety: stateless functions.
#ifndef BERTH_PLUGINS_CERTIFICATES_TOKEN_BOOTSTRAP_TOKEN_H_
#define BERTH_PLUGINS_CERTIFICATES_TOKEN_BOOTSTRAP_TOKEN_H_

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "berth/status.h"

namespace berth::certificates {

// kubeadm's default extra group: the group the node CSR approver and
// Kubernetes' RBAC for node bootstrap know.
inline constexpr char kDefaultBootstrapGroup[] =
    "system:bootstrappers:kubeadm:default-node-token";

struct BootstrapTokenParts {
  std::string id;      // 6 characters
  std::string secret;  // 16 characters
};

// A new random token (OpenSSL's RAND_bytes). Internal if that fails.
StatusOr<BootstrapTokenParts> GenerateBootstrapToken();

// Splits "<id>.<secret>"; nullopt when `token` is not of that form.
std::optional<BootstrapTokenParts> ParseBootstrapToken(
    const std::string& token);

// The Secret (JSON) holding `token`. `ttl` zero: the token never expires;
// otherwise expiration = now + ttl, RFC 3339 in UTC. Every group must start
// with "system:bootstrappers:" (as kubeadm requires); Invalid otherwise.
StatusOr<std::string> BootstrapTokenSecret(
    const BootstrapTokenParts& token, std::chrono::seconds ttl,
    const std::string& description, const std::vector<std::string>& groups,
    std::chrono::system_clock::time_point now);

// "24h", "90m", "1h30m", "45s" or "0" as seconds; Invalid otherwise.
StatusOr<std::chrono::seconds> ParseDuration(const std::string& text);

}  // namespace berth::certificates

#endif  // BERTH_PLUGINS_CERTIFICATES_TOKEN_BOOTSTRAP_TOKEN_H_
