#include "kernel/api/tls/certificate_request.h"

#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <memory>

#include "kernel/api/tls/file_util.h"
#include "kernel/api/tls/openssl_util.h"

namespace berth::tls {

namespace {

constexpr std::chrono::seconds kMaxDuration{365L * 24 * 3600};
// As the csrsigning controller's backdating, for clocks a little behind.
constexpr long kBackdateSeconds = 5 * 60;

struct ReqFree {
  void operator()(X509_REQ* r) const { X509_REQ_free(r); }
};
using ReqPtr = std::unique_ptr<X509_REQ, ReqFree>;

StatusOr<std::shared_ptr<EVP_PKEY>> NewEcKey() {
  OpenSslPtr<EVP_PKEY_CTX> ctx(
      EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* key = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) <= 0 ||
      EVP_PKEY_CTX_set_group_name(ctx.get(), "P-256") <= 0 ||
      EVP_PKEY_generate(ctx.get(), &key) <= 0) {
    return Status::Internal("cannot generate EC key: " + OpenSslErrors());
  }
  return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
}

bool AddName(X509_NAME* name, const char* field, const std::string& value) {
  return X509_NAME_add_entry_by_txt(
             name, field, MBSTRING_UTF8,
             reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1,
             0) == 1;
}

bool AddExtension(X509* cert, X509V3_CTX* ctx, int nid, const char* value) {
  X509_EXTENSION* ext = X509V3_EXT_nconf_nid(nullptr, ctx, nid, value);
  if (ext == nullptr) return false;
  bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

std::string ExtendedKeyUsages(const std::vector<std::string>& usages) {
  std::string eku;
  for (const std::string& u : usages) {
    const char* name = u == "client auth"   ? "clientAuth"
                       : u == "server auth" ? "serverAuth"
                                            : nullptr;
    if (name != nullptr && eku.find(name) == std::string::npos) {
      eku += (eku.empty() ? "" : ",") + std::string(name);
    }
  }
  return eku;
}

}  // namespace

StatusOr<CertAndKey> MakeCertificateRequest(
    const std::string& cn, const std::vector<std::string>& groups) {
  if (cn.empty()) return Status::Invalid("a certificate request needs a CN");
  StatusOr<std::shared_ptr<EVP_PKEY>> key = NewEcKey();
  if (!key.ok()) return key.status();
  ReqPtr req(X509_REQ_new());
  X509_NAME* name = req ? X509_REQ_get_subject_name(req.get()) : nullptr;
  bool ok = name != nullptr && X509_REQ_set_version(req.get(), 0) == 1;
  for (const std::string& g : groups) ok = ok && AddName(name, "O", g);
  ok = ok && AddName(name, "CN", cn) &&
       X509_REQ_set_pubkey(req.get(), key->get()) == 1 &&
       X509_REQ_sign(req.get(), key->get(), EVP_sha256()) > 0;
  OpenSslPtr<BIO> bio(BIO_new(BIO_s_mem()));
  ok = ok && bio && PEM_write_bio_X509_REQ(bio.get(), req.get()) == 1;
  if (!ok) {
    return Status::Internal("cannot make a certificate request: " +
                            OpenSslErrors());
  }
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return CertAndKey{std::string(data, static_cast<size_t>(len)),
                    PrivateKeyToPem(key->get())};
}

StatusOr<std::string> SignCertificateRequest(
    const PkiPaths& pki, const std::string& csr_pem,
    const std::vector<std::string>& usages, std::chrono::seconds duration) {
  OpenSslPtr<BIO> in(
      BIO_new_mem_buf(csr_pem.data(), static_cast<int>(csr_pem.size())));
  ReqPtr req(in ? PEM_read_bio_X509_REQ(in.get(), nullptr, nullptr, nullptr)
                : nullptr);
  if (!req) {
    OpenSslErrors();
    return Status::Invalid("the certificate request is not a PEM PKCS#10");
  }
  std::shared_ptr<EVP_PKEY> pub(X509_REQ_get_pubkey(req.get()), EVP_PKEY_free);
  if (!pub || X509_REQ_verify(req.get(), pub.get()) != 1) {
    OpenSslErrors();
    return Status::Invalid("the certificate request's signature is invalid");
  }
  StatusOr<std::string> ca_pem = ReadFileToString(pki.ca_cert);
  if (!ca_pem.ok()) return ca_pem.status();
  StatusOr<std::string> ca_key_pem = ReadFileToString(pki.ca_key);
  if (!ca_key_pem.ok()) return ca_key_pem.status();
  StatusOr<std::shared_ptr<X509>> ca = ParseCertificatePem(*ca_pem);
  if (!ca.ok()) return ca.status();
  StatusOr<std::shared_ptr<EVP_PKEY>> ca_key = ParsePrivateKeyPem(*ca_key_pem);
  if (!ca_key.ok()) return ca_key.status();

  if (duration <= std::chrono::seconds(0) || duration > kMaxDuration) {
    duration = kMaxDuration;
  }
  OpenSslPtr<X509> cert(X509_new());
  X509* x = cert.get();
  OpenSslPtr<BIGNUM> serial(BN_new());
  bool ok =
      x != nullptr && serial != nullptr && X509_set_version(x, 2) == 1 &&
      BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1 &&
      BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(x)) != nullptr &&
      X509_gmtime_adj(X509_getm_notBefore(x), -kBackdateSeconds) != nullptr &&
      X509_gmtime_adj(X509_getm_notAfter(x),
                      static_cast<long>(duration.count())) != nullptr &&
      X509_set_pubkey(x, pub.get()) == 1 &&
      X509_set_subject_name(x, X509_REQ_get_subject_name(req.get())) == 1 &&
      X509_set_issuer_name(x, X509_get_subject_name(ca->get())) == 1;
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, ca->get(), x, nullptr, nullptr, 0);
  ok = ok &&
       AddExtension(x, &ctx, NID_basic_constraints, "critical,CA:FALSE") &&
       AddExtension(x, &ctx, NID_key_usage,
                    "critical,digitalSignature,keyEncipherment") &&
       AddExtension(x, &ctx, NID_authority_key_identifier, "keyid:always");
  const std::string eku = ExtendedKeyUsages(usages);
  ok = ok &&
       (eku.empty() || AddExtension(x, &ctx, NID_ext_key_usage, eku.c_str()));
  if (ok) {
    // The requested subjectAltNames, as the signer copies them.
    STACK_OF(X509_EXTENSION)* exts = X509_REQ_get_extensions(req.get());
    for (int i = 0; ok && i < sk_X509_EXTENSION_num(exts); ++i) {
      X509_EXTENSION* ext = sk_X509_EXTENSION_value(exts, i);
      if (OBJ_obj2nid(X509_EXTENSION_get_object(ext)) == NID_subject_alt_name) {
        ok = X509_add_ext(x, ext, -1) == 1;
      }
    }
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
  }
  ok = ok && X509_sign(x, ca_key->get(), EVP_sha256()) > 0;
  if (!ok) {
    return Status::Internal("cannot sign the certificate request: " +
                            OpenSslErrors());
  }
  return CertificateToPem(x);
}

}  // namespace berth::tls
