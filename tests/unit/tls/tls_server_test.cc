// End to end: a Poco HTTPS server using MakeServerContext, a handler that
// answers with the authenticated user, and real curl / Poco clients.
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/StreamCopier.h>
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "kernel/api/tls/authn.h"
#include "kernel/api/tls/file_util.h"
#include "kernel/api/tls/kubeconfig.h"
#include "kernel/api/tls/pki.h"
#include "kernel/api/tls/server_context.h"
#include "kernel/api/tls/tokens.h"
#include "tests/unit/tls/test_util.h"

namespace berth::tls {
namespace {

// Replies "<user> <group>,<group>..." or 401 "Unauthorized", exactly as the
// API server's authentication stage would decide.
class WhoAmIHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit WhoAmIHandler(const TokenAuthenticator* tokens) : tokens_(tokens) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    StatusOr<UserInfo> user = AuthenticateRequest(request, *tokens_);
    if (!user.ok()) {
      response.setStatus(Poco::Net::HTTPResponse::HTTP_UNAUTHORIZED);
      response.send() << user.status().message();
      return;
    }
    std::string body = user->name + " ";
    for (size_t i = 0; i < user->groups.size(); ++i) {
      body += (i ? "," : "") + user->groups[i];
    }
    response.send() << body;
  }

 private:
  const TokenAuthenticator* tokens_;
};

class WhoAmIFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit WhoAmIFactory(const TokenAuthenticator* tokens) : tokens_(tokens) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new WhoAmIHandler(tokens_);
  }

 private:
  const TokenAuthenticator* tokens_;
};

struct RunResult {
  int exit_code;
  std::string output;  // stdout and stderr
};

// Runs a shell command, capturing stdout and stderr.
RunResult RunShell(const std::string& command) {
  std::string cmd = command + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return {-1, "popen failed"};
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) out.append(buf, n);
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

RunResult Curl(const std::string& args) {
  return RunShell("/usr/bin/curl -sS --max-time 10 " + args);
}

// A non-loopback IPv4 address of this machine, or "" if there is none.
std::string NonLoopbackAddress() {
  ifaddrs* addrs = nullptr;
  if (getifaddrs(&addrs) != 0) return "";
  std::string found;
  for (ifaddrs* a = addrs; a != nullptr && found.empty(); a = a->ifa_next) {
    if (a->ifa_addr == nullptr || a->ifa_addr->sa_family != AF_INET) continue;
    auto* in = reinterpret_cast<sockaddr_in*>(a->ifa_addr);
    if ((ntohl(in->sin_addr.s_addr) >> 24) == 127) continue;
    char text[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &in->sin_addr, text, sizeof(text));
    found = text;
  }
  freeifaddrs(addrs);
  return found;
}

class TlsServerTest : public ::testing::Test {
 protected:
  // Starts the server on `host`, port 0, with a PKI whose serving cert also
  // names `host`.
  void Start(const std::string& host) {
    StatusOr<PkiPaths> pki = EnsurePki(dir_.path(), {host});
    ASSERT_TRUE(pki.ok()) << pki.status().ToString();
    pki_ = *pki;
    StatusOr<std::string> token = EnsureAdminToken(dir_.path());
    ASSERT_TRUE(token.ok()) << token.status().ToString();
    token_ = *token;
    StatusOr<TokenAuthenticator> tokens =
        TokenAuthenticator::LoadFile(TokenFilePath(dir_.path()));
    ASSERT_TRUE(tokens.ok());
    tokens_ = std::move(tokens).value();

    StatusOr<Poco::Net::Context::Ptr> ctx = MakeServerContext(pki_);
    ASSERT_TRUE(ctx.ok()) << ctx.status().ToString();
    Poco::Net::SecureServerSocket socket(Poco::Net::SocketAddress(host, 0), 64,
                                         *ctx);
    server_ = std::make_unique<Poco::Net::HTTPServer>(
        new WhoAmIFactory(&tokens_), socket, new Poco::Net::HTTPServerParams);
    server_->start();
    url_ = "https://" + host + ":" + std::to_string(server_->port()) + "/";
  }

  void TearDown() override {
    if (server_) server_->stopAll(true);
  }

  std::string CertArgs() const {
    return "--cacert " + pki_.ca_cert + " --cert " + pki_.admin_cert +
           " --key " + pki_.admin_key + " ";
  }

