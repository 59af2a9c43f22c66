#include "dns_server.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "socket_address.h"
#include "upstream_forwarder.h"

namespace berth::dns {
namespace {

constexpr int kUdpWorkers = 4;
constexpr size_t kMaxTcpConnections = 64;
// How often blocked threads look at stopping_.
constexpr int kPollMillis = 200;
// An idle TCP connection is closed after this long (RFC 7766 6.2.3).
constexpr int kTcpIdleSeconds = 10;

int BoundSocket(const SocketAddress& at, int type) {
  int fd = socket(at.family(), type | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (bind(fd, at.get(), at.length) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

int BoundPort(int fd) {
  sockaddr_storage s{};
  socklen_t len = sizeof(s);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&s), &len) != 0) return 0;
  if (s.ss_family == AF_INET) {
    return ntohs(reinterpret_cast<sockaddr_in*>(&s)->sin_port);
  }
  return ntohs(reinterpret_cast<sockaddr_in6*>(&s)->sin6_port);
}

bool Readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, kPollMillis) > 0;
}

}  // namespace

DnsServer::DnsServer(const DnsResponder& responder) : responder_(responder) {}

DnsServer::~DnsServer() { Stop(); }

Status DnsServer::Start(const std::string& bind_address, int port) {
  auto at = ParseSocketAddress(bind_address, port);
  if (!at.ok()) return at.status();
  udp_fd_ = BoundSocket(*at, SOCK_DGRAM);
  if (udp_fd_ < 0) {
    return Status::Unavailable("binding udp " + at->ToString() + ": " +
                               std::strerror(errno));
  }
  port_ = BoundPort(udp_fd_);
  auto tcp_at = ParseSocketAddress(bind_address, port_);
  tcp_fd_ = BoundSocket(*tcp_at, SOCK_STREAM);
  if (tcp_fd_ < 0 || listen(tcp_fd_, 128) != 0) {
    Status s = Status::Unavailable("binding tcp " + tcp_at->ToString() + ": " +
                                   std::strerror(errno));
    close(udp_fd_);
    if (tcp_fd_ >= 0) close(tcp_fd_);
    udp_fd_ = tcp_fd_ = -1;
    return s;
  }
  stopping_ = false;
  for (int i = 0; i < kUdpWorkers; ++i) {
    threads_.emplace_back([this] { ServeUdp(); });
  }
  threads_.emplace_back([this] { AcceptTcp(); });
  return Status::Ok();
}

void DnsServer::Stop() {
  if (udp_fd_ < 0) return;
  stopping_ = true;
  for (auto& t : threads_) t.join();
  threads_.clear();
  ReapConnections(/*all=*/true);
  close(udp_fd_);
  close(tcp_fd_);
  udp_fd_ = tcp_fd_ = -1;
}

void DnsServer::ServeUdp() {
  std::string buf(65535, '\0');
  while (!stopping_) {
    if (!Readable(udp_fd_)) continue;
    sockaddr_storage from{};
    socklen_t from_len = sizeof(from);
    ssize_t n = recvfrom(udp_fd_, buf.data(), buf.size(), MSG_DONTWAIT,
                         reinterpret_cast<sockaddr*>(&from), &from_len);
    if (n <= 0) continue;  // another worker took it
    std::string reply =
        responder_.Respond(std::string_view(buf.data(), size_t(n)), true);
    if (reply.empty()) continue;
    sendto(udp_fd_, reply.data(), reply.size(), 0,
           reinterpret_cast<sockaddr*>(&from), from_len);
  }
}

void DnsServer::AcceptTcp() {
  while (!stopping_) {
    ReapConnections(/*all=*/false);
    if (!Readable(tcp_fd_)) continue;
    int fd = accept4(tcp_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    // A client that stops in the middle of a message cannot hold a thread
    // for longer than this.
    timeval tv{};
    tv.tv_sec = kTcpIdleSeconds;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    std::lock_guard<std::mutex> lock(mu_);
    if (connections_.size() >= kMaxTcpConnections) {
      close(fd);
      continue;
    }
    auto c = std::make_unique<Connection>();
    Connection* raw = c.get();
    c->thread = std::thread([this, fd, raw] { ServeTcp(fd, raw); });
    connections_.push_back(std::move(c));
  }
}

void DnsServer::ServeTcp(int fd, Connection* self) {
  int idle_polls = 0;
  while (!stopping_ && idle_polls * kPollMillis < kTcpIdleSeconds * 1000) {
    if (!Readable(fd)) {
      ++idle_polls;
      continue;
    }
    idle_polls = 0;
    std::string query;
    if (!ReadTcpMessage(fd, &query)) break;
    std::string reply = responder_.Respond(query, false);
    if (reply.empty() || !WriteTcpMessage(fd, reply)) break;
  }
  close(fd);
  self->done = true;
}

void DnsServer::ReapConnections(bool all) {
  std::list<std::unique_ptr<Connection>> finished;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = connections_.begin(); it != connections_.end();) {
      if (all || (*it)->done) {
        finished.push_back(std::move(*it));
        it = connections_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& c : finished) c->thread.join();
}

}  // namespace berth::dns
