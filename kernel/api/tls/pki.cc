#include "kernel/api/tls/pki.h"

#include <openssl/bn.h>
#include <openssl/x509v3.h>
#include <strings.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <memory>
#include <utility>

#include "kernel/api/tls/file_util.h"
#include "kernel/api/tls/openssl_util.h"

namespace berth::tls {

namespace {

constexpr long kCaDays = 3650;
constexpr long kLeafDays = 365;
// A leaf closer than this to expiry is reissued at start.
constexpr long kRenewBeforeDays = 90;
constexpr mode_t kKeyMode = 0600;
constexpr mode_t kCertMode = 0644;

using KeyPtr = std::shared_ptr<EVP_PKEY>;
using CertPtr = std::shared_ptr<X509>;

struct KeyPair {
  CertPtr cert;
  KeyPtr key;
};

enum class Role { kCa, kServer, kClient };

struct CertSpec {
  Role role = Role::kClient;
  std::vector<std::pair<std::string, std::string>> subject;  // field, value
  std::vector<std::string> sans;
  long days = kLeafDays;
};

StatusOr<KeyPtr> NewKey() {
  OpenSslPtr<EVP_PKEY_CTX> ctx(
      EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* key = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) <= 0 ||
      EVP_PKEY_CTX_set_group_name(ctx.get(), "P-256") <= 0 ||
      EVP_PKEY_generate(ctx.get(), &key) <= 0) {
    return Status::Internal("cannot generate EC key: " + OpenSslErrors());
  }
  return KeyPtr(key, EVP_PKEY_free);
}

// A GENERAL_NAME for an IP literal (GEN_IPADD) or else a DNS name (GEN_DNS).
GENERAL_NAME* NewGeneralName(const std::string& san) {
  GENERAL_NAME* name = GENERAL_NAME_new();
  if (ASN1_OCTET_STRING* ip = a2i_IPADDRESS(san.c_str())) {
    GENERAL_NAME_set0_value(name, GEN_IPADD, ip);
    return name;
  }
  ASN1_IA5STRING* dns = ASN1_IA5STRING_new();
  ASN1_STRING_set(dns, san.data(), static_cast<int>(san.size()));
  GENERAL_NAME_set0_value(name, GEN_DNS, dns);
  return name;
}

bool AddExtension(X509* cert, X509V3_CTX* ctx, int nid, const char* value) {
  X509_EXTENSION* ext = X509V3_EXT_nconf_nid(nullptr, ctx, nid, value);
  if (ext == nullptr) return false;
  bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

// Builds and signs a certificate for `key`. `issuer` null means self-signed.
StatusOr<CertPtr> MakeCert(const CertSpec& spec, EVP_PKEY* key,
                           const KeyPair* issuer) {
  CertPtr cert(X509_new(), X509_free);
  X509* x = cert.get();
  OpenSslPtr<BIGNUM> serial(BN_new());
  bool ok =
      x != nullptr && serial != nullptr && X509_set_version(x, 2) == 1 &&
      BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1 &&
      BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(x)) != nullptr &&
      // An hour of slack for clients whose clock runs a little behind.
      X509_gmtime_adj(X509_getm_notBefore(x), -3600) != nullptr &&
      X509_time_adj_ex(X509_getm_notAfter(x), static_cast<int>(spec.days), 0,
                       nullptr) != nullptr &&
      X509_set_pubkey(x, key) == 1;
  X509_NAME* name = ok ? X509_get_subject_name(x) : nullptr;
  for (const auto& [field, value] : spec.subject) {
    ok = ok && X509_NAME_add_entry_by_txt(
                   name, field.c_str(), MBSTRING_UTF8,
                   reinterpret_cast<const unsigned char*>(value.c_str()), -1,
                   -1, 0) == 1;
  }
  X509* issuer_cert = issuer ? issuer->cert.get() : x;
  EVP_PKEY* signing_key = issuer ? issuer->key.get() : key;
  ok = ok && X509_set_issuer_name(x, X509_get_subject_name(issuer_cert)) == 1;
  if (!ok)
    return Status::Internal("cannot build certificate: " + OpenSslErrors());

  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer_cert, x, nullptr, nullptr, 0);
  switch (spec.role) {
    case Role::kCa:
      ok = AddExtension(x, &ctx, NID_basic_constraints, "critical,CA:TRUE") &&
           AddExtension(x, &ctx, NID_key_usage,
                        "critical,digitalSignature,keyCertSign,cRLSign");
      break;
    case Role::kServer:
      ok = AddExtension(x, &ctx, NID_basic_constraints, "critical,CA:FALSE") &&
           AddExtension(x, &ctx, NID_key_usage, "critical,digitalSignature") &&
           AddExtension(x, &ctx, NID_ext_key_usage, "serverAuth");
      break;
    case Role::kClient:
      ok = AddExtension(x, &ctx, NID_basic_constraints, "critical,CA:FALSE") &&
           AddExtension(x, &ctx, NID_key_usage, "critical,digitalSignature") &&
           AddExtension(x, &ctx, NID_ext_key_usage, "clientAuth");
      break;
  }
  ok = ok && AddExtension(x, &ctx, NID_subject_key_identifier, "hash");
  if (issuer != nullptr) {
    ok = ok &&
         AddExtension(x, &ctx, NID_authority_key_identifier, "keyid:always");
  }
  if (ok && !spec.sans.empty()) {
    OpenSslPtr<GENERAL_NAMES> names(sk_GENERAL_NAME_new_null());
    for (const std::string& san : spec.sans) {
      sk_GENERAL_NAME_push(names.get(), NewGeneralName(san));
    }
    ok = X509_add1_ext_i2d(x, NID_subject_alt_name, names.get(), 0, 0) == 1;
  }
  ok = ok && X509_sign(x, signing_key, EVP_sha256()) > 0;
  if (!ok)
    return Status::Internal("cannot sign certificate: " + OpenSslErrors());
  return cert;
}

