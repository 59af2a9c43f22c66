#include "kernel/api/tls/pki.h"

#include <gtest/gtest.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include "kernel/api/tls/openssl_util.h"
#include "tests/unit/tls/test_util.h"

namespace berth::tls {
namespace {

std::shared_ptr<X509> LoadCert(const std::string& path) {
  StatusOr<std::shared_ptr<X509>> cert = ParseCertificatePem(ReadOrFail(path));
  EXPECT_TRUE(cert.ok()) << cert.status().ToString();
  return cert.ok() ? *cert : nullptr;
}

// X509_verify_cert of `leaf` against `ca` for `purpose`, optionally also
// requiring the leaf to be valid for `host` or `ip`. "" on success, else
// OpenSSL's reason.
std::string Verify(X509* leaf, X509* ca, int purpose,
                   const std::string& host = "", const std::string& ip = "") {
  OpenSslPtr<X509_STORE> store(X509_STORE_new());
  X509_STORE_add_cert(store.get(), ca);
  OpenSslPtr<X509_STORE_CTX> ctx(X509_STORE_CTX_new());
  X509_STORE_CTX_init(ctx.get(), store.get(), leaf, nullptr);
  X509_STORE_CTX_set_purpose(ctx.get(), purpose);
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  if (!host.empty()) X509_VERIFY_PARAM_set1_host(param, host.c_str(), 0);
  if (!ip.empty()) X509_VERIFY_PARAM_set1_ip_asc(param, ip.c_str());
  if (X509_verify_cert(ctx.get()) == 1) return "";
  return X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
}

std::string Hostname() {
  char buf[256] = {};
  gethostname(buf, sizeof(buf) - 1);
  return buf;
}

TEST(PkiTest, FirstStartCreatesCaServerAndAdminWithPrivateKeys) {
  TempDir dir;
  StatusOr<PkiPaths> pki = EnsurePki(dir.path(), {});
  ASSERT_TRUE(pki.ok()) << pki.status().ToString();
  EXPECT_EQ(pki->dir, dir.path() + "/pki");
  for (const std::string& key :
       {pki->ca_key, pki->server_key, pki->admin_key}) {
    EXPECT_EQ(FileMode(key), 0600) << key;
  }
  for (const std::string& crt :
       {pki->ca_cert, pki->server_cert, pki->admin_cert}) {
    EXPECT_EQ(FileMode(crt), 0644) << crt;
  }
  auto ca = LoadCert(pki->ca_cert);
  ASSERT_NE(ca, nullptr);
  EXPECT_EQ(X509_check_ca(ca.get()), 1);
  // Ten years, give or take a leap day and the backdating hour.
  int days = 0, secs = 0;
  ASSERT_EQ(ASN1_TIME_diff(&days, &secs, X509_get0_notBefore(ca.get()),
                           X509_get0_notAfter(ca.get())),
            1);
  EXPECT_GE(days, 3649);
}

TEST(PkiTest, SecondStartReusesEverything) {
  TempDir dir;
  StatusOr<PkiPaths> first = EnsurePki(dir.path(), {"10.1.2.3"});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  std::string ca = ReadOrFail(first->ca_cert);
  std::string server = ReadOrFail(first->server_cert);
  std::string admin = ReadOrFail(first->admin_cert);

  StatusOr<PkiPaths> second = EnsurePki(dir.path(), {"10.1.2.3"});
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(ReadOrFail(second->ca_cert), ca);
  EXPECT_EQ(ReadOrFail(second->server_cert), server);
  EXPECT_EQ(ReadOrFail(second->admin_cert), admin);
}

TEST(PkiTest, ServerCertChainsToCaAndCarriesTheSans) {
  TempDir dir;
  StatusOr<PkiPaths> pki =
      EnsurePki(dir.path(), {"api.example.com", "192.0.2.77"});
  ASSERT_TRUE(pki.ok()) << pki.status().ToString();
  auto ca = LoadCert(pki->ca_cert);
  auto server = LoadCert(pki->server_cert);
  ASSERT_NE(server, nullptr);

  const int kServer = X509_PURPOSE_SSL_SERVER;
  EXPECT_EQ(Verify(server.get(), ca.get(), kServer), "");
  EXPECT_EQ(Verify(server.get(), ca.get(), kServer, "", "127.0.0.1"), "");
  EXPECT_EQ(Verify(server.get(), ca.get(), kServer, "", "::1"), "");
  EXPECT_EQ(Verify(server.get(), ca.get(), kServer, "localhost"), "");
  EXPECT_EQ(Verify(server.get(), ca.get(), kServer, Hostname()), "");
  EXPECT_EQ(Verify(server.get(), ca.get(), kServer, "api.example.com"), "");
  EXPECT_EQ(Verify(server.get(), ca.get(), kServer, "", "192.0.2.77"), "");
  EXPECT_NE(Verify(server.get(), ca.get(), kServer, "evil.example.com"), "");
  EXPECT_NE(Verify(server.get(), ca.get(), kServer, "", "10.9.9.9"), "");
  // serverAuth only: it cannot be used as a client certificate.
  EXPECT_NE(Verify(server.get(), ca.get(), X509_PURPOSE_SSL_CLIENT), "");

  // A server certificate from another CA does not verify.
  TempDir other_dir;
  StatusOr<PkiPaths> other = EnsurePki(other_dir.path(), {});
  ASSERT_TRUE(other.ok());
  auto other_ca = LoadCert(other->ca_cert);
  EXPECT_NE(Verify(server.get(), other_ca.get(), kServer), "");
}

TEST(PkiTest, AdminCertIsAClientCertForSystemMasters) {
  TempDir dir;
  StatusOr<PkiPaths> pki = EnsurePki(dir.path(), {});
  ASSERT_TRUE(pki.ok());
  auto ca = LoadCert(pki->ca_cert);
  auto admin = LoadCert(pki->admin_cert);
  ASSERT_NE(admin, nullptr);
  EXPECT_EQ(Verify(admin.get(), ca.get(), X509_PURPOSE_SSL_CLIENT), "");
  EXPECT_NE(Verify(admin.get(), ca.get(), X509_PURPOSE_SSL_SERVER), "");
  char subject[256];
  X509_NAME_oneline(X509_get_subject_name(admin.get()), subject,
                    sizeof(subject));
  EXPECT_STREQ(subject, "/O=system:masters/CN=admin");
}

TEST(PkiTest, NewSanReissuesOnlyTheServingCert) {
  TempDir dir;
  StatusOr<PkiPaths> first = EnsurePki(dir.path(), {});
  ASSERT_TRUE(first.ok());
  std::string ca = ReadOrFail(first->ca_cert);
  std::string server = ReadOrFail(first->server_cert);
  std::string server_key = ReadOrFail(first->server_key);
  std::string admin = ReadOrFail(first->admin_cert);

  StatusOr<PkiPaths> second = EnsurePki(dir.path(), {"berth.internal"});
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(ReadOrFail(second->ca_cert), ca);
  EXPECT_EQ(ReadOrFail(second->admin_cert), admin);
  EXPECT_NE(ReadOrFail(second->server_cert), server);
  EXPECT_NE(ReadOrFail(second->server_key), server_key);
  EXPECT_EQ(FileMode(second->server_key), 0600);
  auto ca_cert = LoadCert(second->ca_cert);
  auto new_server = LoadCert(second->server_cert);
  EXPECT_EQ(Verify(new_server.get(), ca_cert.get(), X509_PURPOSE_SSL_SERVER,
                   "berth.internal"),
            "");
  EXPECT_EQ(Verify(new_server.get(), ca_cert.get(), X509_PURPOSE_SSL_SERVER,
                   "localhost"),
            "");
}

TEST(PkiTest, LeafNotSignedByTheCaIsReissued) {
  TempDir dir, other_dir;
  StatusOr<PkiPaths> pki = EnsurePki(dir.path(), {});
  StatusOr<PkiPaths> other = EnsurePki(other_dir.path(), {});
  ASSERT_TRUE(pki.ok() && other.ok());
  std::filesystem::copy_file(other->server_cert, pki->server_cert,
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(other->server_key, pki->server_key,
                             std::filesystem::copy_options::overwrite_existing);

  ASSERT_TRUE(EnsurePki(dir.path(), {}).ok());
  auto ca = LoadCert(pki->ca_cert);
  auto server = LoadCert(pki->server_cert);
  EXPECT_EQ(Verify(server.get(), ca.get(), X509_PURPOSE_SSL_SERVER), "");
}

TEST(PkiTest, HalfACaIsAnErrorNotANewCa) {
  TempDir dir;
  StatusOr<PkiPaths> pki = EnsurePki(dir.path(), {});
  ASSERT_TRUE(pki.ok());
  std::string ca = ReadOrFail(pki->ca_cert);
  std::filesystem::remove(pki->ca_key);
  StatusOr<PkiPaths> again = EnsurePki(dir.path(), {});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), Status::Code::kInternal);
  EXPECT_NE(again.status().message().find("ca.key"), std::string::npos);
  EXPECT_EQ(ReadOrFail(pki->ca_cert), ca);
}

TEST(PkiTest, IssueClientCertSignsWithTheCa) {
  TempDir dir;
  StatusOr<PkiPaths> pki = EnsurePki(dir.path(), {});
  ASSERT_TRUE(pki.ok());
  StatusOr<CertAndKey> issued = IssueClientCert(*pki, "jane", {"dev", "ops"});
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  StatusOr<std::shared_ptr<X509>> cert = ParseCertificatePem(issued->cert_pem);
  StatusOr<std::shared_ptr<EVP_PKEY>> key = ParsePrivateKeyPem(issued->key_pem);
  ASSERT_TRUE(cert.ok() && key.ok());
  EXPECT_EQ(X509_check_private_key(cert->get(), key->get()), 1);
  auto ca = LoadCert(pki->ca_cert);
  EXPECT_EQ(Verify(cert->get(), ca.get(), X509_PURPOSE_SSL_CLIENT), "");

  EXPECT_EQ(IssueClientCert(*pki, "", {}).status().code(),
            Status::Code::kInvalid);
  PkiPaths missing = PkiPathsFor(dir.path() + "/nowhere");
  EXPECT_FALSE(IssueClientCert(missing, "jane", {}).ok());
}

}  // namespace
}  // namespace berth::tls
