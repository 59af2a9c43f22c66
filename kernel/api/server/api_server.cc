#include "kernel/api/server/api_server.h"

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/ThreadPool.h>

#include "kernel/api/server/keep_alive_connection.h"
#include "kernel/api/server/rest_handler.h"

namespace berth::api {
namespace {

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(ApiContext* ctx) : ctx_(ctx) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new RestHandler(ctx_);
  }

 private:
  ApiContext* ctx_;
};

}  // namespace

ApiServer::ApiServer(ApiServerOptions options, const KindRegistry* kinds,
                     ResourceService* service, Metrics* metrics) {
  ctx_.kinds = kinds;
  ctx_.service = service;
  ctx_.metrics = metrics;
  ctx_.options = std::move(options);
  ctx_.connect = std::make_unique<ConnectRegistry>(
      ctx_.options.connect_handlers, ctx_.options.connect_locators);
  ctx_.discovery =
      std::make_unique<Discovery>(kinds->All(), ctx_.connect.get(), kinds);
  ctx_.openapi = std::make_unique<OpenApi>(kinds->All());
  OpenApi* openapi = ctx_.openapi.get();
  service->set_unknown_field_finder(
      [openapi](const Kind& kind, const Json& obj) {
        return openapi->UnknownFields(kind, obj);
      });
}

ApiServer::~ApiServer() { Stop(); }

Status ApiServer::Start() {
  fanout_ = std::make_unique<WatchFanout>(ctx_.metrics);
  if (Status s = fanout_->Start(); !s.ok()) return s;
  ctx_.fanout = fanout_.get();
  connect_sessions_ = std::make_unique<ConnectSessions>();
  ctx_.connect_sessions = connect_sessions_.get();
  if (ctx_.options.kubelet_client_tls) {
    ctx_.connect_proxy = std::make_unique<ConnectProxy>(
        ctx_.options.kubelet_client_tls, connect_sessions_.get());
  }
  try {
    Poco::Net::SocketAddress addr(ctx_.options.bind_address,
                                  static_cast<Poco::UInt16>(ctx_.options.port));
    std::unique_ptr<Poco::Net::ServerSocket> socket;
    if (ctx_.options.tls) {
      socket =
          std::make_unique<Poco::Net::SecureServerSocket>(ctx_.options.tls);
    } else {
      socket = std::make_unique<Poco::Net::ServerSocket>();
    }
    // SO_REUSEADDR for a quick restart, but never SO_REUSEPORT (Poco's
    // default with reuseAddress): a second server on a busy port must fail,
    // not silently share its connections.
    socket->bind(addr, /*reuseAddress=*/true, /*reusePort=*/false);
    socket->listen(1024);
    port_ = socket->address().port();
    // Reference-counted: the TCP server and the connection factory share it.
    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    params->setKeepAlive(true);
    params->setMaxKeepAliveRequests(0);  // unlimited
    params->setKeepAliveTimeout(Poco::Timespan(90, 0));
    params->setTimeout(Poco::Timespan(60, 0));
    params->setMaxThreads(ctx_.options.max_threads);
    params->setMaxQueued(4096);
    pool_ = std::make_unique<Poco::ThreadPool>(4, ctx_.options.max_threads, 60,
                                               256 * 1024);
    connections_ = std::make_shared<ConnectionSet>();
    server_ = std::make_unique<Poco::Net::TCPServer>(
        new KeepAliveConnectionFactory(params, new Factory(&ctx_),
                                       connections_),
        *pool_, *socket, params);
    server_->start();
  } catch (const Poco::Exception& e) {
    return Status::Unavailable("cannot listen on " + ctx_.options.bind_address +
                               ":" + std::to_string(ctx_.options.port) + ": " +
                               e.displayText());
  }
  return {};
}

void ApiServer::Stop() {
  if (!server_) return;
  ctx_.stopping = true;
  // Watches first: their connections are no longer Poco's to close.
  fanout_->Stop();
  // Sessions started after this are refused and closed.
  connect_sessions_->StopAll();
  server_->stop();
  // Ends the connections blocked in a read (HTTPServer::stopAll's job).
  connections_->StopAll();
  pool_->joinAll();
  server_.reset();
  pool_.reset();
}

}  // namespace berth::api