bool SanMatches(const GENERAL_NAME* have, const std::string& want) {
  OpenSslPtr<ASN1_OCTET_STRING> ip(a2i_IPADDRESS(want.c_str()));
  if (ip) {
    return have->type == GEN_IPADD &&
           ASN1_STRING_cmp(have->d.iPAddress, ip.get()) == 0;
  }
  if (have->type != GEN_DNS) return false;
  const ASN1_IA5STRING* dns = have->d.dNSName;
  return static_cast<size_t>(ASN1_STRING_length(dns)) == want.size() &&
         strncasecmp(reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)),
                     want.c_str(), want.size()) == 0;
}

bool HasAllSans(X509* cert, const std::vector<std::string>& sans) {
  if (sans.empty()) return true;
  OpenSslPtr<GENERAL_NAMES> names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  if (!names) return false;
  for (const std::string& want : sans) {
    bool found = false;
    for (int i = 0; i < sk_GENERAL_NAME_num(names.get()) && !found; ++i) {
      found = SanMatches(sk_GENERAL_NAME_value(names.get(), i), want);
    }
    if (!found) return false;
  }
  return true;
}

// Whether an existing leaf can be kept: it parses, matches its key, was
// signed by `ca`, carries every wanted SAN and is not about to expire.
bool LeafUsable(const KeyPair& leaf, const KeyPair& ca,
                const std::vector<std::string>& sans) {
  time_t renew_at = std::time(nullptr) + kRenewBeforeDays * 24 * 3600;
  bool usable =
      X509_check_private_key(leaf.cert.get(), leaf.key.get()) == 1 &&
      X509_verify(leaf.cert.get(), ca.key.get()) == 1 &&
      X509_cmp_time(X509_get0_notAfter(leaf.cert.get()), &renew_at) > 0 &&
      HasAllSans(leaf.cert.get(), sans);
  OpenSslErrors();  // A failed check is an answer, not an error to carry.
  return usable;
}

