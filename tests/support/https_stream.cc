#include "tests/support/https_stream.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace berth::testing {
namespace {

SSL_CTX* ClientContext() {
  static SSL_CTX* ctx = [] {
    SSL_CTX* c = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_verify(c, SSL_VERIFY_NONE, nullptr);
    return c;
  }();
  return ctx;
}

bool WriteAll(SSL* ssl, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    int n =
        SSL_write(ssl, data.data() + off, static_cast<int>(data.size() - off));
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

std::unique_ptr<HttpsStream> HttpsStream::Open(
    int port, const std::string& method, const std::string& target,
    const std::string& token, const std::string& body, std::string* error) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *error = std::string("socket: ") + std::strerror(errno);
    return nullptr;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    *error = std::string("connect: ") + std::strerror(errno);
    close(fd);
    return nullptr;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  // A server that takes no more connections fails the handshake, not the
  // caller's patience.
  timeval limit{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof(limit));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof(limit));
  SSL* ssl = SSL_new(ClientContext());
  SSL_set_fd(ssl, fd);
  std::unique_ptr<HttpsStream> s(new HttpsStream(fd, ssl));
  if (SSL_connect(ssl) != 1) {
    *error = "TLS handshake failed";
    return nullptr;
  }
  std::string req =
      method + " " + target +
      " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAccept: "
      "application/json\r\nAuthorization: Bearer " +
      token + "\r\n";
  if (!body.empty()) {
    req += "Content-Type: application/json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n";
  }
  req += "\r\n" + body;
  if (!WriteAll(ssl, req)) {
    *error = "cannot send the request";
    return nullptr;
  }
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  return s;
}

HttpsStream::~HttpsStream() {
  SSL_free(ssl_);
  close(fd_);
}

bool HttpsStream::ReadAvailable() {
  if (closed_) return false;
  char buf[16384];
  for (;;) {
    ERR_clear_error();
    int n = SSL_read(ssl_, buf, sizeof(buf));
    if (n > 0) {
      received_.append(buf, static_cast<size_t>(n));
      continue;
    }
    int err = SSL_get_error(ssl_, n);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) return true;
    closed_ = true;
    return false;
  }
}

std::string HttpsRequest(int port, const std::string& method,
                         const std::string& target, const std::string& token,
                         const std::string& body) {
  std::string error;
  auto s = HttpsStream::Open(port, method, target, token, body, &error);
  if (!s) return "";
  StreamPoller poller;
  poller.Add(s.get());
  // Ends when the server closes the connection or the response is complete.
  for (int i = 0; i < 200 && !s->closed(); ++i) {
    poller.Poll(100, [](HttpsStream*) {});
    const std::string& r = s->received();
    size_t head_end = r.find("\r\n\r\n");
    if (head_end == std::string::npos) continue;
    size_t cl = r.find("Content-Length: ");
    if (cl != std::string::npos && cl < head_end) {
      size_t len = std::stoul(r.substr(cl + 16));
      if (r.size() >= head_end + 4 + len) break;
    }
  }
  return s->received();
}

int PortOf(const std::string& url) {
  size_t colon = url.rfind(':');
  if (colon == std::string::npos) return 0;
  return std::atoi(url.c_str() + colon + 1);
}

StreamPoller::StreamPoller() : epoll_fd_(epoll_create1(EPOLL_CLOEXEC)) {}
StreamPoller::~StreamPoller() { close(epoll_fd_); }

void StreamPoller::Add(HttpsStream* s) {
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP;
  ev.data.ptr = s;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, s->fd(), &ev);
}

void StreamPoller::Remove(HttpsStream* s) {
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, s->fd(), nullptr);
}

int StreamPoller::Poll(int timeout_ms,
                       const std::function<void(HttpsStream*)>& on_data) {
  std::vector<epoll_event> events(1024);
  int n = epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()),
                     timeout_ms);
  for (int i = 0; i < n; ++i) {
    auto* s = static_cast<HttpsStream*>(events[i].data.ptr);
    if (!s->ReadAvailable()) Remove(s);
    on_data(s);
  }
  return n < 0 ? 0 : n;
}

}  // namespace berth::testing
