#include "kernel/api/tls/authn.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "kernel/api/tls/openssl_util.h"
#include "kernel/api/tls/pki.h"
#include "tests/unit/tls/test_util.h"

namespace berth::tls {
namespace {

using ::testing::ElementsAre;

Poco::Crypto::X509Certificate PocoCert(const std::string& pem) {
  std::istringstream in(pem);
  return Poco::Crypto::X509Certificate(in);
}

TEST(AuthnTest, AdminCertificateIsAdminInSystemMasters) {
  TempDir dir;
  StatusOr<PkiPaths> pki = EnsurePki(dir.path(), {});
  ASSERT_TRUE(pki.ok());
  StatusOr<UserInfo> user =
      UserFromCertificate(PocoCert(ReadOrFail(pki->admin_cert)));
  ASSERT_TRUE(user.ok()) << user.status().ToString();
  EXPECT_EQ(user->name, "admin");
  EXPECT_EQ(user->uid, "");
  EXPECT_THAT(user->groups,
              ElementsAre("system:masters", "system:authenticated"));
}

TEST(AuthnTest, EveryOrganizationIsAGroup) {
  TempDir dir;
  StatusOr<PkiPaths> pki = EnsurePki(dir.path(), {});
  ASSERT_TRUE(pki.ok());
  StatusOr<CertAndKey> jane = IssueClientCert(*pki, "jane", {"dev", "ops"});
  ASSERT_TRUE(jane.ok());
  StatusOr<UserInfo> user = UserFromCertificate(PocoCert(jane->cert_pem));
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->name, "jane");
  EXPECT_THAT(user->groups, ElementsAre("dev", "ops", "system:authenticated"));
}

TEST(AuthnTest, CertificateWithoutCommonNameIsUnauthorized) {
  OpenSslPtr<EVP_PKEY> key(
      EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048)));
  ASSERT_NE(key, nullptr);
  OpenSslPtr<X509> cert(X509_new());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("dev"), -1,
                             -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_set_pubkey(cert.get(), key.get());
  ASSERT_GT(X509_sign(cert.get(), key.get(), EVP_sha256()), 0);

  StatusOr<UserInfo> user =
      UserFromCertificate(PocoCert(CertificateToPem(cert.get())));
  ASSERT_FALSE(user.ok());
  EXPECT_EQ(user.status().code(), Status::Code::kUnauthorized);
  EXPECT_EQ(user.status().message(), "Unauthorized");
}

TEST(AuthnTest, BearerHeader) {
  StatusOr<TokenAuthenticator> tokens = TokenAuthenticator::Parse(
      "secret-1,alice,42,\"dev,ops\"\nsecret-2,bob,43\n");
  ASSERT_TRUE(tokens.ok());

  StatusOr<UserInfo> alice = UserFromBearer("Bearer secret-1", *tokens);
  ASSERT_TRUE(alice.ok()) << alice.status().ToString();
  EXPECT_EQ(alice->name, "alice");
  EXPECT_EQ(alice->uid, "42");
  EXPECT_THAT(alice->groups, ElementsAre("dev", "ops", "system:authenticated"));

  StatusOr<UserInfo> bob = UserFromBearer("bearer  secret-2 ", *tokens);
  ASSERT_TRUE(bob.ok()) << bob.status().ToString();
  EXPECT_EQ(bob->name, "bob");
  EXPECT_THAT(bob->groups, ElementsAre("system:authenticated"));

  for (const char* bad :
       {"Bearer wrong", "Bearer ", "Bearer", "Basic c2VjcmV0LTE=", "secret-1",
        "Bearersecret-1", ""}) {
    StatusOr<UserInfo> user = UserFromBearer(bad, *tokens);
    ASSERT_FALSE(user.ok()) << bad;
    EXPECT_EQ(user.status().code(), Status::Code::kUnauthorized) << bad;
    EXPECT_EQ(user.status().message(), "Unauthorized");
  }
}

}  // namespace
}  // namespace berth::tls