StatusOr<KeyPair> LoadPair(const std::string& cert_path,
                           const std::string& key_path) {
  StatusOr<std::string> cert_pem = ReadFileToString(cert_path);
  if (!cert_pem.ok()) return cert_pem.status();
  StatusOr<std::string> key_pem = ReadFileToString(key_path);
  if (!key_pem.ok()) return key_pem.status();
  StatusOr<CertPtr> cert = ParseCertificatePem(*cert_pem);
  if (!cert.ok())
    return Status::Invalid(cert_path + ": " + cert.status().message());
  StatusOr<KeyPtr> key = ParsePrivateKeyPem(*key_pem);
  if (!key.ok())
    return Status::Invalid(key_path + ": " + key.status().message());
  return KeyPair{*cert, *key};
}

// Writes the key before the certificate: a crash in between leaves a pair
// that fails LeafUsable and is reissued, never a certificate without its key.
Status StorePair(const KeyPair& pair, const std::string& cert_path,
                 const std::string& key_path) {
  Status s =
      WriteFileAtomically(key_path, PrivateKeyToPem(pair.key.get()), kKeyMode);
  if (!s.ok()) return s;
  return WriteFileAtomically(cert_path, CertificateToPem(pair.cert.get()),
                             kCertMode);
}

StatusOr<KeyPair> Issue(const CertSpec& spec, const KeyPair* issuer) {
  StatusOr<KeyPtr> key = NewKey();
  if (!key.ok()) return key.status();
  StatusOr<CertPtr> cert = MakeCert(spec, key->get(), issuer);
  if (!cert.ok()) return cert.status();
  return KeyPair{*cert, *key};
}

StatusOr<KeyPair> EnsureCa(const PkiPaths& pki) {
  bool have_cert = std::filesystem::exists(pki.ca_cert);
  bool have_key = std::filesystem::exists(pki.ca_key);
  if (have_cert && have_key) return LoadPair(pki.ca_cert, pki.ca_key);
  if (have_cert || have_key) {
    // A fresh CA would silently invalidate every credential handed out.
    return Status::Internal("incomplete CA in " + pki.dir + ": " +
                            (have_cert ? pki.ca_key : pki.ca_cert) +
                            " is missing");
  }
  CertSpec spec;
  spec.role = Role::kCa;
  spec.subject = {{"CN", "berth-ca"}};
  spec.days = kCaDays;
  StatusOr<KeyPair> ca = Issue(spec, nullptr);
  if (!ca.ok()) return ca.status();
  Status s = StorePair(*ca, pki.ca_cert, pki.ca_key);
  if (!s.ok()) return s;
  return ca;
}

// Keeps the leaf at cert_path/key_path if LeafUsable, else issues and stores
// a new one.
Status EnsureLeaf(const CertSpec& spec, const KeyPair& ca,
                  const std::string& cert_path, const std::string& key_path) {
  StatusOr<KeyPair> existing = LoadPair(cert_path, key_path);
  if (existing.ok() && LeafUsable(*existing, ca, spec.sans))
    return Status::Ok();
  StatusOr<KeyPair> leaf = Issue(spec, &ca);
  if (!leaf.ok()) return leaf.status();
  return StorePair(*leaf, cert_path, key_path);
}

CertSpec ClientSpec(const std::string& cn,
                    const std::vector<std::string>& groups) {
  CertSpec spec;
  spec.role = Role::kClient;
  for (const std::string& group : groups) spec.subject.emplace_back("O", group);
  spec.subject.emplace_back("CN", cn);
  return spec;
}

std::string Hostname() {
  char buf[256] = {};
  if (gethostname(buf, sizeof(buf) - 1) != 0) return "";
  return buf;
}

}  // namespace

