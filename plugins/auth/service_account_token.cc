#include "service_account_token.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <utility>

#include "berth/json.h"

namespace berth::auth {
namespace {

using Clock = std::chrono::system_clock;

std::string Base64Url(std::string_view in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  const int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(in.data()),
                      static_cast<int>(in.size()));
  out.resize(static_cast<size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

std::optional<std::string> FromBase64Url(std::string_view in) {
  std::string s(in);
  for (char& c : s) {
    if (c == '-') {
      c = '+';
    } else if (c == '_') {
      c = '/';
    } else if (!(isalnum(static_cast<unsigned char>(c)) || c == '+' ||
                 c == '/')) {
      return std::nullopt;  // padding or anything else is not base64url
    }
  }
  const size_t pad = (4 - s.size() % 4) % 4;
  if (pad == 3) return std::nullopt;
  s.append(pad, '=');
  std::string out(s.size() / 4 * 3, '\0');
  const int n =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(s.data()),
                      static_cast<int>(s.size()));
  if (n < 0) return std::nullopt;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

int64_t Seconds(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch())
      .count();
}

std::string RandomId() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) return "";
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 15];
  }
  return out;
}

std::string KeyIdOf(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  const int len = i2d_PUBKEY(key, &der);
  if (len <= 0) return "";
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  EVP_Digest(der, static_cast<size_t>(len), digest, &digest_len, EVP_sha256(),
             nullptr);
  OPENSSL_free(der);
  return Base64Url(
      std::string_view(reinterpret_cast<char*>(digest), digest_len));
}

std::string ClaimsJson(const TokenClaims& c) {
  JsonDoc d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  Json aud(rapidjson::kArrayType);
  for (const auto& s : c.audiences) {
    aud.PushBack(Json(s.data(), static_cast<rapidjson::SizeType>(s.size()), a),
                 a);
  }
  SetMember(d, "aud", std::move(aud), a);
  SetMember(d, "exp", Json(Seconds(c.expires_at)), a);
  SetMember(d, "iat", Json(Seconds(c.issued_at)), a);
  SetString(d, "iss", c.issuer, a);
  SetString(d, "jti", c.id, a);
  Json k8s(rapidjson::kObjectType);
  SetString(k8s, "namespace", c.ns, a);
  if (!c.pod.empty()) {
    Json pod(rapidjson::kObjectType);
    SetString(pod, "name", c.pod, a);
    SetString(pod, "uid", c.pod_uid, a);
    SetMember(k8s, "pod", std::move(pod), a);
  }
  if (!c.secret.empty()) {
    Json secret(rapidjson::kObjectType);
    SetString(secret, "name", c.secret, a);
    SetString(secret, "uid", c.secret_uid, a);
    SetMember(k8s, "secret", std::move(secret), a);
  }
  Json sa(rapidjson::kObjectType);
  if (!c.node.empty()) {
    Json node(rapidjson::kObjectType);
    SetString(node, "name", c.node, a);
    SetString(node, "uid", c.node_uid, a);
    SetMember(k8s, "node", std::move(node), a);
  }
  if (c.warn_after) {
    SetMember(k8s, "warnafter", Json(Seconds(*c.warn_after)), a);
  }
  SetString(sa, "name", c.service_account, a);
  SetString(sa, "uid", c.service_account_uid, a);
  SetMember(k8s, "serviceaccount", std::move(sa), a);
  SetMember(d, "kubernetes.io", std::move(k8s), a);
  SetMember(d, "nbf", Json(Seconds(c.issued_at)), a);
  SetString(d, "sub", ServiceAccountUser(c.ns, c.service_account), a);
  return ToJson(d);
}

}  // namespace

struct TokenKey::Impl {
  EVP_PKEY* key = nullptr;
  ~Impl() { EVP_PKEY_free(key); }
};

TokenKey::TokenKey(std::unique_ptr<Impl> impl, std::string key_id)
    : impl_(std::move(impl)), key_id_(std::move(key_id)) {}
TokenKey::~TokenKey() = default;
TokenKey::TokenKey(TokenKey&&) noexcept = default;
TokenKey& TokenKey::operator=(TokenKey&&) noexcept = default;

std::string ServiceAccountUser(const std::string& ns, const std::string& name) {
  return "system:serviceaccount:" + ns + ":" + name;
}

UserInfo UserForClaims(const TokenClaims& claims) {
  UserInfo user;
  user.name = ServiceAccountUser(claims.ns, claims.service_account);
  user.uid = claims.service_account_uid;
  user.groups = {"system:serviceaccounts",
                 "system:serviceaccounts:" + claims.ns};
  return user;
}

StatusOr<TokenKey> TokenKey::FromPem(std::string_view pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) return Status::Internal("out of memory");
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key == nullptr || EVP_PKEY_base_id(key) != EVP_PKEY_RSA) {
    EVP_PKEY_free(key);
    return Status::Invalid("not an RSA private key");
  }
  auto impl = std::make_unique<Impl>();
  impl->key = key;
  std::string kid = KeyIdOf(key);
  return TokenKey(std::move(impl), std::move(kid));
}

StatusOr<TokenKey> TokenKey::LoadOrCreate(const std::string& path) {
  std::ifstream in(path);
  if (in) {
    std::stringstream text;
    text << in.rdbuf();
    auto key = FromPem(text.str());
    if (!key.ok()) {
      return Status::Internal(path + ": " + key.status().message());
    }
    return key;
  }
  EVP_PKEY* key = EVP_RSA_gen(2048);
  if (key == nullptr) return Status::Internal("cannot make an RSA key");
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(len));
  BIO_free(bio);
  EVP_PKEY_free(key);
  // Written to a private temporary first, so a crash never leaves a
  // half-written key that the next start would refuse.
  const std::string tmp = path + ".tmp";
  {
    const mode_t old = umask(077);
    std::ofstream out(tmp, std::ios::trunc);
    out << pem;
    out.close();
    umask(old);
    if (!out) return Status::Internal("cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return Status::Internal("cannot write " + path);
  }
  return FromPem(pem);
}

