// HttpsStream: a raw HTTP/1.1-over-TLS client connection to a local server,
// for tests and benchmarks that hold thousands of streams (watches) open at
// once: the connect, handshake and request are blocking, then the response
// is read without blocking as a StreamPoller reports data. Opening gives up
// after 10 s without an answer. The server's
// certificate is not verified (the server is the one under test).
//
// Thread safety: one thread uses a stream or poller at a time.
#ifndef BERTH_TESTS_SUPPORT_HTTPS_STREAM_H_
#define BERTH_TESTS_SUPPORT_HTTPS_STREAM_H_

#include <openssl/ssl.h>

#include <functional>
#include <memory>
#include <string>

namespace berth::testing {

class HttpsStream {
 public:
  // Connects to 127.0.0.1:`port` and sends `method target` with the bearer
  // `token` and `body` (JSON). Null with *error set on failure.
  static std::unique_ptr<HttpsStream> Open(int port, const std::string& method,
                                           const std::string& target,
                                           const std::string& token,
                                           const std::string& body,
                                           std::string* error);
  // Closes the socket without a TLS close_notify, as a killed client would.
  ~HttpsStream();
  HttpsStream(const HttpsStream&) = delete;
  HttpsStream& operator=(const HttpsStream&) = delete;

  int fd() const { return fd_; }
  // Appends what can be read now to received(). False once the server
  // ended the connection (or it failed); closed() says so from then on.
  bool ReadAvailable();
  bool closed() const { return closed_; }
  std::string& received() { return received_; }

 private:
  HttpsStream(int fd, SSL* ssl) : fd_(fd), ssl_(ssl) {}
  int fd_;
  SSL* ssl_;
  bool closed_ = false;
  std::string received_;
};

// One request: the whole response (head and
// body), or "" when the connection failed.
std::string HttpsRequest(int port, const std::string& method,
                         const std::string& target, const std::string& token,
                         const std::string& body = "");

// The port of a "https://127.0.0.1:PORT" URL; 0 if there is none.
int PortOf(const std::string& url);

// epoll over many streams.
class StreamPoller {
 public:
  StreamPoller();
  ~StreamPoller();
  StreamPoller(const StreamPoller&) = delete;
  StreamPoller& operator=(const StreamPoller&) = delete;

  // `s` must stay alive until Remove or the poller's end.
  void Add(HttpsStream* s);
  void Remove(HttpsStream* s);
  // Waits up to `timeout_ms` and calls ReadAvailable on every stream with
  // data, then `on_data` for it. Returns the number of such streams.
  int Poll(int timeout_ms, const std::function<void(HttpsStream*)>& on_data);

 private:
  int epoll_fd_;
};

}  // namespace berth::testing

#endif  // BERTH_TESTS_SUPPORT_HTTPS_STREAM_H_
