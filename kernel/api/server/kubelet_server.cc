#include "kernel/api/server/kubelet_server.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>

#include "kernel/api/server/api_errors.h"
#include "kernel/api/server/connect_route.h"
#include "kernel/api/server/connect_sessions.h"
#include "kernel/api/server/keep_alive_connection.h"
#include "kernel/api/server/kubelet_paths.h"
#include "kernel/api/tls/authn.h"
#include "kernel/api/tls/pki.h"
#include "kernel/api/tls/server_context.h"
#include "kernel/api/tls/tokens.h"

namespace berth::api {

struct KubeletServer::Context {
  KubeletServerOptions options;
  // subresource name -> the handler serving it and how.
  std::map<std::string,
           std::pair<std::shared_ptr<ConnectHandler>, ConnectSubresource>>
      handlers;
  ConnectSessions sessions;
  tls::TokenAuthenticator no_tokens;  // kubelet ports take certificates only
};

namespace {

int Reply(Poco::Net::HTTPServerResponse& response, const Status& s) {
  const int code = HttpCode(s.code());
  const std::string body = StatusBody(s);
  response.setKeepAlive(false);
  response.setStatusAndReason(
      static_cast<Poco::Net::HTTPResponse::HTTPStatus>(code));
  response.setContentType("application/json");
  response.setContentLength(static_cast<std::streamsize>(body.size()));
  response.send().write(body.data(), static_cast<std::streamsize>(body.size()));
  return code;
}

bool Allowed(const KubeletServerOptions& o, const UserInfo& user) {
  auto has = [](const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  };
  if (has(o.allowed_users, user.name)) return true;
  for (const std::string& g : user.groups) {
    if (has(o.allowed_groups, g)) return true;
  }
  return false;
}

class KubeletHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit KubeletHandler(std::shared_ptr<KubeletServer::Context> ctx)
      : ctx_(std::move(ctx)) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    const int code = Serve(request, response);
    spdlog::debug("kubelet port: {} {} -> {}", request.getMethod(),
                  request.getURI(), code);
  }

 private:
  int Serve(Poco::Net::HTTPServerRequest& request,
            Poco::Net::HTTPServerResponse& response) {
    auto user = tls::AuthenticateRequest(request, ctx_->no_tokens);
    if (!user.ok())
      return Reply(response, Status::Unauthorized("Unauthorized"));
    Poco::URI uri(request.getURI());
    auto target = ParseKubeletPath(uri.getPath());
    const std::string& method = request.getMethod();
    const std::string verb = method == "GET" ? "get" : "create";
    if (!Allowed(ctx_->options, *user)) {
      // kubelet's wording: every streaming path is nodes/proxy.
      return Reply(
          response,
          Status::Forbidden("Forbidden (user=" + user->name + ", verb=" + verb +
                            ", resource=nodes, subresource=proxy)"));
    }
    if (!target.ok()) return Reply(response, target.status());
    auto it = ctx_->handlers.find(target->subresource);
    if (it == ctx_->handlers.end()) {
      return Reply(response, Status::NotFound("404 page not found"));
    }
    const auto& [handler, sub] = it->second;
    if (method != "GET" &&
        (sub.protocol == ConnectProtocol::kStream || method != "POST")) {
      return Reply(response, Status::MethodNotAllowed(
                                 "the method is not allowed on this path"));
    }
    ConnectRequest req;
    req.namespace_name = target->namespace_name;
    req.name = target->name;
    req.subresource = target->subresource;
    req.user = *user;
    for (auto& [k, v] : uri.getQueryParameters()) {
      if (k != "container") req.query.emplace(k, v);
    }
    if (!target->container.empty()) {
      req.query.emplace("container", target->container);
    }
    return ServeConnectLocally(handler, sub, nullptr, std::move(req),
                               &ctx_->sessions, request, response);
  }

  std::shared_ptr<KubeletServer::Context> ctx_;
};

class KubeletHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit KubeletHandlerFactory(std::shared_ptr<KubeletServer::Context> ctx)
      : ctx_(std::move(ctx)) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new KubeletHandler(ctx_);
  }

 private:
  std::shared_ptr<KubeletServer::Context> ctx_;
};

}  // namespace

KubeletServer::KubeletServer(KubeletServerOptions options)
    : options_(std::move(options)) {}

KubeletServer::~KubeletServer() { Stop(); }

Status KubeletServer::Bind() {
  tls::PkiPaths files;
  files.ca_cert = options_.client_ca_file;
  files.server_cert = options_.cert_file;
  files.server_key = options_.key_file;
  auto tls_ctx = tls::MakeServerContext(files);
  if (!tls_ctx.ok()) return tls_ctx.status();
  try {
    socket_ = std::make_unique<Poco::Net::SecureServerSocket>(*tls_ctx);
    socket_->bind(
        Poco::Net::SocketAddress(options_.bind_address,
                                 static_cast<Poco::UInt16>(options_.port)),
        /*reuseAddress=*/true, /*reusePort=*/false);
    socket_->listen(64);
    port_ = socket_->address().port();
  } catch (const Poco::Exception& e) {
    socket_.reset();
    return Status::Unavailable(
        "kubelet port: cannot listen on " + options_.bind_address + ":" +
        std::to_string(options_.port) + ": " + e.displayText());
  }
  return {};
}

Status KubeletServer::Start(
    std::vector<std::shared_ptr<ConnectHandler>> handlers) {
  if (!socket_ || server_) {
    return Status::Internal("kubelet port: Start needs a successful Bind");
  }
  ctx_ = std::make_shared<Context>();
  ctx_->options = options_;
  for (auto& h : handlers) {
    for (const ConnectSubresource& sub : h->Subresources()) {
      ctx_->handlers.emplace(sub.name, std::make_pair(h, sub));
    }
  }
  try {
    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    params->setKeepAlive(false);
    params->setTimeout(Poco::Timespan(60, 0));
    params->setMaxThreads(options_.max_threads);
    params->setMaxQueued(256);
    pool_ = std::make_unique<Poco::ThreadPool>(2, options_.max_threads, 60,
                                               256 * 1024);
    connections_ = std::make_shared<ConnectionSet>();
    server_ = std::make_unique<Poco::Net::TCPServer>(
        new KeepAliveConnectionFactory(params, new KubeletHandlerFactory(ctx_),
                                       connections_),
        *pool_, *socket_, params);
    server_->start();
  } catch (const Poco::Exception& e) {
    return Status::Unavailable("kubelet port: cannot serve: " +
                               e.displayText());
  }
  return {};
}

void KubeletServer::Stop() {
  if (!server_) return;
  ctx_->sessions.StopAll();
  server_->stop();
  connections_->StopAll();
  pool_->joinAll();
  server_.reset();
  pool_.reset();
  socket_.reset();
}

StatusOr<std::unique_ptr<KubeletServer>> BindKubeletPort(
    const std::string& cert_dir, const std::string& client_ca_file,
    const std::string& bind_address, int port) {
  KubeletServerOptions options;
  options.bind_address = bind_address;
  options.port = port;
  options.client_ca_file = client_ca_file;
  options.cert_file = cert_dir + "/kubelet.crt";
  options.key_file = cert_dir + "/kubelet.key";
  Status s =
      tls::EnsureSelfSignedServingCert(options.cert_file, options.key_file,
                                       "berth-kubelet", tls::ServingSans({}));
  if (!s.ok()) return s;
  auto server = std::make_unique<KubeletServer>(options);
  if (Status b = server->Bind(); !b.ok()) return b;
  return server;
}

}  // namespace berth::api
