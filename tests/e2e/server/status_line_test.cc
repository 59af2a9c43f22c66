// The status line of the server's answers carries the reason phrase of its
// code, as Go's net/http writes it for kube-apiserver ("HTTP/1.1 401
// Unauthorized"). Clients print it: busybox wget in a pod says "server
// returned error: HTTP/1.1 401 Unauthorized", where Berth once said "401 OK".
// Checked with curl against a real `berth server`.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/support/process.h"

namespace berth::testing {
namespace {

using ::testing::StartsWith;

class StatusLineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (RunCommand("curl --version").exit_code != 0) {
      GTEST_SKIP() << "no curl (scripts/install-deps.sh installs it)";
    }
    ASSERT_TRUE(server_.Start()) << server_.log();
  }

  // The first line curl saw for `method` `path` with the admin's
  // credentials (or none).
  std::string StatusLine(const std::string& method, const std::string& path,
                         bool authenticated, const std::string& body = "") {
    std::string cmd = "curl -s -i --cacert " + server_.data_dir() +
                      "/pki/ca.crt -X " + method;
    if (authenticated) {
      cmd += " --cert " + server_.data_dir() + "/pki/admin.crt --key " +
             server_.data_dir() + "/pki/admin.key";
    }
    if (!body.empty()) {
      cmd += " -H 'Content-Type: application/json' -d '" + body + "'";
    }
    auto r = RunCommand(cmd + " " + server_.url() + path + " | head -1");
    std::string line = r.out;
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
      line.pop_back();
    }
    return line;
  }

  TempDir dir_;
  BerthServer server_{dir_.path()};
};

TEST_F(StatusLineTest, EachCodeCarriesItsReasonPhrase) {
  EXPECT_EQ(StatusLine("GET", "/api", false), "HTTP/1.1 401 Unauthorized");
  EXPECT_EQ(StatusLine("GET", "/api", true), "HTTP/1.1 200 OK");
  EXPECT_EQ(
      StatusLine("GET", "/api/v1/namespaces/default/configmaps/none", true),
      "HTTP/1.1 404 Not Found");
  const std::string cm = R"({"apiVersion":"v1","kind":"ConfigMap",)"
                         R"("metadata":{"name":"one"}})";
  EXPECT_EQ(
      StatusLine("POST", "/api/v1/namespaces/default/configmaps", true, cm),
      "HTTP/1.1 201 Created");
  EXPECT_EQ(
      StatusLine("POST", "/api/v1/namespaces/default/configmaps", true, cm),
      "HTTP/1.1 409 Conflict");
  EXPECT_THAT(StatusLine("POST", "/api/v1/namespaces/default/configmaps", true,
                         R"({"apiVersion":"v1","kind":"ConfigMap",)"
                         R"("metadata":{"name":"Bad_Name"}})"),
              StartsWith("HTTP/1.1 422 Unprocessable"));
}

}  // namespace
}  // namespace berth::testing
