// KeepAliveConnection: serves the HTTP/1.1 requests of one accepted
// connection, in place of Poco's HTTPServerConnection. Poco waits for each
// keep-alive request with a poll that creates and closes an epoll instance
// (four system calls per request); this connection instead blocks in the
// read of the next request, with the keep-alive timeout as the socket's
// receive timeout. Everything else is Poco's: the session, the request and
// response objects, and the handler factory. A handler that detaches the
// socket (a watch handed to the fan-out writer) ends the loop.
//
// Thread safety: run() runs on one pool thread; Stop (server shutdown) may
// come from another and only shuts the socket down. ConnectionSet is
// thread-safe.
#ifndef BERTH_KERNEL_API_SERVER_KEEP_ALIVE_CONNECTION_H_
#define BERTH_KERNEL_API_SERVER_KEEP_ALIVE_CONNECTION_H_

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <set>

namespace berth::api {

class KeepAliveConnection;

// The open connections, so server shutdown can end the ones blocked in a
// read. Thread-safe.
class ConnectionSet {
 public:
  // Adds `c`; false once StopAll ran (the connection should end at once).
  bool Add(KeepAliveConnection* c);
  void Remove(KeepAliveConnection* c);
  // Stops every open connection and every later one.
  void StopAll();

 private:
  std::mutex mu_;
  bool stopped_ = false;
  std::set<KeepAliveConnection*> open_;
};

class KeepAliveConnection : public Poco::Net::TCPServerConnection {
 public:
  KeepAliveConnection(const Poco::Net::StreamSocket& socket,
                      Poco::Net::HTTPServerParams::Ptr params,
                      Poco::Net::HTTPRequestHandlerFactory::Ptr factory,
                      std::shared_ptr<ConnectionSet> connections);
  ~KeepAliveConnection() override;

  void run() override;

  // Server shutdown: ends a blocked read by shutting the socket down.
  void Stop();

 private:
  Poco::Net::HTTPServerParams::Ptr params_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr factory_;
  std::shared_ptr<ConnectionSet> connections_;
  std::atomic<bool> stopped_{false};
  std::mutex fd_mu_;
  int fd_ = -1;  // the socket while this connection owns it; -1 after
};

// Makes a KeepAliveConnection per accepted socket.
class KeepAliveConnectionFactory
    : public Poco::Net::TCPServerConnectionFactory {
 public:
  KeepAliveConnectionFactory(Poco::Net::HTTPServerParams::Ptr params,
                             Poco::Net::HTTPRequestHandlerFactory::Ptr factory,
                             std::shared_ptr<ConnectionSet> connections)
      : params_(params),
        factory_(factory),
        connections_(std::move(connections)) {}
  Poco::Net::TCPServerConnection* createConnection(
      const Poco::Net::StreamSocket& socket) override {
    return new KeepAliveConnection(socket, params_, factory_, connections_);
  }

 private:
  Poco::Net::HTTPServerParams::Ptr params_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr factory_;
  std::shared_ptr<ConnectionSet> connections_;
};

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_KEEP_ALIVE_CONNECTION_H_
