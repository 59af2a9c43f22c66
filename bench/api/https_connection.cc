#include "bench/api/https_connection.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>

namespace berth::bench {
namespace {

std::string SslErrors() {
  std::string out;
  unsigned long e;
  while ((e = ERR_get_error()) != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof(buf));
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out;
}

// The value of header `name` (case-insensitive) in a response head, or "".
std::string HeaderValue(const std::string& head, const char* name) {
  const size_t len = std::char_traits<char>::length(name);
  size_t pos = head.find("\r\n");
  while (pos != std::string::npos && pos + 2 < head.size()) {
    size_t line = pos + 2;
    size_t end = head.find("\r\n", line);
    if (end == std::string::npos) end = head.size();
    if (end - line > len && head[line + len] == ':' &&
        strncasecmp(head.data() + line, name, len) == 0) {
      size_t v = line + len + 1;
      while (v < end && head[v] == ' ') ++v;
      return head.substr(v, end - v);
    }
    pos = end;
  }
  return "";
}

}  // namespace

StatusOr<std::shared_ptr<TlsClientConfig>> TlsClientConfig::Make(
    const TlsCredentials& credentials) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == nullptr) return Status::Internal("SSL_CTX_new: " + SslErrors());
  std::shared_ptr<TlsClientConfig> config(
      new TlsClientConfig(ctx, !credentials.ca_pem.empty()));
  // Fewer read syscalls: take whatever the socket has into OpenSSL's buffer
  // (a watch stream sends one small TLS record per event).
  SSL_CTX_set_read_ahead(ctx, 1);
  if (config->verify_) {
    BIO* bio = BIO_new_mem_buf(credentials.ca_pem.data(),
                               static_cast<int>(credentials.ca_pem.size()));
    X509_STORE* store = SSL_CTX_get_cert_store(ctx);
    int added = 0;
    while (X509* ca = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) {
      added += X509_STORE_add_cert(store, ca);
      X509_free(ca);
    }
    BIO_free(bio);
    ERR_clear_error();  // the loop ends on a "no start line" error
    if (added == 0) return Status::Invalid("no CA certificate in the CA PEM");
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  }
  if (!credentials.cert_pem.empty()) {
    BIO* bio = BIO_new_mem_buf(credentials.cert_pem.data(),
                               static_cast<int>(credentials.cert_pem.size()));
    X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    bio = BIO_new_mem_buf(credentials.key_pem.data(),
                          static_cast<int>(credentials.key_pem.size()));
    EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    bool ok = cert != nullptr && key != nullptr &&
              SSL_CTX_use_certificate(ctx, cert) == 1 &&
              SSL_CTX_use_PrivateKey(ctx, key) == 1;
    X509_free(cert);
    EVP_PKEY_free(key);
    if (!ok) return Status::Invalid("bad client certificate: " + SslErrors());
  }
  return config;
}

TlsClientConfig::~TlsClientConfig() { SSL_CTX_free(ctx_); }

HttpsConnection::HttpsConnection(std::shared_ptr<TlsClientConfig> tls,
                                 std::string host, int port)
    : tls_(std::move(tls)), host_(std::move(host)), port_(port) {}

HttpsConnection::~HttpsConnection() { Close(); }

void HttpsConnection::Close() {
  if (ssl_ != nullptr) SSL_free(ssl_);
  ssl_ = nullptr;
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  in_.clear();
}

Status HttpsConnection::Fail(const std::string& what) {
  std::string errors = SslErrors();
  Close();
  return Status::Unavailable(what + (errors.empty() ? "" : ": " + errors));
}

Status HttpsConnection::Connect() {
  Close();
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port_));
  if (inet_pton(AF_INET, host_.c_str(), &addr.sin_addr) != 1) {
    return Status::Invalid("not an IPv4 address: " + host_);
  }
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return Fail("socket");
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    return Fail("connect to " + host_ + ":" + std::to_string(port_));
  }
  ssl_ = SSL_new(tls_->ctx());
  if (ssl_ == nullptr) return Fail("SSL_new");
  if (tls_->verify()) {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), host_.c_str());
  }
  SSL_set_fd(ssl_, fd_);
  if (SSL_connect(ssl_) != 1) return Fail("TLS handshake");
  return Status::Ok();
}

Status HttpsConnection::Send(const std::string& method, const std::string& path,
                             const std::string& headers,
                             const std::string& body) {
  if (ssl_ == nullptr) {
    if (Status s = Connect(); !s.ok()) return s;
  }
  std::string request = method + " " + path + " HTTP/1.1\r\nHost: " + host_ +
                        ":" + std::to_string(port_) + "\r\n" + headers;
  if (!body.empty() || method == "POST" || method == "PUT" ||
      method == "PATCH") {
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  request += "\r\n";
  request += body;
  size_t done = 0;
  while (done < request.size()) {
    int n = SSL_write(ssl_, request.data() + done,
                      static_cast<int>(request.size() - done));
    if (n <= 0) return Fail("write");
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

bool HttpsConnection::ReadMore() {
  char buf[65536];
  int n = SSL_read(ssl_, buf, sizeof(buf));
  if (n <= 0) return false;
  in_.append(buf, static_cast<size_t>(n));
  return true;
}

bool HttpsConnection::Fill(size_t from, size_t n) {
  while (in_.size() < from + n) {
    if (!ReadMore()) return false;
  }
  return true;
}

StatusOr<HttpResponse> HttpsConnection::Request(const std::string& method,
                                                const std::string& path,
                                                const std::string& headers,
                                                const std::string& body) {
  if (Status s = Send(method, path, headers, body); !s.ok()) return s;
  return ReadResponse();
}

StatusOr<HttpResponse> HttpsConnection::ReadResponse() {
  size_t head_end;
  while ((head_end = in_.find("\r\n\r\n")) == std::string::npos) {
    if (!ReadMore()) return Fail("read response head");
  }
  const std::string head = in_.substr(0, head_end);
  size_t pos = head_end + 4;
  HttpResponse response;
  if (head.size() < 12 || head.compare(0, 5, "HTTP/") != 0) {
    return Fail("bad status line");
  }
  response.status = std::atoi(head.c_str() + 9);
  const std::string length = HeaderValue(head, "Content-Length");
  const std::string encoding = HeaderValue(head, "Transfer-Encoding");
  if (!length.empty()) {
    size_t n = std::strtoull(length.c_str(), nullptr, 10);
    if (!Fill(pos, n)) return Fail("read body");
    response.body = in_.substr(pos, n);
    pos += n;
  } else if (strcasecmp(encoding.c_str(), "chunked") == 0) {
    while (true) {
      size_t eol;
      while ((eol = in_.find("\r\n", pos)) == std::string::npos) {
        if (!ReadMore()) return Fail("read chunk size");
      }
      size_t n = std::strtoull(in_.c_str() + pos, nullptr, 16);
      pos = eol + 2;
      if (n == 0) {
        // Trailers (none expected) end with an empty line.
        while ((eol = in_.find("\r\n", pos)) == std::string::npos) {
          if (!ReadMore()) return Fail("read last chunk");
        }
        pos = eol + 2;
        break;
      }
      if (!Fill(pos, n + 2)) return Fail("read chunk");
      response.body.append(in_, pos, n);
      pos += n + 2;
    }
  } else if (response.status != 204 && response.status != 304) {
    while (ReadMore()) {
    }
    response.body = in_.substr(pos);
    pos = in_.size();
    Close();
    return response;
  }
  in_.erase(0, pos);
  if (strcasecmp(HeaderValue(head, "Connection").c_str(), "close") == 0) {
    Close();
  }
  return response;
}

}  // namespace berth::bench
