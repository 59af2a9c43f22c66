#include "kernel/api/tls/ca_cert_hash.h"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cctype>

#include "kernel/api/tls/openssl_util.h"

namespace berth::tls {

namespace {
constexpr char kPrefix[] = "sha256:";
constexpr size_t kPrefixLen = sizeof(kPrefix) - 1;
}  // namespace

StatusOr<std::string> CaCertHash(const std::string& ca_pem) {
  StatusOr<std::shared_ptr<X509>> cert = ParseCertificatePem(ca_pem);
  if (!cert.ok()) return cert.status();
  unsigned char* der = nullptr;
  int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert->get()), &der);
  if (len <= 0) {
    return Status::Invalid("cannot encode the CA public key: " +
                           OpenSslErrors());
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  const bool ok = EVP_Digest(der, static_cast<size_t>(len), digest, &digest_len,
                             EVP_sha256(), nullptr) == 1;
  OPENSSL_free(der);
  if (!ok) return Status::Internal("sha256 failed: " + OpenSslErrors());
  static const char kHex[] = "0123456789abcdef";
  std::string out = kPrefix;
  for (unsigned int i = 0; i < digest_len; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  return out;
}

StatusOr<bool> CaCertHashMatches(const std::string& ca_pem,
                                 const std::string& want) {
  std::string lower = want;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (lower.size() != kPrefixLen + 64 || lower.rfind(kPrefix, 0) != 0 ||
      !std::all_of(lower.begin() + kPrefixLen, lower.end(),
                   [](unsigned char c) { return std::isxdigit(c); })) {
    return Status::Invalid("the CA certificate hash \"" + want +
                           "\" is not sha256:<64 hex digits>");
  }
  StatusOr<std::string> have = CaCertHash(ca_pem);
  if (!have.ok()) return have.status();
  return *have == lower;
}

}  // namespace berth::tls
