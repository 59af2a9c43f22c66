#include "kernel/api/tls/accepted_ssl.h"

#include <mutex>
#include <unordered_map>

namespace berth::tls {
namespace {

std::mutex& Mu() {
  static std::mutex mu;
  return mu;
}

std::unordered_map<int, SSL*>& ByFd() {
  static auto* by_fd = new std::unordered_map<int, SSL*>;
  return *by_fd;
}

void OnInfo(const SSL* ssl, int where, int /*ret*/) {
  if ((where & SSL_CB_HANDSHAKE_DONE) == 0) return;
  const int fd = SSL_get_fd(ssl);
  if (fd < 0) return;
  std::lock_guard<std::mutex> lock(Mu());
  // OpenSSL hands the callback a const SSL; the connection itself is not
  // const and the caller of AcceptedSslForFd owns its use.
  ByFd()[fd] = const_cast<SSL*>(ssl);
}

}  // namespace

void TrackAcceptedSsl(SSL_CTX* ctx) { SSL_CTX_set_info_callback(ctx, OnInfo); }

SSL* AcceptedSslForFd(int fd) {
  std::lock_guard<std::mutex> lock(Mu());
  auto it = ByFd().find(fd);
  if (it == ByFd().end()) return nullptr;
  return SSL_get_fd(it->second) == fd ? it->second : nullptr;
}

}  // namespace berth::tls
