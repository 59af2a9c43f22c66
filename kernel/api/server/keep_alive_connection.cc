#include "kernel/api/server/keep_alive_connection.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Timestamp.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <memory>

namespace berth::api {
namespace {

using Poco::Net::HTTPResponse;

void SendError(Poco::Net::HTTPServerSession& session,
               HTTPResponse::HTTPStatus status) {
  Poco::Net::HTTPServerResponseImpl response(session);
  response.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
  response.setStatusAndReason(status);
  response.setKeepAlive(false);
  response.send();
  session.setKeepAlive(false);
}

}  // namespace

bool ConnectionSet::Add(KeepAliveConnection* c) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopped_) return false;
  open_.insert(c);
  return true;
}

void ConnectionSet::Remove(KeepAliveConnection* c) {
  std::lock_guard<std::mutex> lock(mu_);
  open_.erase(c);
}

void ConnectionSet::StopAll() {
  std::lock_guard<std::mutex> lock(mu_);
  stopped_ = true;
  for (KeepAliveConnection* c : open_) c->Stop();
}

KeepAliveConnection::KeepAliveConnection(
    const Poco::Net::StreamSocket& socket,
    Poco::Net::HTTPServerParams::Ptr params,
    Poco::Net::HTTPRequestHandlerFactory::Ptr factory,
    std::shared_ptr<ConnectionSet> connections)
    : TCPServerConnection(socket),
      params_(params),
      factory_(factory),
      connections_(std::move(connections)) {
  fd_ = this->socket().impl()->sockfd();
  // As Go's net package (and so kube-apiserver) does for every TCP
  // connection: with Nagle on, a watch event or a response written while
  // the previous one is unacknowledged waits for the peer's delayed ACK.
  const int one = 1;
  if (fd_ >= 0) setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  if (!connections_->Add(this)) stopped_ = true;
}

KeepAliveConnection::~KeepAliveConnection() { connections_->Remove(this); }

void KeepAliveConnection::Stop() {
  stopped_ = true;
  std::lock_guard<std::mutex> lock(fd_mu_);
  // The raw shutdown, not the TLS one: another thread may be inside
  // SSL_read on this connection, and OpenSSL objects are not shared.
  if (fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);
}

void KeepAliveConnection::run() {
  Poco::Net::HTTPServerSession session(socket(), params_);
  // The first request waits in Poco's poll (with the request timeout); it
  // also starts the session's keep-alive accounting that canKeepAlive()
  // reads.
  if (!session.hasMoreRequests()) return;
  socket().setReceiveTimeout(params_->getKeepAliveTimeout());
  const std::string server = params_->getSoftwareVersion();
  while (!stopped_) {
    try {
      Poco::Net::HTTPServerResponseImpl response(session);
      // Blocks until the next request arrives; a closed peer throws
      // NoMessageException, an idle one TimeoutException.
      Poco::Net::HTTPServerRequestImpl request(response, session,
                                               params_.get());
      response.setDate(Poco::Timestamp());
      response.setVersion(request.getVersion());
      response.setKeepAlive(params_->getKeepAlive() && request.getKeepAlive() &&
                            session.canKeepAlive());
      if (!server.empty()) response.set("Server", server);
      try {
        std::unique_ptr<Poco::Net::HTTPRequestHandler> handler(
            factory_->createRequestHandler(request));
        if (!handler) {
          SendError(session, HTTPResponse::HTTP_NOT_IMPLEMENTED);
          break;
        }
        if (request.getExpectContinue() &&
            response.getStatus() == HTTPResponse::HTTP_OK) {
          response.sendContinue();
        }
        handler->handleRequest(request, response);
        session.setKeepAlive(params_->getKeepAlive() &&
                             response.getKeepAlive() && session.canKeepAlive());
      } catch (const Poco::Exception&) {
        if (!response.sent()) {
          try {
            SendError(session, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
          } catch (...) {
          }
        }
        throw;
      }
    } catch (const Poco::Net::NoMessageException&) {
      break;  // the peer closed the connection between requests
    } catch (const Poco::TimeoutException&) {
      break;  // idle longer than the keep-alive timeout
    } catch (const Poco::Net::MessageException&) {
      try {
        SendError(session, HTTPResponse::HTTP_BAD_REQUEST);
      } catch (...) {
      }
      break;
    } catch (const Poco::Exception&) {
      break;  // a network error; the connection is gone
    }
    // A handler that took the socket (a watch) leaves nothing to serve.
    if (!session.socket().impl()->initialized()) {
      std::lock_guard<std::mutex> lock(fd_mu_);
      fd_ = -1;
      break;
    }
    if (!session.getKeepAlive()) break;
  }
}

}  // namespace berth::api
