#include "kernel/api/server/nonblocking_connection.h"

#include <Poco/Net/SecureStreamSocketImpl.h>
#include <errno.h>
#include <openssl/err.h>
#include <sys/socket.h>

#include "kernel/api/tls/accepted_ssl.h"

namespace berth::api {

StatusOr<NonblockingConnection> NonblockingConnection::Adopt(
    Poco::Net::StreamSocket socket) {
  NonblockingConnection c;
  try {
    if (!socket.impl()->initialized()) {
      return Status::Internal("the connection is already closed");
    }
    c.fd_ = static_cast<int>(socket.impl()->sockfd());
    if (dynamic_cast<Poco::Net::SecureStreamSocketImpl*>(socket.impl())) {
      c.ssl_ = tls::AcceptedSslForFd(c.fd_);
      if (c.ssl_ == nullptr) {
        c.fd_ = -1;
        return Status::Internal("no TLS session found for the connection");
      }
      // Writes are retried from a buffer that may have grown (and moved)
      // since the attempt that would have blocked.
      SSL_set_mode(c.ssl_, SSL_MODE_ENABLE_PARTIAL_WRITE |
                               SSL_MODE_RELEASE_BUFFERS |
                               SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    }
    // Only the fd's flag matters: Poco is not asked to read or write again.
    socket.setBlocking(false);
  } catch (const Poco::Exception& e) {
    c.fd_ = -1;
    c.ssl_ = nullptr;
    return Status::Internal("cannot take over the connection: " +
                            e.displayText());
  }
  c.socket_ = std::move(socket);
  return c;
}

NonblockingConnection::NonblockingConnection(
    NonblockingConnection&& other) noexcept
    : socket_(std::move(other.socket_)), ssl_(other.ssl_), fd_(other.fd_) {
  other.ssl_ = nullptr;
  other.fd_ = -1;
}

NonblockingConnection& NonblockingConnection::operator=(
    NonblockingConnection&& other) noexcept {
  if (this != &other) {
    Close();
    socket_ = std::move(other.socket_);
    ssl_ = other.ssl_;
    fd_ = other.fd_;
    other.ssl_ = nullptr;
    other.fd_ = -1;
  }
  return *this;
}

long NonblockingConnection::Write(const char* data, size_t n) {
  if (fd_ < 0) return -1;
  if (ssl_ == nullptr) {
    ssize_t r = ::send(fd_, data, n, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (r >= 0) return static_cast<long>(r);
    return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
  }
  ERR_clear_error();
  int r = SSL_write(ssl_, data, static_cast<int>(n));
  if (r > 0) return r;
  int err = SSL_get_error(ssl_, r);
  return err == SSL_ERROR_WANT_WRITE || err == SSL_ERROR_WANT_READ ? 0 : -1;
}

long NonblockingConnection::Read(char* buf, size_t n) {
  if (fd_ < 0) return -1;
  if (ssl_ == nullptr) {
    ssize_t r = ::recv(fd_, buf, n, MSG_DONTWAIT);
    if (r > 0) return static_cast<long>(r);
    if (r == 0) return -1;
    return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
  }
  ERR_clear_error();
  int r = SSL_read(ssl_, buf, static_cast<int>(n));
  if (r > 0) return r;
  int err = SSL_get_error(ssl_, r);
  return err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE ? 0 : -1;
}

bool NonblockingConnection::DrainInput() {
  if (fd_ < 0) return false;
  char buf[4096];
  for (;;) {
    if (ssl_ == nullptr) {
      ssize_t r = ::recv(fd_, buf, sizeof(buf), MSG_DONTWAIT);
      if (r > 0) continue;
      if (r == 0) return false;
      return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
    }
    ERR_clear_error();
    int r = SSL_read(ssl_, buf, sizeof(buf));
    if (r > 0) continue;
    int err = SSL_get_error(ssl_, r);
    return err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE;
  }
}

void NonblockingConnection::Close() {
  if (fd_ < 0) return;
  if (ssl_ != nullptr) {
    ERR_clear_error();
    SSL_shutdown(ssl_);  // best effort: the socket does not block
    // Poco's close must not try again (and wait) on this socket.
    SSL_set_shutdown(ssl_, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
    ERR_clear_error();
  }
  ::shutdown(fd_, SHUT_RDWR);
  try {
    socket_.close();
  } catch (const Poco::Exception&) {
    // Already shut down; the fd is released with the socket.
  }
  socket_ = Poco::Net::StreamSocket();
  ssl_ = nullptr;
  fd_ = -1;
}

}  // namespace berth::api
