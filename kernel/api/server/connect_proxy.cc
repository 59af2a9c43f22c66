#include "kernel/api/server/connect_proxy.h"

#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <spdlog/spdlog.h>
#include <strings.h>

#include <atomic>
#include <memory>
#include <thread>

#include "kernel/api/server/api_errors.h"
#include "kernel/api/server/duplex_connection.h"

namespace berth::api {
namespace {

// How long dialing a node (TCP connect, then the TLS handshake) may take.
const Poco::Timespan kDialTimeout(10, 0);

bool Dropped(const std::string& name) {
  static constexpr const char* kDropped[] = {
      "Host",       "Authorization",  "Proxy-Authorization",
      "Keep-Alive", "Content-Length", "Transfer-Encoding",
      "Connection"};
  for (const char* d : kDropped) {
    if (strcasecmp(name.c_str(), d) == 0) return true;
  }
  return strncasecmp(name.c_str(), "Impersonate-", 12) == 0;
}

int SendError(Poco::Net::HTTPServerResponse& response, const Status& s) {
  const int code = HttpCode(s.code());
  const std::string body = StatusBody(s);
  response.setStatusAndReason(
      static_cast<Poco::Net::HTTPResponse::HTTPStatus>(code));
  response.setContentType("application/json");
  response.setContentLength(static_cast<std::streamsize>(body.size()));
  response.send().write(body.data(), static_cast<std::streamsize>(body.size()));
  return code;
}

// A whole HTTP reply written on a taken-over connection: what the client
// gets when the node closed the connection without answering.
std::string RawErrorReply(const Status& s) {
  const std::string body = StatusBody(s);
  const int code = HttpCode(s.code());
  return "HTTP/1.1 " + std::to_string(code) + " " +
         Poco::Net::HTTPResponse::getReasonForStatus(
             static_cast<Poco::Net::HTTPResponse::HTTPStatus>(code)) +
         "\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

// Copies bytes both ways until either side closes or the session is
// stopped (which shuts `client` down).
void Splice(DuplexConnection& client, DuplexConnection& node,
            const ConnectLocation& location) {
  std::atomic<bool> client_done{false};
  std::thread from_node([&] {
    std::string buf;
    bool answered = false;
    for (;;) {
      buf.clear();
      if (!node.Read(&buf)) break;
      answered = true;
      if (!client.Write(buf)) break;
    }
    if (!answered && !client_done) {
      client.Write(RawErrorReply(
          Status::Internal(DialError(location,
                                     "the node closed the connection without a "
                                     "reply"))));
    }
    client.Shutdown();
  });
  std::string buf;
  for (;;) {
    buf.clear();
    if (!client.Read(&buf)) break;
    if (!node.Write(buf)) break;
  }
  client_done = true;
  node.Shutdown();
  from_node.join();
}

}  // namespace

std::string KubeletRequestHead(
    const std::string& method, const ConnectLocation& location,
    const std::vector<std::pair<std::string, std::string>>& headers) {
  bool upgrade = false;
  std::string connection;
  for (const auto& [name, value] : headers) {
    if (strcasecmp(name.c_str(), "Upgrade") == 0) upgrade = true;
    if (strcasecmp(name.c_str(), "Connection") == 0) connection = value;
  }
  std::string head = method + " " + location.path +
                     " HTTP/1.1\r\nHost: " + location.host + ":" +
                     std::to_string(location.port) + "\r\n";
  for (const auto& [name, value] : headers) {
    if (Dropped(name)) continue;
    head += name + ": " + value + "\r\n";
  }
  head += "Connection: " +
          (upgrade ? (connection.empty() ? "Upgrade" : connection) : "close") +
          "\r\n\r\n";
  return head;
}

std::string DialError(const ConnectLocation& location, const std::string& why) {
  return "error dialing backend: node \"" + location.node + "\" at " +
         location.host + ":" + std::to_string(location.port) + ": " + why;
}

int ConnectProxy::Serve(const ConnectLocation& location,
                        Poco::Net::HTTPServerRequest& request,
                        Poco::Net::HTTPServerResponse& response) {
  Poco::Net::StreamSocket socket;
  try {
    Poco::Net::SocketAddress address(location.host,
                                     static_cast<Poco::UInt16>(location.port));
    if (tls_) {
      Poco::Net::SecureStreamSocket secure(tls_);
      // The handshake is made below, once the timeouts are set.
      secure.setLazyHandshake(true);
      secure.connect(address, kDialTimeout);
      secure.setReceiveTimeout(kDialTimeout);
      secure.setSendTimeout(kDialTimeout);
      secure.completeHandshake();
      socket = secure;
    } else {
      socket.connect(address, kDialTimeout);
    }
  } catch (const Poco::Exception& e) {
    spdlog::info("connect proxy: {}", DialError(location, e.displayText()));
    return SendError(response,
                     Status::Internal(DialError(location, e.displayText())));
  }
  auto node = DuplexConnection::Adopt(socket);
  if (!node.ok()) {
    return SendError(response, Status::Internal(DialError(
                                   location, node.status().message())));
  }
  std::vector<std::pair<std::string, std::string>> headers;
  for (const auto& [name, value] : request) headers.emplace_back(name, value);
  if (!(*node)->Write(
          KubeletRequestHead(request.getMethod(), location, headers))) {
    return SendError(response, Status::Internal(DialError(
                                   location, "the connection was closed")));
  }
  auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request);
  if (impl == nullptr) {
    return SendError(response,
                     Status::Internal("the connection cannot be taken over"));
  }
  response.setKeepAlive(false);
  auto client = DuplexConnection::Adopt(impl->detachSocket());
  if (!client.ok()) return 500;
  std::shared_ptr<DuplexConnection> to_node(std::move(node).value());
  const bool upgrade = request.has("Upgrade");
  // Refused only while the server stops: both connections just close.
  sessions_->Start(std::move(client).value(),
                   [to_node, location](DuplexConnection& conn) mutable {
                     Splice(conn, *to_node, location);
                     to_node.reset();
                   });
  return upgrade ? 101 : 200;
}

}  // namespace berth::api
