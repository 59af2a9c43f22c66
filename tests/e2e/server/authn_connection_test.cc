// Certificate users are remembered per TLS connection: many requests on one
// keep-alive connection, and new connections that reuse a closed
// connection's file descriptor with another certificate, each get the user
// their own certificate names.
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <string>

#include "kernel/api/tls/pki.h"
#include "tests/support/api_client.h"
#include "tests/support/process.h"

namespace berth::testing {
namespace {

constexpr char kWhoAmI[] =
    R"({"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"})";

std::string Username(ApiClient& client) {
  ApiResponse r = client.Request(
      "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", kWhoAmI);
  EXPECT_EQ(r.status, 201) << r.body << r.error;
  const std::string key = "\"username\":\"";
  size_t at = r.body.find(key);
  if (at == std::string::npos) return "";
  at += key.size();
  return r.body.substr(at, r.body.find('"', at) - at);
}

TEST(AuthnConnectionTest, EachConnectionKeepsItsOwnCertificateUser) {
  TempDir dir;
  BerthServer server(dir.path() + "/data");
  ASSERT_TRUE(server.Start()) << server.log();
  tls::PkiPaths pki = tls::PkiPathsFor(server.data_dir());
  auto jane = tls::IssueClientCert(pki, "jane", {"devs"});
  ASSERT_TRUE(jane.ok()) << jane.status().ToString();
  const std::string jane_cert = dir.path() + "/jane.crt";
  const std::string jane_key = dir.path() + "/jane.key";
  std::ofstream(jane_cert) << jane->cert_pem;
  std::ofstream(jane_key) << jane->key_pem;

  ApiClient admin(server.url(), server.data_dir());
  ApiClient jane_kept(server.url(), pki.ca_cert, jane_cert, jane_key);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(Username(admin), "admin");
    {
      // A fresh connection each round: its fd is usually the one the last
      // round's closed connection had.
      ApiClient fresh_admin(server.url(), server.data_dir());
      EXPECT_EQ(Username(fresh_admin), "admin");
    }
    ApiClient fresh_jane(server.url(), pki.ca_cert, jane_cert, jane_key);
    EXPECT_EQ(Username(fresh_jane), "jane");
    EXPECT_EQ(Username(jane_kept), "jane");
  }
  EXPECT_EQ(server.Stop(), 0) << server.log();
}

}  // namespace
}  // namespace berth::testing
