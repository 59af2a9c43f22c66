// The API server's side of a proxied connect request: ConnectProxy dials a
// kubelet port with the kubelet-client certificate, sends the kubelet path,
// and relays the node's reply to the client unchanged; a node that cannot
// be reached is a 500 naming it.
#include "kernel/api/server/connect_proxy.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>
#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>

#include "kernel/api/server/connect_sessions.h"
#include "kernel/api/server/keep_alive_connection.h"
#include "kernel/api/server/kubelet_server.h"
#include "kernel/api/tls/file_util.h"
#include "kernel/api/tls/pki.h"
#include "kernel/api/tls/server_context.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/api/echo_log_handler.h"

namespace berth::api {
namespace {

using berth::testing::TempDir;

// A plain-HTTP front server whose every request ConnectProxy sends to
// `location`.
class ProxyFront {
 public:
  ProxyFront(ConnectProxy* proxy, ConnectLocation location) {
    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    params->setKeepAlive(false);
    socket_.bind(Poco::Net::SocketAddress("127.0.0.1", 0), true, false);
    socket_.listen(16);
    connections_ = std::make_shared<ConnectionSet>();
    server_ = std::make_unique<Poco::Net::TCPServer>(
        new KeepAliveConnectionFactory(params, new Factory(proxy, location),
                                       connections_),
        pool_, socket_, params);
    server_->start();
  }
  ~ProxyFront() {
    server_->stop();
    connections_->StopAll();
    pool_.joinAll();
  }
  int port() const { return socket_.address().port(); }

 private:
  class Handler : public Poco::Net::HTTPRequestHandler {
   public:
    Handler(ConnectProxy* proxy, ConnectLocation location)
        : proxy_(proxy), location_(std::move(location)) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
      proxy_->Serve(location_, request, response);
    }

   private:
    ConnectProxy* proxy_;
    ConnectLocation location_;
  };
  class Factory : public Poco::Net::HTTPRequestHandlerFactory {
   public:
    Factory(ConnectProxy* proxy, ConnectLocation location)
        : proxy_(proxy), location_(std::move(location)) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
      return new Handler(proxy_, location_);
    }

   private:
    ConnectProxy* proxy_;
    ConnectLocation location_;
  };

  Poco::Net::ServerSocket socket_;
  Poco::ThreadPool pool_{1, 8};
  std::shared_ptr<ConnectionSet> connections_;
  std::unique_ptr<Poco::Net::TCPServer> server_;
};

struct Reply {
  int code = 0;
  std::string body;
};

Reply Get(int port, const std::string& path) {
  Poco::Net::HTTPClientSession session("127.0.0.1",
                                       static_cast<Poco::UInt16>(port));
  Poco::Net::HTTPRequest request("GET", path, "HTTP/1.1");
  request.set("Authorization", "Bearer not-for-the-node");
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

class ConnectProxyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pki = tls::EnsurePki(dir_.path() + "/cluster", {});
    ASSERT_TRUE(pki.ok()) << pki.status().message();
    pki_ = *pki;
    auto bound = BindKubeletPort(dir_.path(), pki_.ca_cert, "127.0.0.1", 0);
    ASSERT_TRUE(bound.ok()) << bound.status().message();
    kubelet_ = std::move(bound).value();
    ASSERT_GT(kubelet_->port(), 0);
    ASSERT_TRUE(kubelet_->Start({std::make_shared<EchoLogHandler>()}).ok());
  }

  // A proxy presenting `cert`/`key` (PEM).
  std::unique_ptr<ConnectProxy> Proxy(const std::string& cert,
                                      const std::string& key) {
    auto ctx = tls::MakeKubeletClientContext(cert, key);
    EXPECT_TRUE(ctx.ok()) << ctx.status().message();
    return std::make_unique<ConnectProxy>(*ctx, &sessions_);
  }
  std::unique_ptr<ConnectProxy> KubeletClientProxy() {
    auto cert = tls::ReadFileToString(pki_.kubelet_client_cert);
    auto key = tls::ReadFileToString(pki_.kubelet_client_key);
    EXPECT_TRUE(cert.ok() && key.ok());
    return Proxy(*cert, *key);
  }
  ConnectLocation Location(const std::string& path) {
    return {"node1", "127.0.0.1", kubelet_->port(), path};
  }

  TempDir dir_;
  tls::PkiPaths pki_;
  std::unique_ptr<KubeletServer> kubelet_;
  ConnectSessions sessions_;
};

TEST_F(ConnectProxyTest, RelaysTheNodesStreamAsTheKubeletClient) {
  auto proxy = KubeletClientProxy();
  ProxyFront front(proxy.get(),
                   Location("/containerLogs/default/web/httpd?follow=true"));
  Reply r = Get(front.port(), "/api/v1/namespaces/default/pods/web/log");
  EXPECT_EQ(r.code, 200) << r.body;
  EXPECT_EQ(r.body,
            "kube-apiserver-kubelet-client default/web/httpd follow=true");
}

TEST_F(ConnectProxyTest, RelaysTheNodesRefusal) {
  auto bob = tls::IssueClientCert(pki_, "bob", {});
  ASSERT_TRUE(bob.ok());
  auto proxy = Proxy(bob->cert_pem, bob->key_pem);
  ProxyFront front(proxy.get(), Location("/containerLogs/default/web/httpd"));
  Reply r = Get(front.port(), "/api/v1/namespaces/default/pods/web/log");
  EXPECT_EQ(r.code, 403) << r.body;
  EXPECT_NE(r.body.find("user=bob"), std::string::npos) << r.body;
}

TEST_F(ConnectProxyTest, AnUnreachableNodeIsAnErrorNamingIt) {
  auto proxy = KubeletClientProxy();
  // Nothing listens on port 1.
  ProxyFront front(proxy.get(),
                   {"ghost", "127.0.0.1", 1, "/containerLogs/a/b/c"});
  Reply r = Get(front.port(), "/api/v1/namespaces/a/pods/b/log");
  EXPECT_EQ(r.code, 500);
  EXPECT_NE(r.body.find("error dialing backend: node \\\"ghost\\\" at "
                        "127.0.0.1:1"),
            std::string::npos)
      << r.body;
}

}  // namespace
}  // namespace berth::api
