#include "kernel/api/server/connect_route.h"

#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/URI.h>
#include <spdlog/fmt/ranges.h>
#include <spdlog/spdlog.h>
#include <strings.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include "kernel/api/server/api_errors.h"
#include "kernel/api/server/chunked_response_stream.h"
#include "kernel/api/server/duplex_connection.h"
#include "kernel/api/server/spdy_exec_streams.h"
#include "kernel/api/server/spdy_port_forward.h"
#include "kernel/api/server/spdy_session.h"
#include "kernel/api/server/websocket_connection.h"
#include "kernel/api/server/websocket_exec_streams.h"
#include "kernel/api/streams/channel_protocol.h"

namespace berth::api {
namespace {

using Poco::Net::HTTPResponse;
using namespace streams;  // NOLINT: protocol names

// How long a finished SPDY session waits for the client to close the
// connection: closing first could reset it before the client read the end.
constexpr auto kClientCloseWait = std::chrono::seconds(5);

int SendStatus(Poco::Net::HTTPServerResponse& response, const Status& s,
               const KindInfo* info, const std::string& name) {
  const int code = HttpCode(s.code());
  const std::string body = StatusBody(s, info, name);
  response.setStatusAndReason(static_cast<HTTPResponse::HTTPStatus>(code));
  response.setContentType("application/json");
  response.setContentLength(static_cast<std::streamsize>(body.size()));
  response.send().write(body.data(), static_cast<std::streamsize>(body.size()));
  return code;
}

// Every value of header `name` (it may repeat), split on commas.
std::vector<std::string> HeaderList(const Poco::Net::HTTPServerRequest& req,
                                    const char* name) {
  std::vector<std::string> out;
  for (const auto& [key, value] : req) {
    if (strcasecmp(key.c_str(), name) != 0) continue;
    for (auto& p : SplitProtocols(value)) out.push_back(std::move(p));
  }
  return out;
}

bool Flag(const ConnectRequest& r, const char* key) {
  auto v = r.Param(key);
  return v && (*v == "true" || *v == "1");
}

enum class Upgrade { kNone, kWebSocket, kSpdy };

Upgrade UpgradeOf(const Poco::Net::HTTPServerRequest& req) {
  const std::string u = req.get("Upgrade", "");
  spdlog::debug(
      "connect {} {}: Upgrade \"{}\", Sec-WebSocket-Protocol \"{}\", "
      "X-Stream-Protocol-Version \"{}\"",
      req.getMethod(), req.getURI(), u,
      fmt::join(HeaderList(req, "Sec-WebSocket-Protocol"), ", "),
      fmt::join(HeaderList(req, "X-Stream-Protocol-Version"), ", "));
  if (strcasecmp(u.c_str(), "websocket") == 0) return Upgrade::kWebSocket;
  if (strcasecmp(u.c_str(), "SPDY/3.1") == 0) return Upgrade::kSpdy;
  return Upgrade::kNone;
}

std::string SpdyUpgradeReply(const std::string& protocol) {
  return "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
         "Upgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: " +
         protocol + "\r\n\r\n";
}

// What runs once the connection is taken over: the session, its handler
// (which holds the plugin's library) and the request, kept alive by the
// session thread.
struct Running {
  std::shared_ptr<ConnectHandler> handler;
  std::shared_ptr<ConnectSession> session;
  ConnectRequest request;
};

// Takes the connection from Poco, sends `reply` (the 101, or nothing for a
// plain body) and hands the connection to a session thread running `body`.
// Returns the HTTP status for the request's metrics.
int Launch(ConnectSessions* sessions, Poco::Net::HTTPServerRequest& request,
           Poco::Net::HTTPServerResponse& response, const std::string& reply,
           int code, std::function<void(DuplexConnection&)> body) {
  auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request);
  if (impl == nullptr) {
    return SendStatus(response,
                      Status::Internal("the connection cannot be taken over"),
                      nullptr, "");
  }
  response.setKeepAlive(false);
  auto conn = DuplexConnection::Adopt(impl->detachSocket());
  if (!conn.ok()) return 500;
  if (!reply.empty() && !(*conn)->Write(reply)) return code;
  // Refused only while the server stops: the connection just closes.
  sessions->Start(std::move(conn).value(), std::move(body));
  return code;
}

int ServeStream(ConnectSessions* sessions, Running run,
                const ConnectSubresource& sub, const KindInfo* info,
                Poco::Net::HTTPServerRequest& request,
                Poco::Net::HTTPServerResponse& response) {
  std::optional<KindInfo> kind;
  if (info != nullptr) kind = *info;
  return Launch(sessions, request, response, "", 200,
                [run, sub, kind](DuplexConnection& conn) {
                  ChunkedResponseStream out(&conn, sub.content_type);
                  Status s = run.session->ServeStream(out);
                  out.Finish(s, s.ok() ? ""
                                       : StatusBody(s, kind ? &*kind : nullptr,
                                                    run.request.name));
                });
}

void RunWebSocketExec(Running& run, DuplexConnection& conn, bool v5,
                      ExecFlags flags) {
  WebSocketConnection ws(&conn);
  WebSocketExecStreams streams(&ws, &conn, v5, flags);
  streams.Start();
  ExecResult result = run.session->ServeExec(streams);
  streams.Finish(ExecStatusJson(result.status, result.exit_code,
                                run.request.Params("command")));
}

void RunSpdyExec(Running& run, DuplexConnection& conn, ExecFlags flags) {
  auto spdy = std::make_shared<SpdySession>(&conn);
  spdy->Start();
  {
    SpdyExecStreams streams(spdy, flags);
    Status ready = streams.Await();
    ExecResult result{ready, 0};
    if (ready.ok()) result = run.session->ServeExec(streams);
    streams.Finish(ExecStatusJson(result.status, result.exit_code,
                                  run.request.Params("command")));
    spdy->WaitEnded(kClientCloseWait);
  }
  spdy->End();
}

int ServeExec(ConnectSessions* sessions, Running run,
              Poco::Net::HTTPServerRequest& request,
              Poco::Net::HTTPServerResponse& response) {
  const ConnectRequest& req = run.request;
  ExecFlags flags{Flag(req, "stdin"), Flag(req, "stdout"), Flag(req, "stderr"),
                  Flag(req, "tty")};
  const Upgrade upgrade = UpgradeOf(request);
  if (upgrade == Upgrade::kWebSocket) {
    auto protocol =
        NegotiateProtocol(HeaderList(request, "Sec-WebSocket-Protocol"),
                          {kChannelV5, kChannelV4});
    if (!protocol) {
      return SendStatus(
          response,
          Status::BadRequest("unable to negotiate a WebSocket subprotocol: "
                             "the server accepts v5.channel.k8s.io, "
                             "v4.channel.k8s.io"),
          nullptr, "");
    }
    const bool v5 = *protocol == kChannelV5;
    return Launch(
        sessions, request, response,
        WebSocketUpgradeReply(request.get("Sec-WebSocket-Key", ""), *protocol),
        101, [run, v5, flags](DuplexConnection& conn) mutable {
          RunWebSocketExec(run, conn, v5, flags);
        });
  }
  if (upgrade == Upgrade::kSpdy) {
    auto protocol = NegotiateProtocol(
        HeaderList(request, "X-Stream-Protocol-Version"), {kChannelV4});
    if (!protocol) {
      return SendStatus(
          response,
          Status::Forbidden("unable to upgrade: unable to negotiate protocol: "
                            "the server accepts v4.channel.k8s.io"),
          nullptr, "");
    }
    return Launch(sessions, request, response, SpdyUpgradeReply(*protocol), 101,
                  [run, flags](DuplexConnection& conn) mutable {
                    RunSpdyExec(run, conn, flags);
                  });
  }
  return SendStatus(response, Status::BadRequest("Upgrade request required"),
                    nullptr, "");
}

int ServePortForward(ConnectSessions* sessions, Running run,
                     Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) {
  const Upgrade upgrade = UpgradeOf(request);
  if (upgrade == Upgrade::kWebSocket) {
    auto protocol =
        NegotiateProtocol(HeaderList(request, "Sec-WebSocket-Protocol"),
                          {kSpdyTunnelPortForward});
    if (!protocol) {
      return SendStatus(
          response,
          Status::BadRequest("unable to negotiate a WebSocket subprotocol: "
                             "the server accepts SPDY/3.1+portforward.k8s.io"),
          nullptr, "");
    }
    return Launch(
        sessions, request, response,
        WebSocketUpgradeReply(request.get("Sec-WebSocket-Key", ""), *protocol),
        101, [run](DuplexConnection& conn) {
          WebSocketConnection ws(&conn);
          WebSocketByteTransport transport(&ws, &conn);
          auto spdy = std::make_shared<SpdySession>(&transport);
          spdy->Start();
          SpdyPortForwardSession forward(spdy);
          run.session->ServePortForward(forward);
          spdy->End();
        });
  }
  if (upgrade == Upgrade::kSpdy) {
    auto protocol =
        NegotiateProtocol(HeaderList(request, "X-Stream-Protocol-Version"),
                          {kPortForwardProtocol});
    if (!protocol) {
      return SendStatus(
          response,
          Status::Forbidden("unable to upgrade: unable to negotiate protocol: "
                            "the server accepts portforward.k8s.io"),
          nullptr, "");
    }
    return Launch(sessions, request, response, SpdyUpgradeReply(*protocol), 101,
                  [run](DuplexConnection& conn) {
                    auto spdy = std::make_shared<SpdySession>(&conn);
                    spdy->Start();
                    SpdyPortForwardSession forward(spdy);
                    run.session->ServePortForward(forward);
                    spdy->End();
                  });
  }
  return SendStatus(response, Status::BadRequest("Upgrade request required"),
                    nullptr, "");
}

}  // namespace