  TempDir dir_;
  PkiPaths pki_;
  std::string token_;
  TokenAuthenticator tokens_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  std::string url_;
};

constexpr char kAdmin[] = "admin system:masters,system:authenticated 200";

TEST_F(TlsServerTest, ClientCertificateTokenAndNothing) {
  Start("127.0.0.1");
  const std::string w = "-w ' %{http_code}' ";

  RunResult cert = Curl(w + CertArgs() + url_);
  EXPECT_EQ(cert.exit_code, 0) << cert.output;
  EXPECT_EQ(cert.output, kAdmin);

  RunResult bearer = Curl(w + "--cacert " + pki_.ca_cert +
                          " -H 'Authorization: Bearer " + token_ + "' " + url_);
  EXPECT_EQ(bearer.exit_code, 0) << bearer.output;
  EXPECT_EQ(bearer.output, kAdmin);

  RunResult none = Curl(w + "--cacert " + pki_.ca_cert + " " + url_);
  EXPECT_EQ(none.exit_code, 0) << none.output;
  EXPECT_EQ(none.output, "Unauthorized 401");

  RunResult wrong = Curl(w + "--cacert " + pki_.ca_cert +
                         " -H 'Authorization: Bearer nope' " + url_);
  EXPECT_EQ(wrong.output, "Unauthorized 401");

  // Keep-alive: two requests on one connection both see the certificate.
  RunResult twice = Curl(w + CertArgs() + url_ + " " + url_);
  EXPECT_EQ(twice.output, std::string(kAdmin) + kAdmin);
}

TEST_F(TlsServerTest, IssuedUserOverDnsName) {
  Start("127.0.0.1");
  StatusOr<CertAndKey> jane = IssueClientCert(pki_, "jane", {"dev"});
  ASSERT_TRUE(jane.ok());
  const std::string crt = dir_.path() + "/jane.crt";
  const std::string key = dir_.path() + "/jane.key";
  ASSERT_TRUE(WriteFileAtomically(crt, jane->cert_pem, 0600).ok());
  ASSERT_TRUE(WriteFileAtomically(key, jane->key_pem, 0600).ok());
  // "localhost" is checked against the DNS SAN, not the IP one.
  RunResult r =
      Curl("-w ' %{http_code}' --resolve localhost:" +
           std::to_string(server_->port()) + ":127.0.0.1 --cacert " +
           pki_.ca_cert + " --cert " + crt + " --key " + key +
           " https://localhost:" + std::to_string(server_->port()) + "/");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output, "jane dev,system:authenticated 200");
}

TEST_F(TlsServerTest, CertificateFromAnotherCaFailsTheHandshake) {
  Start("127.0.0.1");
  TempDir other_dir;
  StatusOr<PkiPaths> other = EnsurePki(other_dir.path(), {});
  ASSERT_TRUE(other.ok());
  RunResult r =
      Curl("-w ' %{http_code}' --cacert " + pki_.ca_cert + " --cert " +
           other->admin_cert + " --key " + other->admin_key + " " + url_);
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find("admin"), std::string::npos) << r.output;
  // The server neither hung on a certificate prompt nor stopped serving.
  RunResult ok = Curl("-w ' %{http_code}' " + CertArgs() + url_);
  EXPECT_EQ(ok.output, kAdmin);
}

TEST_F(TlsServerTest, AlpnAnswersHttp11EvenWhenH2IsOffered) {
  Start("127.0.0.1");
  RunResult r =
      Curl("-v --http2 -o /dev/null -w '%{http_version}' " + CertArgs() + url_);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("ALPN: server accepted http/1.1"), std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.substr(r.output.size() - 3), "1.1") << r.output;
}

