// The kubelet port: a process's connect handlers served on kubelet's paths
// to API servers only — the kubelet-client certificate gets in, no
// certificate, another user or another CA does not.
#include "kernel/api/server/kubelet_server.h"

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>

#include "kernel/api/tls/file_util.h"
#include "kernel/api/tls/pki.h"
#include "kernel/api/tls/server_context.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/api/echo_log_handler.h"

namespace berth::api {
namespace {

using berth::testing::TempDir;

struct Reply {
  int code = 0;
  std::string body;
};

class KubeletServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pki = tls::EnsurePki(dir_.path() + "/cluster", {});
    ASSERT_TRUE(pki.ok()) << pki.status().message();
    pki_ = *pki;
    auto bound = BindKubeletPort(dir_.path(), pki_.ca_cert, "127.0.0.1", 0);
    ASSERT_TRUE(bound.ok()) << bound.status().message();
    server_ = std::move(bound).value();
    ASSERT_GT(server_->port(), 0);
    ASSERT_TRUE(server_->Start({std::make_shared<EchoLogHandler>()}).ok());
  }

  // GET `path` presenting `cert`/`key` (PEM; empty: no certificate).
  Reply Get(const std::string& path, const std::string& cert = "",
            const std::string& key = "") {
    auto ctx = tls::MakeClientContextFromPem("", cert, key,
                                             /*skip_verify=*/true);
    EXPECT_TRUE(ctx.ok()) << ctx.status().message();
    Poco::Net::HTTPSClientSession session(
        "127.0.0.1", static_cast<Poco::UInt16>(server_->port()), *ctx);
    Poco::Net::HTTPRequest request("GET", path, "HTTP/1.1");
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    Reply r;
    r.code = response.getStatus();
    std::ostringstream body;
    Poco::StreamCopier::copyStream(in, body);
    r.body = body.str();
    return r;
  }

  Reply GetAs(const std::string& path, const std::string& cert_file,
              const std::string& key_file) {
    auto cert = tls::ReadFileToString(cert_file);
    auto key = tls::ReadFileToString(key_file);
    EXPECT_TRUE(cert.ok() && key.ok());
    return Get(path, *cert, *key);
  }

  TempDir dir_;
  tls::PkiPaths pki_;
  std::unique_ptr<KubeletServer> server_;
};

TEST_F(KubeletServerTest, ServesTheApiServersKubeletClient) {
  Reply r = GetAs("/containerLogs/default/web/httpd?tailLines=3",
                  pki_.kubelet_client_cert, pki_.kubelet_client_key);
  EXPECT_EQ(r.code, 200) << r.body;
  EXPECT_EQ(r.body,
            "kube-apiserver-kubelet-client default/web/httpd tailLines=3");
}

TEST_F(KubeletServerTest, HandlerErrorsAndUnknownPathsAreReplies) {
  Reply missing = GetAs("/containerLogs/default/missing/c",
                        pki_.kubelet_client_cert, pki_.kubelet_client_key);
  EXPECT_EQ(missing.code, 404);
  EXPECT_NE(missing.body.find("pods \\\"missing\\\" not found"),
            std::string::npos)
      << missing.body;
  Reply unknown = GetAs("/exec/default/web/httpd", pki_.kubelet_client_cert,
                        pki_.kubelet_client_key);
  EXPECT_EQ(unknown.code, 404);  // no handler serves exec here
}

TEST_F(KubeletServerTest, RefusesClientsWithoutACertificate) {
  Reply r = Get("/containerLogs/default/web/httpd");
  EXPECT_EQ(r.code, 401) << r.body;
}

TEST_F(KubeletServerTest, RefusesOtherUsersOfTheCluster) {
  auto bob = tls::IssueClientCert(pki_, "bob", {"developers"});
  ASSERT_TRUE(bob.ok());
  Reply r =
      Get("/containerLogs/default/web/httpd", bob->cert_pem, bob->key_pem);
  EXPECT_EQ(r.code, 403) << r.body;
  EXPECT_NE(r.body.find("user=bob"), std::string::npos) << r.body;
}

TEST_F(KubeletServerTest, RefusesCertificatesOfAnotherCa) {
  auto other = tls::EnsurePki(dir_.path() + "/other", {});
  ASSERT_TRUE(other.ok());
  // Signed by another CA, though it names the kubelet-client identity.
  bool refused = false;
  try {
    Reply r = GetAs("/containerLogs/default/web/httpd",
                    other->kubelet_client_cert, other->kubelet_client_key);
    refused = r.code == 401 || r.code == 403;
  } catch (const Poco::Exception&) {
    refused = true;  // the handshake fails
  }
  EXPECT_TRUE(refused);
}

}  // namespace
}  // namespace berth::api
