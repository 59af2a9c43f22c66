// The service account token authenticator: a good token is the service
// account's user while its ServiceAccount (and bound pod) live with the
// uids the token names; an expired token, another key's, a deleted or
// recreated ServiceAccount, a deleted pod and non-JWT tokens are refused.
#include "service_account_authenticator.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "tests/support/temp_dir.h"
#include "tests/unit/core/fake_client.h"

namespace berth::auth {
namespace {

using std::chrono::seconds;
using Clock = std::chrono::system_clock;

const Clock::time_point kNow = Clock::time_point(seconds(1800000000));

class ServiceAccountAuthenticatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto key = TokenKey::LoadOrCreate(dir_.path() + "/sa.key");
    ASSERT_TRUE(key.ok()) << key.status().message();
    key_ = std::make_shared<const TokenKey>(std::move(key).value());
    client_.objects["serviceaccounts/team/builder"] =
        R"({"metadata":{"name":"builder","namespace":"team","uid":"sa-uid"}})";
    client_.objects["pods/team/web-0"] =
        R"({"metadata":{"name":"web-0","namespace":"team","uid":"pod-uid"}})";
  }
  TokenClaims Claims(bool bound) const {
    TokenClaims c;
    c.issuer = kDefaultIssuer;
    c.audiences = {kDefaultIssuer};
    c.ns = "team";
    c.service_account = "builder";
    c.service_account_uid = "sa-uid";
    if (bound) {
      c.pod = "web-0";
      c.pod_uid = "pod-uid";
    }
    c.issued_at = kNow;
    c.expires_at = kNow + seconds(3607);
    return c;
  }
  ServiceAccountAuthenticator Authenticator(Clock::time_point at) {
    return ServiceAccountAuthenticator(key_, kDefaultIssuer, {kDefaultIssuer},
                                       client_, [at] { return at; });
  }

  berth::testing::TempDir dir_;
  std::shared_ptr<const TokenKey> key_;
  core::FakeClient client_;
};

TEST_F(ServiceAccountAuthenticatorTest, GoodTokenIsTheServiceAccount) {
  auto token = key_->Issue(Claims(/*bound=*/true));
  ASSERT_TRUE(token.ok());
  auto user = Authenticator(kNow + seconds(10)).AuthenticateToken(*token);
  ASSERT_TRUE(user.has_value());
  EXPECT_EQ(user->name, "system:serviceaccount:team:builder");
  EXPECT_EQ(user->uid, "sa-uid");
  EXPECT_EQ(user->groups,
            (std::vector<std::string>{"system:serviceaccounts",
                                      "system:serviceaccounts:team"}));
}

TEST_F(ServiceAccountAuthenticatorTest, ExpiredOrForeignTokensAreRefused) {
  auto token = key_->Issue(Claims(false));
  ASSERT_TRUE(token.ok());
  EXPECT_FALSE(Authenticator(kNow + seconds(3607)).AuthenticateToken(*token));
  berth::testing::TempDir other_dir;
  auto other = TokenKey::LoadOrCreate(other_dir.path() + "/sa.key");
  ASSERT_TRUE(other.ok());
  auto foreign = other->Issue(Claims(false));
  ASSERT_TRUE(foreign.ok());
  EXPECT_FALSE(Authenticator(kNow).AuthenticateToken(*foreign));
  EXPECT_FALSE(
      Authenticator(kNow).AuthenticateToken("abcdef.0123456789abcdef"));
  EXPECT_FALSE(Authenticator(kNow).AuthenticateToken("eyJhbGciOi.x.y"));
}

TEST_F(ServiceAccountAuthenticatorTest, TokenDiesWithItsServiceAccountOrPod) {
  auto bound = key_->Issue(Claims(true));
  auto unbound = key_->Issue(Claims(false));
  ASSERT_TRUE(bound.ok() && unbound.ok());
  client_.objects.erase("pods/team/web-0");
  EXPECT_FALSE(Authenticator(kNow).AuthenticateToken(*bound));
  EXPECT_TRUE(Authenticator(kNow).AuthenticateToken(*unbound));
  // A ServiceAccount deleted and made again under the same name is another
  // account: the old token does not carry over.
  client_.objects["serviceaccounts/team/builder"] =
      R"({"metadata":{"name":"builder","namespace":"team","uid":"new-uid"}})";
  EXPECT_FALSE(Authenticator(kNow).AuthenticateToken(*unbound));
  client_.objects.erase("serviceaccounts/team/builder");
  EXPECT_FALSE(Authenticator(kNow).AuthenticateToken(*unbound));
}

TEST_F(ServiceAccountAuthenticatorTest, TokenDiesWithItsSecretOrNode) {
  client_.objects["secrets/team/s"] =
      R"({"metadata":{"name":"s","namespace":"team","uid":"s-uid"}})";
  client_.objects["nodes//n1"] = R"({"metadata":{"name":"n1","uid":"n-uid"}})";
  TokenClaims to_secret = Claims(false);
  to_secret.secret = "s";
  to_secret.secret_uid = "s-uid";
  TokenClaims to_node = Claims(false);
  to_node.node = "n1";
  to_node.node_uid = "n-uid";
  // A pod's token names its node too, but lives with the pod alone.
  TokenClaims pod_on_node = Claims(true);
  pod_on_node.node = "n1";
  pod_on_node.node_uid = "n-uid";
  auto secret = key_->Issue(to_secret);
  auto node = key_->Issue(to_node);
  auto pod = key_->Issue(pod_on_node);
  ASSERT_TRUE(secret.ok() && node.ok() && pod.ok());
  EXPECT_TRUE(Authenticator(kNow).AuthenticateToken(*secret));
  EXPECT_TRUE(Authenticator(kNow).AuthenticateToken(*node));
  client_.objects.erase("secrets/team/s");
  client_.objects.erase("nodes//n1");
  EXPECT_FALSE(Authenticator(kNow).AuthenticateToken(*secret));
  EXPECT_FALSE(Authenticator(kNow).AuthenticateToken(*node));
  EXPECT_TRUE(Authenticator(kNow).AuthenticateToken(*pod));
}

}  // namespace
}  // namespace berth::auth
