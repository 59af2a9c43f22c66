// Service account tokens: what one key issues it verifies, with the
// Kubernetes claims and user; an expired token, one signed by another key,
// one for another audience or issuer, or a tampered one is refused; the
// key is made once in its file and read back the same on the next start.
#include "service_account_token.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <sys/stat.h>

#include <chrono>
#include <string>

#include "berth/json.h"
#include "tests/support/temp_dir.h"

namespace berth::auth {
namespace {

using std::chrono::seconds;
using Clock = std::chrono::system_clock;

const Clock::time_point kNow = Clock::time_point(seconds(1800000000));

TokenClaims Claims() {
  TokenClaims c;
  c.issuer = kDefaultIssuer;
  c.audiences = {kDefaultIssuer};
  c.ns = "team";
  c.service_account = "builder";
  c.service_account_uid = "sa-uid";
  c.pod = "web-0";
  c.pod_uid = "pod-uid";
  c.issued_at = kNow;
  c.expires_at = kNow + seconds(3607);
  return c;
}

std::string Payload(const std::string& token) {
  const size_t a = token.find('.');
  const size_t b = token.find('.', a + 1);
  std::string s = token.substr(a + 1, b - a - 1);
  for (char& c : s) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (s.size() % 4) s += '=';
  std::string out(s.size(), '\0');
  const int n =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(s.data()),
                      static_cast<int>(s.size()));
  out.resize(static_cast<size_t>(n));
  while (!out.empty() && out.back() == '\0') out.pop_back();
  return out;
}

class ServiceAccountTokenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    auto key = TokenKey::LoadOrCreate(dir_.path() + "/sa.key");
    ASSERT_TRUE(key.ok()) << key.status().message();
    key_.emplace(std::move(key).value());
  }
  berth::testing::TempDir dir_;
  std::optional<TokenKey> key_;
};

TEST_F(ServiceAccountTokenTest, IssuedTokenVerifiesWithKubernetesClaims) {
  auto token = key_->Issue(Claims());
  ASSERT_TRUE(token.ok());
  auto claims =
      key_->Verify(*token, kDefaultIssuer, {kDefaultIssuer}, kNow + seconds(1));
  ASSERT_TRUE(claims.ok()) << claims.status().message();
  EXPECT_EQ(claims->ns, "team");
  EXPECT_EQ(claims->service_account, "builder");
  EXPECT_EQ(claims->pod, "web-0");
  EXPECT_EQ(claims->pod_uid, "pod-uid");
  EXPECT_EQ(claims->expires_at, kNow + seconds(3607));
  EXPECT_FALSE(claims->id.empty());

  auto payload = ParseJson(Payload(*token));
  ASSERT_TRUE(payload.ok()) << Payload(*token);
  EXPECT_EQ(GetString(*payload, {"sub"}), "system:serviceaccount:team:builder");
  EXPECT_EQ(GetString(*payload, {"iss"}), kDefaultIssuer);
  EXPECT_EQ(GetString(*payload, {"kubernetes.io", "serviceaccount", "uid"}),
            "sa-uid");
  EXPECT_EQ(GetInt(*payload, {"exp"}) - GetInt(*payload, {"iat"}), 3607);

  const UserInfo user = UserForClaims(*claims);
  EXPECT_EQ(user.name, "system:serviceaccount:team:builder");
  EXPECT_EQ(user.groups,
            (std::vector<std::string>{"system:serviceaccounts",
                                      "system:serviceaccounts:team"}));
}

TEST_F(ServiceAccountTokenTest, ExpiredTokenIsRefused) {
  auto token = key_->Issue(Claims());
  ASSERT_TRUE(token.ok());
  auto late = key_->Verify(*token, kDefaultIssuer, {kDefaultIssuer},
                           kNow + seconds(3607));
  EXPECT_EQ(late.status().code(), Status::Code::kUnauthorized);
  EXPECT_EQ(late.status().message(), "token has expired");
  auto early =
      key_->Verify(*token, kDefaultIssuer, {kDefaultIssuer}, kNow - seconds(5));
  EXPECT_FALSE(early.ok());
}

TEST_F(ServiceAccountTokenTest, TokenOfAnotherKeyIsRefused) {
  berth::testing::TempDir other_dir;
  auto other = TokenKey::LoadOrCreate(other_dir.path() + "/sa.key");
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->key_id(), key_->key_id());
  auto token = other->Issue(Claims());
  ASSERT_TRUE(token.ok());
  auto v = key_->Verify(*token, kDefaultIssuer, {kDefaultIssuer}, kNow);
  EXPECT_EQ(v.status().code(), Status::Code::kUnauthorized);
  EXPECT_EQ(v.status().message(), "invalid signature");
}

TEST_F(ServiceAccountTokenTest, WrongAudienceOrIssuerIsRefused) {
  TokenClaims c = Claims();
  c.audiences = {"vault"};
  auto token = key_->Issue(c);
  ASSERT_TRUE(token.ok());
  EXPECT_FALSE(
      key_->Verify(*token, kDefaultIssuer, {kDefaultIssuer}, kNow).ok());
  EXPECT_TRUE(key_->Verify(*token, kDefaultIssuer, {"vault"}, kNow).ok());
  EXPECT_FALSE(key_->Verify(*token, "https://other", {"vault"}, kNow).ok());
}

TEST_F(ServiceAccountTokenTest, TamperedOrMalformedTokenIsRefused) {
  auto token = key_->Issue(Claims());
  ASSERT_TRUE(token.ok());
  // Another payload under the first signature.
  TokenClaims admin = Claims();
  admin.ns = "kube-system";
  auto forged = key_->Issue(admin);
  ASSERT_TRUE(forged.ok());
  const std::string spliced =
      forged->substr(0, forged->rfind('.')) + token->substr(token->rfind('.'));
  EXPECT_FALSE(
      key_->Verify(spliced, kDefaultIssuer, {kDefaultIssuer}, kNow).ok());
  for (const char* bad :
       {"", "abc", "a.b", "a.b.c.d", "abcdef.0123456789abcdef"}) {
    EXPECT_FALSE(key_->Verify(bad, kDefaultIssuer, {kDefaultIssuer}, kNow).ok())
        << bad;
  }
}

TEST_F(ServiceAccountTokenTest, KeyIsMadeOnceAndKeptPrivate) {
  const std::string path = dir_.path() + "/sa.key";
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 077, 0u);
  auto again = TokenKey::LoadOrCreate(path);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->key_id(), key_->key_id());
  auto token = key_->Issue(Claims());
  ASSERT_TRUE(token.ok());
  EXPECT_TRUE(
      again->Verify(*token, kDefaultIssuer, {kDefaultIssuer}, kNow).ok());
}

}  // namespace
}  // namespace berth::auth
