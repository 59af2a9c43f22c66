// A real HTTP server on 127.0.0.1 for the probe tests (Poco's), with the
// routes the tests probe: /ok 200, /fail 500, /redirect → /ok,
// /loop → /loop, /away → another host, /headers (200 only with the
// expected Host, custom header and probe User-Agent), /hold (answers once
// Release() is called).
//
// Thread safety: Release may be called from any thread.
#ifndef BERTH_TESTS_UNIT_NODE_PROBES_TEST_HTTP_SERVER_H_
#define BERTH_TESTS_UNIT_NODE_PROBES_TEST_HTTP_SERVER_H_

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

namespace berth::node {

class TestHttpServer {
 public:
  TestHttpServer()
      : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)),
        server_(new Factory(this), socket_, new Poco::Net::HTTPServerParams) {
    server_.start();
  }
  ~TestHttpServer() {
    Release();
    server_.stopAll(true);
  }
  int port() const { return socket_.address().port(); }
  void Release() {
    std::lock_guard<std::mutex> l(mu_);
    released_ = true;
    cv_.notify_all();
  }

 private:
  class Handler : public Poco::Net::HTTPRequestHandler {
   public:
    explicit Handler(TestHttpServer* s) : s_(s) {}
    void handleRequest(Poco::Net::HTTPServerRequest& req,
                       Poco::Net::HTTPServerResponse& resp) override {
      using Poco::Net::HTTPResponse;
      const std::string path = req.getURI();
      std::string body;
      if (path == "/ok") {
        body = "fine";
      } else if (path == "/fail") {
        resp.setStatus(HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
        body = "secret details";
      } else if (path == "/redirect") {
        resp.setStatus(HTTPResponse::HTTP_FOUND);
        resp.set("Location", "/ok");
      } else if (path == "/loop") {
        resp.setStatus(HTTPResponse::HTTP_FOUND);
        resp.set("Location", "/loop");
      } else if (path == "/away") {
        resp.setStatus(HTTPResponse::HTTP_FOUND);
        resp.set("Location", "http://elsewhere.invalid/ok");
        body = "moved";
      } else if (path == "/headers") {
        const bool good =
            req.getHost() == "example.com" && req.get("X-Custom", "") == "v" &&
            req.get("User-Agent", "").rfind("kube-probe/", 0) == 0 &&
            req.get("Accept", "") == "*/*";
        if (!good) resp.setStatus(HTTPResponse::HTTP_BAD_REQUEST);
      } else if (path == "/hold") {
        std::unique_lock<std::mutex> l(s_->mu_);
        s_->cv_.wait(l, [&] { return s_->released_; });
      } else {
        resp.setStatus(HTTPResponse::HTTP_NOT_FOUND);
      }
      resp.setContentLength(static_cast<std::streamsize>(body.size()));
      resp.send() << body;
    }

   private:
    TestHttpServer* s_;
  };
  class Factory : public Poco::Net::HTTPRequestHandlerFactory {
   public:
    explicit Factory(TestHttpServer* s) : s_(s) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
      return new Handler(s_);
    }

   private:
    TestHttpServer* s_;
  };

  std::mutex mu_;
  std::condition_variable cv_;
  bool released_ = false;
  Poco::Net::ServerSocket socket_;
  Poco::Net::HTTPServer server_;
};

}  // namespace berth::node

#endif  // BERTH_TESTS_UNIT_NODE_PROBES_TEST_HTTP_SERVER_H_