int ServeConnectLocally(std::shared_ptr<ConnectHandler> handler,
                        const ConnectSubresource& sub, const KindInfo* info,
                        ConnectRequest req, ConnectSessions* sessions,
                        Poco::Net::HTTPServerRequest& request,
                        Poco::Net::HTTPServerResponse& response) {
  auto opened = handler->Open(req);
  if (!opened.ok()) {
    return SendStatus(response, opened.status(), info, req.name);
  }
  Running run{std::move(handler),
              std::shared_ptr<ConnectSession>(std::move(opened).value()),
              std::move(req)};
  switch (sub.protocol) {
    case ConnectProtocol::kStream:
      return ServeStream(sessions, std::move(run), sub, info, request,
                         response);
    case ConnectProtocol::kExec:
      return ServeExec(sessions, std::move(run), request, response);
    case ConnectProtocol::kPortForward:
      return ServePortForward(sessions, std::move(run), request, response);
  }
  return 500;
}

int ServeConnect(const ConnectRegistry::Entry& entry, const KindInfo& info,
                 const RequestInfo& ri, const UserInfo& user,
                 const Authorizer& authorizer, ConnectSessions* sessions,
                 ConnectProxy* proxy, Poco::Net::HTTPServerRequest& request,
                 Poco::Net::HTTPServerResponse& response) {
  const ConnectSubresource& sub = entry.subresource;
  const std::string& method = request.getMethod();
  const bool streamed = sub.protocol == ConnectProtocol::kStream;
  if (method != "GET" && (streamed || method != "POST")) {
    return SendStatus(
        response,
        Status::MethodNotAllowed("the server does not allow this method on the "
                                 "requested resource"),
        nullptr, "");
  }
  AuthorizationAttributes attrs;
  attrs.user = user;
  attrs.verb = method == "GET" ? "get" : "create";
  attrs.ns = ri.namespace_;
  attrs.group = ri.group;
  attrs.version = ri.version;
  attrs.resource = ri.resource;
  attrs.subresource = ri.subresource;
  attrs.name = ri.name;
  AuthorizationDecision decision = authorizer.Authorize(attrs);
  if (!decision.allowed) {
    std::string message =
        QualifiedResource(info) + " \"" + ri.name + "\" is forbidden: User \"" +
        user.name + "\" cannot " + attrs.verb + " resource \"" + ri.resource +
        "/" + ri.subresource + "\" in API group \"" + ri.group +
        "\" in the namespace \"" + ri.namespace_ + "\"";
    if (!decision.reason.empty()) message += ": " + decision.reason;
    return SendStatus(response, Status::Forbidden(message), nullptr, "");
  }
  ConnectRequest req;
  req.namespace_name = ri.namespace_;
  req.name = ri.name;
  req.subresource = ri.subresource;
  req.user = user;
  for (auto& [k, v] : Poco::URI(request.getURI()).getQueryParameters()) {
    req.query.emplace(k, v);
  }
  // Served here unless the handler says the object lives elsewhere and a
  // locator can say where (without one, Open gives the handler's error).
  if (entry.locator && proxy &&
      (!entry.handler || !entry.handler->ServesLocally(req))) {
    auto location = entry.locator->Locate(req);
    if (!location.ok()) {
      return SendStatus(response, location.status(), &info, ri.name);
    }
    spdlog::debug("connect {}/{} {}/{}: proxied to node {} at {}:{}{}",
                  ri.resource, ri.subresource, ri.namespace_, ri.name,
                  location->node, location->host, location->port,
                  location->path);
    return proxy->Serve(*location, request, response);
  }
  if (!entry.handler) {
    return SendStatus(
        response,
        Status::Unavailable("no node connection is available for " +
                            ri.resource + "/" + ri.subresource +
                            " (the API server has no kubelet client)"),
        nullptr, "");
  }
  return ServeConnectLocally(entry.handler, sub, &info, std::move(req),
                             sessions, request, response);
}

}  // namespace berth::api