// The real client: kubectl (Go's TLS stack) with kubeconfigs from
// kubeconfig.h. `get --raw` prints the body without any discovery.
TEST_F(TlsServerTest, KubectlWithCertificateAndTokenKubeconfigs) {
  if (access("/usr/bin/kubectl", X_OK) != 0) GTEST_SKIP() << "no kubectl";
  Start("127.0.0.1");
  const std::string server = url_.substr(0, url_.size() - 1);
  const std::string ca = ReadOrFail(pki_.ca_cert);
  const std::string cert_config = dir_.path() + "/cert.kubeconfig";
  const std::string token_config = dir_.path() + "/token.kubeconfig";
  ASSERT_TRUE(
      WriteKubeconfig(cert_config,
                      RenderKubeconfig(server, ca, ReadOrFail(pki_.admin_cert),
                                       ReadOrFail(pki_.admin_key)))
          .ok());
  ASSERT_TRUE(
      WriteKubeconfig(token_config, RenderTokenKubeconfig(server, ca, token_))
          .ok());
  for (const std::string& config : {cert_config, token_config}) {
    RunResult r = RunShell("HOME=" + dir_.path() +
                           " timeout 60 /usr/bin/kubectl --kubeconfig " +
                           config + " get --raw /whoami");
    EXPECT_EQ(r.exit_code, 0) << config << ": " << r.output;
    EXPECT_EQ(r.output, "admin system:masters,system:authenticated") << config;
  }
}

// Poco compares a peer certificate with the peer's address after the
// handshake unless told not to, which on a server would reject every
// non-loopback client certificate; loopback peers are exempt, so this needs
// a real interface address.
TEST_F(TlsServerTest, NonLoopbackClientsWithCertificateAndPocoClient) {
  const std::string host = NonLoopbackAddress();
  if (host.empty()) GTEST_SKIP() << "no non-loopback IPv4 address";
  Start(host);
  RunResult r = Curl("-w ' %{http_code}' " + CertArgs() + url_);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output, kAdmin);

  StatusOr<Poco::Net::Context::Ptr> client =
      MakeClientContext(pki_.ca_cert, pki_.admin_cert, pki_.admin_key);
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  Poco::Net::HTTPSClientSession session(host, server_->port(), *client);
  Poco::Net::HTTPRequest request("GET", "/", Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::string body;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
  EXPECT_EQ(response.getStatus(), Poco::Net::HTTPResponse::HTTP_OK);
  EXPECT_EQ(body, "admin system:masters,system:authenticated");

  StatusOr<Poco::Net::Context::Ptr> token_only =
      MakeClientContext(pki_.ca_cert);
  ASSERT_TRUE(token_only.ok());
  Poco::Net::HTTPSClientSession token_session(host, server_->port(),
                                              *token_only);
  Poco::Net::HTTPRequest token_request("GET", "/",
                                       Poco::Net::HTTPMessage::HTTP_1_1);
  token_request.set("Authorization", "Bearer " + token_);
  token_session.sendRequest(token_request);
  Poco::StreamCopier::copyToString(token_session.receiveResponse(response),
                                   body = "");
  EXPECT_EQ(body, "admin system:masters,system:authenticated");
}

TEST(PocoClientTest, UntrustedServerIsRefused) {
  TempDir server_dir, other_dir;
  StatusOr<PkiPaths> pki = EnsurePki(server_dir.path(), {});
  StatusOr<PkiPaths> other = EnsurePki(other_dir.path(), {});
  ASSERT_TRUE(pki.ok() && other.ok());
  TokenAuthenticator tokens;
  StatusOr<Poco::Net::Context::Ptr> ctx = MakeServerContext(*pki);
  ASSERT_TRUE(ctx.ok());
  Poco::Net::SecureServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0),
                                       64, *ctx);
  Poco::Net::HTTPServer server(new WhoAmIFactory(&tokens), socket,
                               new Poco::Net::HTTPServerParams);
  server.start();
  StatusOr<Poco::Net::Context::Ptr> client = MakeClientContext(other->ca_cert);
  ASSERT_TRUE(client.ok());
  Poco::Net::HTTPSClientSession session("127.0.0.1", server.port(), *client);
  Poco::Net::HTTPRequest request("GET", "/", Poco::Net::HTTPMessage::HTTP_1_1);
  EXPECT_ANY_THROW(session.sendRequest(request));
  server.stopAll(true);
}

TEST(MakeContextTest, MissingFilesAreInternalErrors) {
  TempDir dir;
  PkiPaths missing = PkiPathsFor(dir.path());
  StatusOr<Poco::Net::Context::Ptr> server = MakeServerContext(missing);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), Status::Code::kInternal);
  EXPECT_FALSE(MakeClientContext(dir.path() + "/ca.crt").ok());
}

}  // namespace
}  // namespace berth::tls