StatusOr<std::string> TokenKey::Issue(const TokenClaims& claims) const {
  TokenClaims c = claims;
  if (c.id.empty()) c.id = RandomId();
  const std::string header = R"({"alg":"RS256","kid":")" + key_id_ + R"("})";
  const std::string signing_input =
      Base64Url(header) + "." + Base64Url(ClaimsJson(c));
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t sig_len = 0;
  std::string sig;
  bool ok = ctx != nullptr &&
            EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr,
                               impl_->key) == 1 &&
            EVP_DigestSign(
                ctx, nullptr, &sig_len,
                reinterpret_cast<const unsigned char*>(signing_input.data()),
                signing_input.size()) == 1;
  if (ok) {
    sig.resize(sig_len);
    ok = EVP_DigestSign(
             ctx, reinterpret_cast<unsigned char*>(sig.data()), &sig_len,
             reinterpret_cast<const unsigned char*>(signing_input.data()),
             signing_input.size()) == 1;
    sig.resize(sig_len);
  }
  EVP_MD_CTX_free(ctx);
  if (!ok) return Status::Internal("cannot sign the token");
  return signing_input + "." + Base64Url(sig);
}

StatusOr<TokenClaims> TokenKey::Verify(
    std::string_view token, const std::string& issuer,
    const std::vector<std::string>& audiences, Clock::time_point now) const {
  const size_t dot1 = token.find('.');
  const size_t dot2 =
      dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos ||
      token.find('.', dot2 + 1) != std::string_view::npos) {
    return Status::Unauthorized("not a JWT");
  }
  auto header = FromBase64Url(token.substr(0, dot1));
  auto payload = FromBase64Url(token.substr(dot1 + 1, dot2 - dot1 - 1));
  auto sig = FromBase64Url(token.substr(dot2 + 1));
  if (!header || !payload || !sig) return Status::Unauthorized("not a JWT");
  auto h = ParseJson(*header);
  if (!h.ok() || GetString(*h, {"alg"}) != "RS256") {
    return Status::Unauthorized("not an RS256 JWT");
  }
  const std::string_view signing_input = token.substr(0, dot2);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool good =
      ctx != nullptr &&
      EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, impl_->key) ==
          1 &&
      EVP_DigestVerify(
          ctx, reinterpret_cast<const unsigned char*>(sig->data()), sig->size(),
          reinterpret_cast<const unsigned char*>(signing_input.data()),
          signing_input.size()) == 1;
  EVP_MD_CTX_free(ctx);
  if (!good) return Status::Unauthorized("invalid signature");

  auto p = ParseJson(*payload);
  if (!p.ok() || !p->IsObject()) return Status::Unauthorized("invalid claims");
  const Json& d = *p;
  TokenClaims c;
  c.issuer = GetString(d, {"iss"});
  if (c.issuer != issuer) return Status::Unauthorized("wrong issuer");
  if (const Json* aud = Member(d, "aud"); aud && aud->IsArray()) {
    for (const auto& v : aud->GetArray()) {
      if (v.IsString()) c.audiences.emplace_back(v.GetString());
    }
  } else if (aud && aud->IsString()) {
    c.audiences.emplace_back(aud->GetString());
  }
  bool audience_ok = false;
  for (const auto& want : audiences) {
    for (const auto& have : c.audiences) audience_ok |= have == want;
  }
  if (!audience_ok) return Status::Unauthorized("token audiences not accepted");
  const int64_t exp = GetInt(d, {"exp"});
  const int64_t nbf = GetInt(d, {"nbf"});
  const int64_t at = Seconds(now);
  if (exp <= at) return Status::Unauthorized("token has expired");
  if (nbf > at) return Status::Unauthorized("token not yet valid");
  c.expires_at = Clock::time_point(std::chrono::seconds(exp));
  c.issued_at = Clock::time_point(std::chrono::seconds(GetInt(d, {"iat"})));
  c.id = GetString(d, {"jti"});
  c.ns = GetString(d, {"kubernetes.io", "namespace"});
  c.service_account = GetString(d, {"kubernetes.io", "serviceaccount", "name"});
  c.service_account_uid =
      GetString(d, {"kubernetes.io", "serviceaccount", "uid"});
  c.pod = GetString(d, {"kubernetes.io", "pod", "name"});
  c.pod_uid = GetString(d, {"kubernetes.io", "pod", "uid"});
  c.secret = GetString(d, {"kubernetes.io", "secret", "name"});
  c.secret_uid = GetString(d, {"kubernetes.io", "secret", "uid"});
  c.node = GetString(d, {"kubernetes.io", "node", "name"});
  c.node_uid = GetString(d, {"kubernetes.io", "node", "uid"});
  if (const Json* w = Find(d, {"kubernetes.io", "warnafter"});
      w && w->IsInt64()) {
    c.warn_after = Clock::time_point(std::chrono::seconds(w->GetInt64()));
  }
  if (c.ns.empty() || c.service_account.empty() ||
      GetString(d, {"sub"}) != ServiceAccountUser(c.ns, c.service_account)) {
    return Status::Unauthorized("not a service account token");
  }
  return c;
}

}  // namespace berth::auth
