#include "bootstrap_token_authenticator.h"

#include <cctype>
#include <sstream>

#include "age.h"
#include "base64.h"

namespace berth::certificates {

namespace {

constexpr size_t kIdLen = 6;
constexpr size_t kSecretLen = 16;
constexpr char kSecretType[] = "bootstrap.kubernetes.io/token";
constexpr char kGroupPrefix[] = "system:bootstrappers:";

bool TokenChars(std::string_view s, size_t len) {
  if (s.size() != len) return false;
  for (unsigned char c : s) {
    if (!std::islower(c) && !std::isdigit(c)) return false;
  }
  return true;
}

std::optional<std::string> Data(const Json& secret, const char* key) {
  const Json* v = Find(secret, {"data", key});
  if (v == nullptr || !v->IsString()) return std::nullopt;
  return core::Base64Decode(
      std::string_view(v->GetString(), v->GetStringLength()));
}

// Compares without stopping at the first difference, so the time taken
// does not tell how much of a guessed secret was right.
bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= a[i] ^ b[i];
  return diff == 0;
}

}  // namespace

std::optional<TokenParts> ParseToken(std::string_view token) {
  size_t dot = token.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  std::string_view id = token.substr(0, dot);
  std::string_view secret = token.substr(dot + 1);
  if (!TokenChars(id, kIdLen) || !TokenChars(secret, kSecretLen)) {
    return std::nullopt;
  }
  return TokenParts{std::string(id), std::string(secret)};
}

std::optional<UserInfo> UserForToken(
    const TokenParts& token, const Json& secret,
    std::chrono::system_clock::time_point now) {
  if (GetString(secret, {"type"}) != kSecretType ||
      GetString(secret, {"metadata", "name"}) !=
          "bootstrap-token-" + token.id ||
      Find(secret, {"metadata", "deletionTimestamp"}) != nullptr) {
    return std::nullopt;
  }
  std::optional<std::string> id = Data(secret, "token-id");
  std::optional<std::string> value = Data(secret, "token-secret");
  if (!id || !value || *id != token.id ||
      !ConstantTimeEqual(*value, token.secret)) {
    return std::nullopt;
  }
  if (Data(secret, "usage-bootstrap-authentication").value_or("") != "true") {
    return std::nullopt;
  }
  if (std::optional<std::string> exp = Data(secret, "expiration")) {
    auto at = core::ParseTimestamp(*exp);
    // An unreadable expiration is treated as expired, as Kubernetes does.
    if (!at || now >= *at) return std::nullopt;
  }
  UserInfo user;
  user.name = "system:bootstrap:" + token.id;
  user.groups.push_back("system:bootstrappers");
  if (std::optional<std::string> extra = Data(secret, "auth-extra-groups")) {
    std::stringstream in(*extra);
    std::string g;
    while (std::getline(in, g, ',')) {
      if (g.empty()) continue;
      if (g.rfind(kGroupPrefix, 0) != 0) return std::nullopt;
      user.groups.push_back(g);
    }
  }
  return user;
}

std::optional<UserInfo> BootstrapTokenAuthenticator::AuthenticateToken(
    std::string_view token) const {
  std::optional<TokenParts> parts = ParseToken(token);
  if (!parts) return std::nullopt;
  const std::string name = "bootstrap-token-" + parts->id;
  std::string json;
  if (auto cached = secrets_.Get("kube-system", name); cached.ok()) {
    json = **cached;
  } else if (read_on_miss_) {
    auto read = read_on_miss_("kube-system", name);
    if (!read.ok()) return std::nullopt;
    json = std::move(read).value();
  } else {
    return std::nullopt;
  }
  auto doc = ParseJson(json);
  if (!doc.ok()) return std::nullopt;
  return UserForToken(*parts, *doc, now_());
}

}  // namespace berth::certificates
