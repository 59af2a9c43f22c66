// The bootstrap token authenticator: which Secrets accept a token, who it
// authenticates as, and that a token whose Secret the informer has not seen
// yet is read past it.
#include "bootstrap_token_authenticator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace berth::certificates {
namespace {

using ::testing::ElementsAre;

constexpr char kToken[] = "abcdef.0123456789abcdef";

std::string Secret(const std::string& extra_data = "") {
  // "abcdef" and "0123456789abcdef", "true" in base64.
  return R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":)"
         R"("bootstrap-token-abcdef","namespace":"kube-system"},)"
         R"("type":"bootstrap.kubernetes.io/token","data":{)"
         R"("token-id":"YWJjZGVm","token-secret":"MDEyMzQ1Njc4OWFiY2RlZg==",)"
         R"("usage-bootstrap-authentication":"dHJ1ZQ==")" +
         extra_data + "}}";
}

std::optional<UserInfo> Check(const std::string& token,
                              const std::string& secret) {
  auto parts = ParseToken(token);
  if (!parts) return std::nullopt;
  auto doc = ParseJson(secret);
  EXPECT_TRUE(doc.ok());
  return UserForToken(*parts, *doc, std::chrono::system_clock::now());
}

TEST(BootstrapTokenTest, ParsesOnlyTheKubeadmForm) {
  auto parts = ParseToken(kToken);
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->id, "abcdef");
  EXPECT_EQ(parts->secret, "0123456789abcdef");
  EXPECT_FALSE(ParseToken("abcdef0123456789abcdef"));
  EXPECT_FALSE(ParseToken("ABCDEF.0123456789abcdef"));
  EXPECT_FALSE(ParseToken("abcdef.0123456789abcde"));
}

TEST(BootstrapTokenTest, TheSecretDecidesWhoTheTokenIs) {
  auto user = Check(kToken, Secret());
  ASSERT_TRUE(user);
  EXPECT_EQ(user->name, "system:bootstrap:abcdef");
  EXPECT_THAT(user->groups, ElementsAre("system:bootstrappers"));
  // auth-extra-groups "system:bootstrappers:kubeadm:default-node-token".
  user =
      Check(kToken, Secret(R"(,"auth-extra-groups":"c3lzdGVtOmJvb3RzdHJh)"
                           R"(cHBlcnM6a3ViZWFkbTpkZWZhdWx0LW5vZGUtdG9rZW4=")"));
  ASSERT_TRUE(user);
  EXPECT_THAT(user->groups,
              ElementsAre("system:bootstrappers",
                          "system:bootstrappers:kubeadm:default-node-token"));
  // A group outside system:bootstrappers: ("system:masters") refuses it.
  EXPECT_FALSE(
      Check(kToken, Secret(R"(,"auth-extra-groups":"c3lzdGVtOm1hc3RlcnM=")")));
  // Wrong secret; expired ("2020-01-01T00:00:00Z"); unreadable expiry.
  EXPECT_FALSE(Check("abcdef.0123456789abcdee", Secret()));
  EXPECT_FALSE(
      Check(kToken, Secret(R"(,"expiration":"MjAyMC0wMS0wMVQwMDowMDowMFo=")")));
  EXPECT_FALSE(Check(kToken, Secret(R"(,"expiration":"bm9w")")));
}

// An informer that has not seen the Secret yet.
class EmptyInformer : public Informer {
 public:
  bool HasSynced() const override { return true; }
  StatusOr<CachedObject> Get(const std::string&,
                             const std::string& name) const override {
    return Status::NotFound(name);
  }
  StatusOr<std::vector<CachedObject>> List(const std::string&,
                                           const std::string&) const override {
    return std::vector<CachedObject>{};
  }
  uint64_t AddHandlers(InformerHandlers) override { return 0; }
  void RemoveHandlers(uint64_t) override {}
};

class AuthenticatorTest : public ::testing::Test {
 protected:
  EmptyInformer informer_;
  std::map<std::string, std::string> store_{
      {"kube-system/bootstrap-token-abcdef", Secret()}};
  int reads_ = 0;
  ReadSecret Reader() {
    return [this](const std::string& ns,
                  const std::string& name) -> StatusOr<std::string> {
      ++reads_;
      auto it = store_.find(ns + "/" + name);
      if (it == store_.end()) return Status::NotFound(name);
      return it->second;
    };
  }
};

TEST_F(AuthenticatorTest, ATokenTheInformerHasNotSeenIsReadPastIt) {
  BootstrapTokenAuthenticator authenticator(informer_, Reader());
  auto user = authenticator.AuthenticateToken(kToken);
  ASSERT_TRUE(user);
  EXPECT_EQ(user->name, "system:bootstrap:abcdef");
  EXPECT_EQ(reads_, 1);
  EXPECT_FALSE(authenticator.AuthenticateToken("zzzzzz.0123456789abcdef"));
  // Something that is not a bootstrap token costs no read.
  EXPECT_FALSE(authenticator.AuthenticateToken("some-other-bearer-token"));
  EXPECT_EQ(reads_, 2);
}

TEST_F(AuthenticatorTest, WithoutAReaderOnlyTheInformerCounts) {
  BootstrapTokenAuthenticator authenticator(informer_, nullptr);
  EXPECT_FALSE(authenticator.AuthenticateToken(kToken));
}

}  // namespace
}  // namespace berth::certificates
