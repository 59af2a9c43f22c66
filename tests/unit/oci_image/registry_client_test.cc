// The registry client against a small in-process registry (Poco HTTP
// server): the Bearer token flow with basic credentials, blob redirects,
// and a blob whose content does not match its digest being refused.
#include "plugins/runtime/oci/image/registry_client.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/URI.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "plugins/runtime/oci/image/image_store.h"
#include "plugins/runtime/oci/image/sha256.h"
#include "tests/support/process.h"

namespace berth::oci {
namespace {

using berth::testing::RunCommand;
using berth::testing::TempDir;

// What the fake registry serves and what it saw.
struct FakeRegistry {
  std::mutex mu;
  std::map<std::string, std::string> blobs;  // digest -> content served
  std::string manifest;
  std::string token_auth_seen;  // Authorization sent to the token endpoint
  std::string token_scope_seen;
  int port = 0;
};

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(FakeRegistry* reg) : reg_(reg) {}
  void handleRequest(Poco::Net::HTTPServerRequest& req,
                     Poco::Net::HTTPServerResponse& resp) override {
    std::lock_guard<std::mutex> g(reg_->mu);
    Poco::URI uri(req.getURI());
    std::string path = uri.getPath();
    if (path == "/token") {
      reg_->token_auth_seen = req.get("Authorization", "");
      for (const auto& [k, v] : uri.getQueryParameters()) {
        if (k == "scope") reg_->token_scope_seen = v;
      }
      if (reg_->token_auth_seen !=
          "Basic " + std::string("dXNlcjpwYXNz")) {  // user:pass
        Send(resp, 401,
             R"({"errors":[{"code":"DENIED","message":"bad creds"}]})");
        return;
      }
      Send(resp, 200, R"({"token":"tok123"})");
      return;
    }
    if (path.rfind("/storage/", 0) == 0) {  // the redirect target
      std::string digest = path.substr(9);
      Send(resp, 200, reg_->blobs[digest]);
      return;
    }
    if (req.get("Authorization", "") != "Bearer tok123") {
      resp.set("WWW-Authenticate",
               "Bearer realm=\"http://127.0.0.1:" + std::to_string(reg_->port) +
                   "/token\",service=\"fake\",scope=\"repository:app:pull\"");
      Send(
          resp, 401,
          R"({"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]})");
      return;
    }
    if (path == "/v2/app/manifests/latest") {
      resp.setContentType(kOciManifest);
      Send(resp, 200, reg_->manifest);
      return;
    }
    if (path.rfind("/v2/app/blobs/", 0) == 0) {
      resp.set("Location", "/storage/" + path.substr(14));
      Send(resp, 307, "");
      return;
    }
    Send(
        resp, 404,
        R"({"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]})");
  }

 private:
  static void Send(Poco::Net::HTTPServerResponse& resp, int status,
                   const std::string& body) {
    resp.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    resp.setContentLength(static_cast<std::streamsize>(body.size()));
    resp.send() << body;
  }
  FakeRegistry* reg_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(FakeRegistry* reg) : reg_(reg) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(reg_);
  }

 private:
  FakeRegistry* reg_;
};

class RegistryClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root (layer ownership)";
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    reg_.port = socket.address().port();
    // One request per connection: stop() then never waits for an idle
    // keep-alive connection.
    auto* params = new Poco::Net::HTTPServerParams;
    params->setKeepAlive(false);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(&reg_),
                                                      socket, params);
    server_->start();
    host_ = "127.0.0.1:" + std::to_string(reg_.port);

    // A one-layer image: layer = tar.gz of a file.
    std::string src = dir_.path() + "/src";
    std::filesystem::create_directories(src);
    std::ofstream(src + "/f") << "data";
    auto r = RunCommand("tar -czf " + dir_.path() + "/l.tgz -C " + src +
                        " . && gzip -dc " + dir_.path() +
                        "/l.tgz | sha256sum | cut -c1-64");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string diff_id = "sha256:" + r.out.substr(0, 64);
    std::ifstream in(dir_.path() + "/l.tgz", std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    layer_ = ss.str();
    layer_digest_ = "sha256:" + Sha256Hex(layer_);
    std::string config =
        R"({"architecture":"amd64","os":"linux","config":{"Cmd":["/f"]},"rootfs":{"type":"layers","diff_ids":[")" +
        diff_id + R"("]}})";
    std::string config_digest = "sha256:" + Sha256Hex(config);
    reg_.blobs[config_digest] = config;
    reg_.blobs[layer_digest_] = layer_;
    reg_.manifest =
        R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":")" +
        config_digest + R"(","size":)" + std::to_string(config.size()) +
        R"(},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":")" +
        layer_digest_ + R"(","size":)" + std::to_string(layer_.size()) + "}]}";
    auto s = ImageStore::Open(dir_.path() + "/store");
    ASSERT_TRUE(s.ok());
    store_ = std::move(*s);
    RegistryHostSettings plain;
    plain.plain_http = true;
    store_->SetRegistryHosts({{host_, plain}});
  }
  void TearDown() override {
    if (server_) server_->stop();
  }

  TempDir dir_;
  FakeRegistry reg_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  std::string host_;
  std::string layer_, layer_digest_;
  std::unique_ptr<ImageStore> store_;
};

TEST_F(RegistryClientTest, BearerTokenFlowWithBasicCredentials) {
  auto img = store_->Pull(host_ + "/app:latest", ImageAuth{"user", "pass", ""});
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  EXPECT_EQ(reg_.token_auth_seen, "Basic dXNlcjpwYXNz");
  EXPECT_EQ(reg_.token_scope_seen, "repository:app:pull");
  EXPECT_EQ(img->run.cmd, std::vector<std::string>{"/f"});
  ASSERT_EQ(img->layer_dirs.size(), 1u);
  EXPECT_TRUE(std::filesystem::exists(img->layer_dirs[0] + "/f"));
}

TEST_F(RegistryClientTest, RefusedTokenIsUnauthorizedWithTheMessage) {
  auto img = store_->Pull(host_ + "/app:latest", ImageAuth{"user", "bad", ""});
  ASSERT_FALSE(img.ok());
  EXPECT_EQ(img.status().code(), Status::Code::kUnauthorized);
  EXPECT_NE(img.status().message().find("bad creds"), std::string::npos)
      << img.status().message();
  EXPECT_NE(img.status().message().find(host_ + "/app:latest"),
            std::string::npos);
}

TEST_F(RegistryClientTest, CorruptBlobIsRefusedAndNotStored) {
  std::string corrupt = layer_;
  corrupt[corrupt.size() / 2] ^= 0x55;
  reg_.blobs[layer_digest_] = corrupt;
  auto img = store_->Pull(host_ + "/app:latest", ImageAuth{"user", "pass", ""});
  ASSERT_FALSE(img.ok());
  EXPECT_EQ(img.status().code(), Status::Code::kInvalid);
  EXPECT_NE(img.status().message().find("digest mismatch"), std::string::npos)
      << img.status().message();
  EXPECT_FALSE(std::filesystem::exists(dir_.path() + "/store/blobs/sha256/" +
                                       DigestHex(layer_digest_)));
  // Served correctly again, the same pull succeeds.
  reg_.blobs[layer_digest_] = layer_;
  EXPECT_TRUE(
      store_->Pull(host_ + "/app:latest", ImageAuth{"user", "pass", ""}).ok());
}

TEST_F(RegistryClientTest, UnknownTagIsNotFound) {
  auto img = store_->Pull(host_ + "/app:nope", ImageAuth{"user", "pass", ""});
  ASSERT_FALSE(img.ok());
  EXPECT_TRUE(img.status().IsNotFound()) << img.status().ToString();
  EXPECT_NE(img.status().message().find("manifest unknown"), std::string::npos);
}

}  // namespace
}  // namespace berth::oci
