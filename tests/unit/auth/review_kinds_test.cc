// The self-review kinds: what kubectl's `auth can-i` and `auth whoami` read
// back, for a user and an authorizer that allows or denies.
#include "review_kinds.h"

#include <gtest/gtest.h>

namespace berth::auth {
namespace {

// Allows only "get pods" in namespace "team"; remembers what it was asked.
class TeamReader : public Authorizer {
 public:
  AuthorizationDecision Authorize(
      const AuthorizationAttributes& a) const override {
    last = a;
    if (a.resource_request && a.verb == "get" && a.resource == "pods" &&
        a.ns == "team") {
      return {true, "team readers may get pods"};
    }
    return {false, ""};
  }
  UserRules RulesFor(const UserInfo& user,
                     const std::string& ns) const override {
    UserRules r;
    if (ns == "team") r.resource_rules.push_back({{"get"}, {""}, {"pods"}, {}});
    r.incomplete = true;
    return r;
  }
  mutable AuthorizationAttributes last;
};

UserInfo Alice() { return {"alice", "u-1", {"devs", "system:authenticated"}}; }

JsonDoc Parse(const char* text) {
  auto doc = ParseJson(text);
  EXPECT_TRUE(doc.ok());
  return std::move(doc).value();
}

TEST(SelfSubjectAccessReviewTest, AnswersFromTheAuthorizer) {
  SelfSubjectAccessReviewKind kind;
  EXPECT_FALSE(kind.Info().stored);
  EXPECT_EQ(kind.Info().verbs, std::vector<std::string>{"create"});
  TeamReader authz;
  JsonDoc yes =
      Parse(R"({"spec":{"resourceAttributes":{"namespace":"team","verb":"get",)"
            R"("resource":"pods","name":"web"}}})");
  ASSERT_TRUE(kind.Validate(yes, nullptr).empty());
  ASSERT_TRUE(kind.Review(yes, yes.GetAllocator(), Alice(), authz).ok());
  EXPECT_TRUE(Find(yes, {"status", "allowed"})->GetBool());
  EXPECT_EQ(GetString(yes, {"status", "reason"}), "team readers may get pods");
  EXPECT_EQ(authz.last.user.name, "alice");
  EXPECT_EQ(authz.last.name, "web");

  JsonDoc no =
      Parse(R"({"spec":{"resourceAttributes":{"namespace":"prod","verb":"get",)"
            R"("resource":"pods"}}})");
  ASSERT_TRUE(kind.Review(no, no.GetAllocator(), Alice(), authz).ok());
  EXPECT_FALSE(Find(no, {"status", "allowed"})->GetBool());
  EXPECT_EQ(Find(no, {"status", "reason"}), nullptr);

  JsonDoc path = Parse(
      R"({"spec":{"nonResourceAttributes":{"path":"/healthz","verb":"get"}}})");
  ASSERT_TRUE(kind.Review(path, path.GetAllocator(), Alice(), authz).ok());
  EXPECT_FALSE(authz.last.resource_request);
  EXPECT_EQ(authz.last.path, "/healthz");
}

TEST(SelfSubjectAccessReviewTest, NeedsExactlyOneKindOfAttributes) {
  SelfSubjectAccessReviewKind kind;
  auto none = kind.Validate(Parse(R"({"spec":{}})"), nullptr);
  ASSERT_EQ(none.size(), 1u);
  EXPECT_EQ(none[0].field, "spec.resourceAttributes");
  auto both = kind.Validate(
      Parse(R"({"spec":{"resourceAttributes":{"verb":"get"},)"
            R"("nonResourceAttributes":{"path":"/","verb":"get"}}})"),
      nullptr);
  ASSERT_EQ(both.size(), 1u);
  EXPECT_EQ(both[0].field, "spec.nonResourceAttributes");
}

TEST(SelfSubjectRulesReviewTest, ListsTheRulesOfTheNamespace) {
  SelfSubjectRulesReviewKind kind;
  TeamReader authz;
  JsonDoc doc = Parse(R"({"spec":{"namespace":"team"}})");
  ASSERT_TRUE(kind.Review(doc, doc.GetAllocator(), Alice(), authz).ok());
  const Json* rules = Find(doc, {"status", "resourceRules"});
  ASSERT_TRUE(rules && rules->IsArray());
  ASSERT_EQ(rules->Size(), 1u);
  EXPECT_STREQ((*rules)[0]["verbs"][0].GetString(), "get");
  EXPECT_STREQ((*rules)[0]["resources"][0].GetString(), "pods");
  EXPECT_TRUE(Find(doc, {"status", "incomplete"})->GetBool());
  EXPECT_TRUE(Find(doc, {"status", "nonResourceRules"})->IsArray());
}

TEST(SelfSubjectReviewTest, ReportsTheAuthenticatedUser) {
  SelfSubjectReviewKind kind;
  TeamReader authz;
  JsonDoc doc = Parse(R"({"metadata":{}})");
  ASSERT_TRUE(kind.Review(doc, doc.GetAllocator(), Alice(), authz).ok());
  EXPECT_EQ(GetString(doc, {"status", "userInfo", "username"}), "alice");
  EXPECT_EQ(GetString(doc, {"status", "userInfo", "uid"}), "u-1");
  const Json* groups = Find(doc, {"status", "userInfo", "groups"});
  ASSERT_TRUE(groups && groups->IsArray());
  ASSERT_EQ(groups->Size(), 2u);
  EXPECT_STREQ((*groups)[1].GetString(), "system:authenticated");
}

}  // namespace
}  // namespace berth::auth
