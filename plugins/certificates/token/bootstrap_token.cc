#include "plugins/certificates/token/bootstrap_token.h"

#include <openssl/rand.h>

#include <cctype>
#include <ctime>

#include "berth/json.h"

namespace berth::certificates {

namespace {

constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
constexpr size_t kIdLen = 6;
constexpr size_t kSecretLen = 16;
constexpr char kGroupPrefix[] = "system:bootstrappers:";

bool IsTokenChars(const std::string& s, size_t len) {
  if (s.size() != len) return false;
  for (unsigned char c : s) {
    if (!std::islower(c) && !std::isdigit(c)) return false;
  }
  return true;
}

std::string Rfc3339(std::chrono::system_clock::time_point t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

StatusOr<BootstrapTokenParts> GenerateBootstrapToken() {
  unsigned char bytes[kIdLen + kSecretLen];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
    return Status::Internal("cannot generate a random token");
  }
  // 36 symbols: the modulo bias (256 % 36) is as small as kubeadm's.
  std::string chars;
  for (unsigned char b : bytes) chars += kAlphabet[b % (sizeof(kAlphabet) - 1)];
  return BootstrapTokenParts{chars.substr(0, kIdLen), chars.substr(kIdLen)};
}

std::optional<BootstrapTokenParts> ParseBootstrapToken(
    const std::string& token) {
  size_t dot = token.find('.');
  if (dot == std::string::npos) return std::nullopt;
  BootstrapTokenParts p{token.substr(0, dot), token.substr(dot + 1)};
  if (!IsTokenChars(p.id, kIdLen) || !IsTokenChars(p.secret, kSecretLen)) {
    return std::nullopt;
  }
  return p;
}

StatusOr<std::string> BootstrapTokenSecret(
    const BootstrapTokenParts& token, std::chrono::seconds ttl,
    const std::string& description, const std::vector<std::string>& groups,
    std::chrono::system_clock::time_point now) {
  std::string group_list;
  for (const std::string& g : groups) {
    if (g.rfind(kGroupPrefix, 0) != 0 || g.size() == sizeof(kGroupPrefix) - 1) {
      return Status::Invalid("group \"" + g + "\" must start with \"" +
                             kGroupPrefix + "\"");
    }
    group_list += (group_list.empty() ? "" : ",") + g;
  }
  JsonDoc d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  SetString(d, "apiVersion", "v1", a);
  SetString(d, "kind", "Secret", a);
  Json& meta = EnsureObject(d, "metadata", a);
  SetString(meta, "name", "bootstrap-token-" + token.id, a);
  SetString(meta, "namespace", "kube-system", a);
  SetString(d, "type", "bootstrap.kubernetes.io/token", a);
  Json& data = EnsureObject(d, "stringData", a);
  SetString(data, "token-id", token.id, a);
  SetString(data, "token-secret", token.secret, a);
  if (ttl.count() > 0) SetString(data, "expiration", Rfc3339(now + ttl), a);
  if (!description.empty()) SetString(data, "description", description, a);
  SetString(data, "usage-bootstrap-authentication", "true", a);
  SetString(data, "usage-bootstrap-signing", "true", a);
  if (!group_list.empty()) SetString(data, "auth-extra-groups", group_list, a);
  return ToJson(d);
}

StatusOr<std::chrono::seconds> ParseDuration(const std::string& text) {
  if (text == "0") return std::chrono::seconds(0);
  long long total = 0;
  size_t i = 0;
  bool any = false;
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])))
      ++i;
    if (i == start || i == text.size()) {
      return Status::Invalid("invalid duration \"" + text +
                             "\": use e.g. 24h, 90m, 1h30m");
    }
    long long n = std::stoll(text.substr(start, i - start));
    char unit = text[i++];
    long long mult = unit == 'h'   ? 3600
                     : unit == 'm' ? 60
                     : unit == 's' ? 1
                                   : 0;
    if (mult == 0) {
      return Status::Invalid("invalid duration \"" + text +
                             "\": units are h, m and s");
    }
    total += n * mult;
    any = true;
  }
  if (!any) return Status::Invalid("empty duration");
  return std::chrono::seconds(total);
}

}  // namespace berth::certificates
