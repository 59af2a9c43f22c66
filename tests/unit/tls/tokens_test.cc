#include "kernel/api/tls/tokens.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "tests/unit/tls/test_util.h"

namespace berth::tls {
namespace {

using ::testing::ElementsAre;

TEST(TokensTest, AdminTokenIsCreatedOnceAndAuthenticates) {
  TempDir dir;
  StatusOr<std::string> token = EnsureAdminToken(dir.path());
  ASSERT_TRUE(token.ok()) << token.status().ToString();
  EXPECT_EQ(token->size(), 64u);
  const std::string path = TokenFilePath(dir.path());
  EXPECT_EQ(path, dir.path() + "/tokens.csv");
  EXPECT_EQ(FileMode(path), 0600);
  EXPECT_EQ(ReadOrFail(path), *token + ",admin,admin,\"system:masters\"\n");

  StatusOr<std::string> again = EnsureAdminToken(dir.path());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *token);

  StatusOr<TokenAuthenticator> auth = TokenAuthenticator::LoadFile(path);
  ASSERT_TRUE(auth.ok()) << auth.status().ToString();
  StatusOr<UserInfo> user = auth->Authenticate(*token);
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->name, "admin");
  EXPECT_EQ(user->uid, "admin");
  EXPECT_THAT(user->groups, ElementsAre("system:masters"));

  std::string wrong = *token;
  wrong.back() = wrong.back() == 'a' ? 'b' : 'a';
  for (const std::string& bad : {wrong, token->substr(0, 63), std::string()}) {
    StatusOr<UserInfo> denied = auth->Authenticate(bad);
    ASSERT_FALSE(denied.ok());
    EXPECT_EQ(denied.status().code(), Status::Code::kUnauthorized);
    EXPECT_EQ(denied.status().message(), "Unauthorized");
  }
}

TEST(TokensTest, RandomTokensDiffer) {
  TempDir a, b;
  StatusOr<std::string> ta = EnsureAdminToken(a.path());
  StatusOr<std::string> tb = EnsureAdminToken(b.path());
  ASSERT_TRUE(ta.ok() && tb.ok());
  EXPECT_NE(*ta, *tb);
}

TEST(TokensTest, ParsesTheKubernetesFormat) {
  StatusOr<TokenAuthenticator> auth = TokenAuthenticator::Parse(
      "t1,alice,u1,\"dev,ops\"\r\n"
      "\n"
      "t2,bob,u2\n"
      "t3, carol,u3,single\n"
      "t4,\"dave \"\"d\"\"\",u4,\"\"\n");
  ASSERT_TRUE(auth.ok()) << auth.status().ToString();
  EXPECT_EQ(auth->size(), 4u);
  StatusOr<UserInfo> alice = auth->Authenticate("t1");
  ASSERT_TRUE(alice.ok());
  EXPECT_EQ(alice->name, "alice");
  EXPECT_EQ(alice->uid, "u1");
  EXPECT_THAT(alice->groups, ElementsAre("dev", "ops"));
  StatusOr<UserInfo> bob = auth->Authenticate("t2");
  ASSERT_TRUE(bob.ok());
  EXPECT_TRUE(bob->groups.empty());
  StatusOr<UserInfo> carol = auth->Authenticate("t3");
  ASSERT_TRUE(carol.ok());
  EXPECT_EQ(carol->name, "carol");
  EXPECT_THAT(carol->groups, ElementsAre("single"));
  StatusOr<UserInfo> dave = auth->Authenticate("t4");
  ASSERT_TRUE(dave.ok());
  EXPECT_EQ(dave->name, "dave \"d\"");
}

TEST(TokensTest, MalformedLinesAreRejectedWithTheirNumber) {
  StatusOr<TokenAuthenticator> short_line =
      TokenAuthenticator::Parse("t1,alice,u1\nt2,bob\n");
  ASSERT_FALSE(short_line.ok());
  EXPECT_EQ(short_line.status().code(), Status::Code::kInvalid);
  EXPECT_NE(short_line.status().message().find("line 2"), std::string::npos);

  EXPECT_FALSE(TokenAuthenticator::Parse(",alice,u1\n").ok());
  EXPECT_FALSE(TokenAuthenticator::Parse("t1,alice,u1,\"dev\n").ok());
}

TEST(TokensTest, ExistingFileWithoutAdminIsNotOverwritten) {
  TempDir dir;
  const std::string path = TokenFilePath(dir.path());
  std::ofstream(path) << "t1,alice,u1\n";
  StatusOr<std::string> token = EnsureAdminToken(dir.path());
  ASSERT_FALSE(token.ok());
  EXPECT_EQ(token.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(ReadOrFail(path), "t1,alice,u1\n");
}

TEST(TokensTest, MissingFileIsNotFound) {
  TempDir dir;
  EXPECT_EQ(
      TokenAuthenticator::LoadFile(dir.path() + "/none.csv").status().code(),
      Status::Code::kNotFound);
}

}  // namespace
}  // namespace berth::tls
