// HttpsConnection: one keep-alive HTTP/1.1 connection over TLS (OpenSSL),
// lean enough that 64 of them do not steal the CPU the measured server needs.
// TlsClientConfig holds the SSL_CTX every connection of one peer shares.
//
// Thread safety: a TlsClientConfig is immutable after Make and may be shared
// by any threads. An HttpsConnection is used by one thread at a time.
#ifndef BERTH_BENCH_API_HTTPS_CONNECTION_H_
#define BERTH_BENCH_API_HTTPS_CONNECTION_H_

#include <openssl/ssl.h>

#include <memory>
#include <string>

#include "berth/status.h"

namespace berth::bench {

// PEM texts. An empty ca_pem turns peer verification off (used only to poll
// /readyz before the server has written its CA); empty cert/key: no client
// certificate.
struct TlsCredentials {
  std::string ca_pem;
  std::string cert_pem;
  std::string key_pem;
};

class TlsClientConfig {
 public:
  // Invalid when a PEM text cannot be parsed.
  static StatusOr<std::shared_ptr<TlsClientConfig>> Make(
      const TlsCredentials& credentials);
  ~TlsClientConfig();
  TlsClientConfig(const TlsClientConfig&) = delete;
  TlsClientConfig& operator=(const TlsClientConfig&) = delete;

  SSL_CTX* ctx() const { return ctx_; }
  bool verify() const { return verify_; }

 private:
  TlsClientConfig(SSL_CTX* ctx, bool verify) : ctx_(ctx), verify_(verify) {}
  SSL_CTX* ctx_;
  bool verify_;
};

struct HttpResponse {
  int status = 0;
  std::string body;
};

class HttpsConnection {
 public:
  // Connects nothing yet. `host` is an IPv4 literal (the peer certificate
  // must name it).
  HttpsConnection(std::shared_ptr<TlsClientConfig> tls, std::string host,
                  int port);
  ~HttpsConnection();
  HttpsConnection(const HttpsConnection&) = delete;
  HttpsConnection& operator=(const HttpsConnection&) = delete;

  // TCP connect and TLS handshake. Unavailable when either fails (the
  // connection is closed again).
  Status Connect();
  // Sends one request and reads the whole response; connects first when
  // not connected. `headers` are extra "Name: value\r\n" lines. On any
  // transport error the connection is closed and Unavailable returned;
  // the next call reconnects.
  StatusOr<HttpResponse> Request(const std::string& method,
                                 const std::string& path,
                                 const std::string& headers = "",
                                 const std::string& body = "");
  // Sends a request without reading the answer (for streams such as a
  // watch, read afterwards through ssl()).
  Status Send(const std::string& method, const std::string& path,
              const std::string& headers = "", const std::string& body = "");
  void Close();

  bool connected() const { return ssl_ != nullptr; }
  int fd() const { return fd_; }
  SSL* ssl() const { return ssl_; }

 private:
  // Appends decrypted bytes to in_; false on EOF or error.
  bool ReadMore();
  // Reads until in_ holds `n` bytes past `from`.
  bool Fill(size_t from, size_t n);
  StatusOr<HttpResponse> ReadResponse();
  Status Fail(const std::string& what);

  std::shared_ptr<TlsClientConfig> tls_;
  std::string host_;
  int port_;
  int fd_ = -1;
  SSL* ssl_ = nullptr;
  std::string in_;  // received, not yet consumed
};

// Where a server listens and how to talk to it.
struct Endpoint {
  std::string host;
  int port = 0;
  std::shared_ptr<TlsClientConfig> tls;

  // A new, not yet connected connection to this endpoint.
  std::unique_ptr<HttpsConnection> NewConnection() const {
    return std::make_unique<HttpsConnection>(tls, host, port);
  }
};

}  // namespace berth::bench

#endif  // BERTH_BENCH_API_HTTPS_CONNECTION_H_
