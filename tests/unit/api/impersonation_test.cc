#include "kernel/api/server/impersonation.h"

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SocketAddress.h>
#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>

namespace berth::api {
namespace {

// Only the headers matter to Impersonate.
class HeaderOnlyRequest : public Poco::Net::HTTPServerRequest {
 public:
  std::istream& stream() override { return body_; }
  const Poco::Net::SocketAddress& clientAddress() const override {
    return address_;
  }
  const Poco::Net::SocketAddress& serverAddress() const override {
    return address_;
  }
  const Poco::Net::HTTPServerParams& serverParams() const override {
    return *params_;
  }
  Poco::Net::HTTPServerResponse& response() const override {
    throw std::logic_error("no response in this test");
  }
  bool secure() const override { return true; }

 private:
  std::istringstream body_;
  Poco::Net::SocketAddress address_;
  Poco::Net::HTTPServerParams::Ptr params_ = new Poco::Net::HTTPServerParams;
};

// Allows impersonating anyone but "root" and the group "admins".
class NoRoot : public Authorizer {
 public:
  AuthorizationDecision Authorize(
      const AuthorizationAttributes& a) const override {
    return {a.verb == "impersonate" && a.name != "root" && a.name != "admins",
            ""};
  }
  UserRules RulesFor(const UserInfo&, const std::string&) const override {
    return {};
  }
};

const UserInfo kBob{"bob", "u-bob", {"system:authenticated"}};

TEST(ImpersonationTest, NoHeadersKeepsTheRealUser) {
  HeaderOnlyRequest req;
  auto user = Impersonate(req, kBob, NoRoot());
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->name, "bob");
}

TEST(ImpersonationTest, UserGroupsAndUidAreTakenOver) {
  HeaderOnlyRequest req;
  req.add("Impersonate-User", "jane");
  req.add("Impersonate-Group", "devs");
  req.add("impersonate-group", "ops");
  req.add("Impersonate-Uid", "u-jane");
  auto user = Impersonate(req, kBob, NoRoot());
  ASSERT_TRUE(user.ok()) << user.status().ToString();
  EXPECT_EQ(user->name, "jane");
  EXPECT_EQ(user->uid, "u-jane");
  EXPECT_EQ(user->groups,
            (std::vector<std::string>{"devs", "ops", "system:authenticated"}));
}

TEST(ImpersonationTest, AnonymousIsUnauthenticated) {
  HeaderOnlyRequest req;
  req.add("Impersonate-User", "system:anonymous");
  auto user = Impersonate(req, kBob, NoRoot());
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->groups, std::vector<std::string>{"system:unauthenticated"});
}

TEST(ImpersonationTest, RefusedUserOrGroupIsForbidden) {
  HeaderOnlyRequest root;
  root.add("Impersonate-User", "root");
  auto denied = Impersonate(root, kBob, NoRoot());
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.status().code(), Status::Code::kForbidden);
  EXPECT_EQ(denied.status().message(),
            "users \"root\" is forbidden: User \"bob\" cannot impersonate "
            "resource \"users\" in API group \"\" at the cluster scope");

  HeaderOnlyRequest group;
  group.add("Impersonate-User", "jane");
  group.add("Impersonate-Group", "admins");
  auto refused = Impersonate(group, kBob, NoRoot());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Status::Code::kForbidden);
}

TEST(ImpersonationTest, GroupsWithoutAUserAreAnError) {
  HeaderOnlyRequest req;
  req.add("Impersonate-Group", "devs");
  auto user = Impersonate(req, kBob, NoRoot());
  ASSERT_FALSE(user.ok());
  EXPECT_EQ(user.status().code(), Status::Code::kInternal);
}

}  // namespace
}  // namespace berth::api
