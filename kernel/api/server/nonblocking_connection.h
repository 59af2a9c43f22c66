// NonblockingConnection: a client connection taken over from Poco's HTTP
// server (HTTPServerRequestImpl::detachSocket), read and written without
// ever blocking: plain TCP with send/recv, HTTPS with OpenSSL's own calls on
// the connection's SSL* (see kernel/api/tls/accepted_ssl.h), so the TLS
// session Poco negotiated carries on.
//
// Thread safety: one thread at a time uses a connection.
#ifndef BERTH_KERNEL_API_SERVER_NONBLOCKING_CONNECTION_H_
#define BERTH_KERNEL_API_SERVER_NONBLOCKING_CONNECTION_H_

#include <Poco/Net/StreamSocket.h>
#include <openssl/ssl.h>

#include <cstddef>

#include "berth/status.h"

namespace berth::api {

class NonblockingConnection {
 public:
  // Takes over `socket` (detached from its HTTP session) and switches it to
  // non-blocking. Internal when it is a TLS socket whose OpenSSL connection
  // cannot be found, or is not open.
  static StatusOr<NonblockingConnection> Adopt(Poco::Net::StreamSocket socket);

  NonblockingConnection(NonblockingConnection&& other) noexcept;
  NonblockingConnection& operator=(NonblockingConnection&& other) noexcept;
  ~NonblockingConnection() { Close(); }

  int fd() const { return fd_; }

  // Writes up to `n` bytes of `data`: the count written, 0 when the socket
  // cannot take more now, -1 when the connection failed. After 0, retry with
  // the same bytes (TLS needs them; more may follow them).
  long Write(const char* data, size_t n);

  // Reads up to `n` bytes into `buf`: the count read, 0 when nothing is
  // there now, -1 when the peer closed the connection or it failed.
  long Read(char* buf, size_t n);

  // Reads and discards what the peer sent (nothing is expected on a watch).
  // False when the peer closed the connection or it failed.
  bool DrainInput();

  // Sends the TLS close_notify if the socket takes it, then closes.
  // Idempotent; never blocks.
  void Close();

 private:
  NonblockingConnection() = default;

  Poco::Net::StreamSocket socket_;  // owns the fd and the SSL
  SSL* ssl_ = nullptr;              // null: plain TCP
  int fd_ = -1;
};

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_NONBLOCKING_CONNECTION_H_
