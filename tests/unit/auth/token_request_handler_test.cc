// The TokenRequest handler (serviceaccounts/token): defaults, the claims of
// the token it issues, its binding to a pod or secret, and the refusals
// kube-apiserver gives (a pod of another ServiceAccount, a stale uid, an
// unsupported kind, a too short expiry).
#include "token_request_handler.h"

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

class TokenRequestHandlerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = std::make_shared<const LazyTokenKey>(dir_.path() + "/sa.key");
    client_.objects["serviceaccounts/team/builder"] =
        R"({"metadata":{"name":"builder","namespace":"team","uid":"sa-uid"}})";
    client_.objects["pods/team/web-0"] =
        R"({"metadata":{"name":"web-0","namespace":"team","uid":"pod-uid"},)"
        R"("spec":{"serviceAccountName":"builder","nodeName":"n1"}})";
    client_.objects["nodes//n1"] =
        R"({"metadata":{"name":"n1","uid":"node-uid"}})";
    client_.objects["pods/team/other"] =
        R"({"metadata":{"name":"other","namespace":"team","uid":"o-uid"},)"
        R"("spec":{"serviceAccountName":"default"}})";
    client_.objects["secrets/team/s"] =
        R"({"metadata":{"name":"s","namespace":"team","uid":"s-uid"}})";
  }
  // Handles `body` for team/builder; the answer or the refusal.
  StatusOr<JsonDoc> Handle(const std::string& body,
                           const std::string& name = "builder") {
    TokenRequestHandler handler(key_, kDefaultIssuer, {kDefaultIssuer}, client_,
                                [] { return kNow; });
    auto doc = ParseJson(body);
    if (!doc.ok()) return doc.status();
    ActionRequest req;
    req.namespace_name = "team";
    req.name = name;
    if (Status s = handler.Handle(req, *doc, doc->GetAllocator()); !s.ok()) {
      return s;
    }
    return std::move(doc).value();
  }
  StatusOr<TokenClaims> Verify(const JsonDoc& answer,
                               const std::string& audience = kDefaultIssuer) {
    auto key = key_->Get();
    if (!key.ok()) return key.status();
    return (*key)->Verify(GetString(answer, {"status", "token"}),
                          kDefaultIssuer, {audience}, kNow + seconds(1));
  }

  berth::testing::TempDir dir_;
  std::shared_ptr<const LazyTokenKey> key_;
  core::FakeClient client_;
};

TEST_F(TokenRequestHandlerTest, DefaultsAndClaimsAreKubernetes) {
  auto answer = Handle(R"({"spec":{}})");
  ASSERT_TRUE(answer.ok()) << answer.status().message();
  EXPECT_EQ(GetInt(*answer, {"spec", "expirationSeconds"}), 3600);
  EXPECT_EQ(GetString(*answer, {"metadata", "name"}), "builder");
  EXPECT_EQ(GetString(*answer, {"metadata", "namespace"}), "team");
  // 1800000000 + 3600 s.
  EXPECT_EQ(GetString(*answer, {"status", "expirationTimestamp"}),
            "2027-01-15T09:00:00Z");
  auto claims = Verify(*answer);
  ASSERT_TRUE(claims.ok()) << claims.status().message();
  EXPECT_EQ(claims->service_account, "builder");
  EXPECT_EQ(claims->service_account_uid, "sa-uid");
  EXPECT_EQ(claims->audiences, std::vector<std::string>{kDefaultIssuer});
  EXPECT_EQ(claims->expires_at, kNow + seconds(3600));
  EXPECT_TRUE(claims->pod.empty());
}

TEST_F(TokenRequestHandlerTest, AudiencesAndExpiryAreTheRequests) {
  auto answer =
      Handle(R"({"spec":{"audiences":["vault"],"expirationSeconds":600}})");
  ASSERT_TRUE(answer.ok()) << answer.status().message();
  auto claims = Verify(*answer, "vault");
  ASSERT_TRUE(claims.ok()) << claims.status().message();
  EXPECT_EQ(claims->expires_at, kNow + seconds(600));
  EXPECT_FALSE(Verify(*answer).ok());  // not for the API server
}