PkiPaths PkiPathsFor(const std::string& data_dir) {
  PkiPaths p;
  p.dir = (std::filesystem::path(data_dir) / "pki").string();
  p.ca_cert = p.dir + "/ca.crt";
  p.ca_key = p.dir + "/ca.key";
  p.server_cert = p.dir + "/server.crt";
  p.server_key = p.dir + "/server.key";
  p.admin_cert = p.dir + "/admin.crt";
  p.admin_key = p.dir + "/admin.key";
  p.kubelet_client_cert = p.dir + "/apiserver-kubelet-client.crt";
  p.kubelet_client_key = p.dir + "/apiserver-kubelet-client.key";
  return p;
}

std::vector<std::string> ServingSans(
    const std::vector<std::string>& extra_sans) {
  std::vector<std::string> sans = {"127.0.0.1", "::1", "localhost"};
  std::vector<std::string> more = {Hostname()};
  more.insert(more.end(), extra_sans.begin(), extra_sans.end());
  for (const std::string& san : more) {
    if (!san.empty() &&
        std::find(sans.begin(), sans.end(), san) == sans.end()) {
      sans.push_back(san);
    }
  }
  return sans;
}

StatusOr<PkiPaths> EnsurePki(const std::string& data_dir,
                             const std::vector<std::string>& extra_sans) {
  PkiPaths pki = PkiPathsFor(data_dir);
  std::error_code ec;
  std::filesystem::create_directories(pki.dir, ec);
  if (ec)
    return Status::Internal("cannot create " + pki.dir + ": " + ec.message());

  StatusOr<KeyPair> ca = EnsureCa(pki);
  if (!ca.ok()) return ca.status();

  CertSpec server;
  server.role = Role::kServer;
  server.subject = {{"CN", "berth-apiserver"}};
  server.sans = ServingSans(extra_sans);
  Status s = EnsureLeaf(server, *ca, pki.server_cert, pki.server_key);
  if (!s.ok()) return s;

  s = EnsureLeaf(ClientSpec("admin", {"system:masters"}), *ca, pki.admin_cert,
                 pki.admin_key);
  if (!s.ok()) return s;
  s = EnsureLeaf(ClientSpec(kKubeletClientUser, {kKubeletClientGroup}), *ca,
                 pki.kubelet_client_cert, pki.kubelet_client_key);
  if (!s.ok()) return s;
  return pki;
}

StatusOr<CertAndKey> IssueClientCert(const PkiPaths& pki, const std::string& cn,
                                     const std::vector<std::string>& groups) {
  if (cn.empty()) return Status::Invalid("client certificate needs a CN");
  StatusOr<KeyPair> ca = LoadPair(pki.ca_cert, pki.ca_key);
  if (!ca.ok()) return ca.status();
  StatusOr<KeyPair> leaf = Issue(ClientSpec(cn, groups), &*ca);
  if (!leaf.ok()) return leaf.status();
  return CertAndKey{CertificateToPem(leaf->cert.get()),
                    PrivateKeyToPem(leaf->key.get())};
}

Status EnsureSelfSignedServingCert(const std::string& cert_path,
                                   const std::string& key_path,
                                   const std::string& cn,
                                   const std::vector<std::string>& sans) {
  StatusOr<KeyPair> existing = LoadPair(cert_path, key_path);
  if (existing.ok() && LeafUsable(*existing, *existing, sans)) {
    return Status::Ok();
  }
  std::error_code ec;
  std::filesystem::create_directories(
      std::filesystem::path(cert_path).parent_path(), ec);
  CertSpec spec;
  spec.role = Role::kServer;
  spec.subject = {{"CN", cn}};
  spec.sans = sans;
  StatusOr<KeyPair> pair = Issue(spec, nullptr);
  if (!pair.ok()) return pair.status();
  return StorePair(*pair, cert_path, key_path);
}

}  // namespace berth::tls