TEST_F(TokenRequestHandlerTest, BindsToAPodANodeOrASecret) {
  auto pod =
      Handle(R"({"spec":{"boundObjectRef":{"kind":"Pod","apiVersion":"v1",)"
             R"("name":"web-0","uid":"pod-uid"}}})");
  ASSERT_TRUE(pod.ok()) << pod.status().message();
  auto claims = Verify(*pod);
  ASSERT_TRUE(claims.ok());
  EXPECT_EQ(claims->pod, "web-0");
  EXPECT_EQ(claims->pod_uid, "pod-uid");
  EXPECT_EQ(claims->node, "n1");  // the pod's node
  EXPECT_EQ(claims->node_uid, "node-uid");
  auto node =
      Handle(R"({"spec":{"boundObjectRef":{"kind":"Node","apiVersion":"v1",)"
             R"("name":"n1","uid":"node-uid"}}})");
  ASSERT_TRUE(node.ok()) << node.status().message();
  claims = Verify(*node);
  ASSERT_TRUE(claims.ok());
  EXPECT_EQ(claims->node, "n1");
  EXPECT_TRUE(claims->pod.empty());
  auto secret =
      Handle(R"({"spec":{"boundObjectRef":{"kind":"Secret","apiVersion":"v1",)"
             R"("name":"s"}}})");
  ASSERT_TRUE(secret.ok()) << secret.status().message();
  claims = Verify(*secret);
  ASSERT_TRUE(claims.ok());
  EXPECT_EQ(claims->secret, "s");
  EXPECT_EQ(claims->secret_uid, "s-uid");
}

// kube-apiserver's safe transition for projected tokens: a pod-bound token
// for the API server asking 3607 s is valid a year, warned about after
// 3607 s; the answer still says 3607 s.
TEST_F(TokenRequestHandlerTest, ProjectedTokenIsExtendedWithWarnAfter) {
  const std::string bound =
      R"("boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"web-0"})";
  auto projected =
      Handle(R"({"spec":{"expirationSeconds":3607,)" + bound + "}}");
  ASSERT_TRUE(projected.ok()) << projected.status().message();
  EXPECT_EQ(GetString(*projected, {"status", "expirationTimestamp"}),
            "2027-01-15T09:00:07Z");
  auto claims = Verify(*projected);
  ASSERT_TRUE(claims.ok());
  EXPECT_EQ(claims->expires_at, kNow + seconds(365 * 24 * 3600));
  ASSERT_TRUE(claims->warn_after.has_value());
  EXPECT_EQ(*claims->warn_after, kNow + seconds(3607));
  // Another audience, another lifetime or no pod: exactly as asked.
  for (const std::string& spec :
       {R"({"spec":{"expirationSeconds":3607,"audiences":["vault"],)" + bound +
            "}}",
        R"({"spec":{"expirationSeconds":3608,)" + bound + "}}",
        std::string(R"({"spec":{"expirationSeconds":3607}})")}) {
    auto answer = Handle(spec);
    ASSERT_TRUE(answer.ok()) << spec;
    auto key = key_->Get();
    ASSERT_TRUE(key.ok());
    const bool vault = spec.find("vault") != std::string::npos;
    auto c =
        (*key)->Verify(GetString(*answer, {"status", "token"}), kDefaultIssuer,
                       {vault ? "vault" : kDefaultIssuer}, kNow + seconds(1));
    ASSERT_TRUE(c.ok()) << spec;
    EXPECT_EQ(c->expires_at,
              kNow + seconds(GetInt(*answer, {"spec", "expirationSeconds"})))
        << spec;
    EXPECT_FALSE(c->warn_after.has_value()) << spec;
  }
}

TEST_F(TokenRequestHandlerTest, RefusalsAreKubernetes) {
  EXPECT_EQ(Handle("{}", "nobody").status().code(), Status::Code::kNotFound);
  auto short_lived = Handle(R"({"spec":{"expirationSeconds":599}})");
  EXPECT_EQ(short_lived.status().code(), Status::Code::kInvalid);
  EXPECT_EQ(short_lived.status().message(),
            "TokenRequest.authentication.k8s.io \"builder\" is invalid: "
            "spec.expirationSeconds: Invalid value: 599: may not specify a "
            "duration less than 10 minutes");
  auto other_account =
      Handle(R"({"spec":{"boundObjectRef":{"kind":"Pod","apiVersion":"v1",)"
             R"("name":"other"}}})");
  EXPECT_EQ(other_account.status().code(), Status::Code::kBadRequest);
  EXPECT_EQ(other_account.status().message(),
            "cannot bind token for serviceaccount \"builder\" to pod running "
            "with serviceaccount \"default\"");
  auto stale =
      Handle(R"({"spec":{"boundObjectRef":{"kind":"Pod","apiVersion":"v1",)"
             R"("name":"web-0","uid":"old-uid"}}})");
  EXPECT_EQ(stale.status().code(), Status::Code::kConflict);
  auto missing =
      Handle(R"({"spec":{"boundObjectRef":{"kind":"Pod","apiVersion":"v1",)"
             R"("name":"gone"}}})");
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  auto deployment = Handle(R"({"spec":{"boundObjectRef":{"kind":"Deployment",)"
                           R"("apiVersion":"apps/v1","name":"web"}}})");
  EXPECT_EQ(deployment.status().code(), Status::Code::kBadRequest);
  EXPECT_EQ(deployment.status().message(),
            "cannot bind token to object of type apps/v1, Kind=Deployment");
  auto renamed = Handle(R"({"metadata":{"name":"x"}})");
  EXPECT_EQ(renamed.status().code(), Status::Code::kInvalid);
}

}  // namespace
}  // namespace berth::auth
