#include "dns_server.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "socket_address.h"
#include "upstream_forwarder.h"

namespace berth::dns {
namespace {

constexpr int kUdpWorkers = 4;
constexpr size_t kMaxTcpConnections = 64;
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

}  // namespace

DnsServer::DnsServer(const DnsResponder& responder) : responder_(responder) {}

DnsServer::~DnsServer() { Stop(); }

Status DnsServer::Bind(const std::string& bind_address, int port) {
  auto at = ParseSocketAddress(bind_address, port);
  if (!at.ok()) return at.status();
  udp_fd_ = BoundSocket(*at, SOCK_DGRAM);
  if (udp_fd_ < 0) {
    return Status::Unavailable("binding udp " + at->ToString() + ": " +
                               std::strerror(errno));
  }
  int one = 1;
  if (at->family() == AF_INET) {
    setsockopt(udp_fd_, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
  } else {
    setsockopt(udp_fd_, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one));
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
  return Status::Ok();
}

Status DnsServer::Start(const std::string& bind_address, int port) {
  // Port 0 picks a free UDP port, and TCP must then get the same number,
  // which another TCP socket (a connection's local port) may hold: try
  // other picks before giving up.
  Status s = Bind(bind_address, port);
  for (int i = 0; port == 0 && !s.ok() && i < 20; ++i) {
    s = Bind(bind_address, port);
  }
  if (!s.ok()) return s;
  stopping_ = false;
  wake_fd_ = eventfd(0, EFD_CLOEXEC);
  for (int i = 0; i < kUdpWorkers; ++i) {
    threads_.emplace_back([this] { ServeUdp(); });
  }
  threads_.emplace_back([this] { AcceptTcp(); });
  return Status::Ok();
}

void DnsServer::Stop() {
  if (udp_fd_ < 0) return;
  stopping_ = true;
  // Never read: it stays readable and wakes every waiting thread.
  const uint64_t one = 1;
  [[maybe_unused]] ssize_t n = write(wake_fd_, &one, sizeof(one));
  for (auto& t : threads_) t.join();
  threads_.clear();
  ReapConnections(/*all=*/true);
  close(udp_fd_);
  close(tcp_fd_);
  close(wake_fd_);
  udp_fd_ = tcp_fd_ = wake_fd_ = -1;
}

bool DnsServer::Readable(int fd, int timeout_ms) const {
  pollfd p[2] = {{fd, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
  while (true) {
    int r = poll(p, 2, timeout_ms);
    if (r < 0 && errno == EINTR) continue;
    return r > 0 && (p[0].revents & (POLLIN | POLLHUP | POLLERR)) &&
           !(p[1].revents & POLLIN);
  }
}

void DnsServer::ServeUdp() {
  std::string buf(65535, '\0');
  while (!stopping_) {
    if (!Readable(udp_fd_, -1)) continue;
    sockaddr_storage from{};
    alignas(cmsghdr) char control[256];
    iovec iov{buf.data(), buf.size()};
    msghdr msg{};
    msg.msg_name = &from;
    msg.msg_namelen = sizeof(from);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof(control);
    ssize_t n = recvmsg(udp_fd_, &msg, MSG_DONTWAIT);
    if (n <= 0) continue;  // another worker took it
    std::string reply =
        responder_.Respond(std::string_view(buf.data(), size_t(n)), true);
    if (reply.empty()) continue;
    // Reply from the address the query was sent to. On a wildcard socket
    // the kernel would otherwise pick the source by route, and a query
    // that reached us through the proxy's DNAT would get a reply conntrack
    // cannot map back to the ClusterIP, which the client then drops.
    alignas(cmsghdr) char reply_control[256];
    size_t reply_control_len = 0;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
        in_pktinfo info{};
        std::memcpy(&info, CMSG_DATA(c), sizeof(info));
        info.ipi_spec_dst = info.ipi_addr;
        info.ipi_ifindex = 0;
        auto* out = reinterpret_cast<cmsghdr*>(reply_control);
        out->cmsg_level = IPPROTO_IP;
        out->cmsg_type = IP_PKTINFO;
        out->cmsg_len = CMSG_LEN(sizeof(info));
        std::memcpy(CMSG_DATA(out), &info, sizeof(info));
        reply_control_len = CMSG_SPACE(sizeof(info));
      } else if (c->cmsg_level == IPPROTO_IPV6 &&
                 c->cmsg_type == IPV6_PKTINFO) {
        in6_pktinfo info{};
        std::memcpy(&info, CMSG_DATA(c), sizeof(info));
        info.ipi6_ifindex = 0;
        auto* out = reinterpret_cast<cmsghdr*>(reply_control);
        out->cmsg_level = IPPROTO_IPV6;
        out->cmsg_type = IPV6_PKTINFO;
        out->cmsg_len = CMSG_LEN(sizeof(info));
        std::memcpy(CMSG_DATA(out), &info, sizeof(info));
        reply_control_len = CMSG_SPACE(sizeof(info));
      }
    }
    iovec out_iov{reply.data(), reply.size()};
    msghdr out{};
    out.msg_name = &from;
    out.msg_namelen = msg.msg_namelen;
    out.msg_iov = &out_iov;
    out.msg_iovlen = 1;
    if (reply_control_len > 0) {
      out.msg_control = reply_control;
      out.msg_controllen = reply_control_len;
    }
    sendmsg(udp_fd_, &out, 0);
  }
}

void DnsServer::AcceptTcp() {
  while (!stopping_) {
    ReapConnections(/*all=*/false);
    if (!Readable(tcp_fd_, -1)) continue;
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
  // An idle connection is closed (RFC 7766 6.2.3).
  while (!stopping_ && Readable(fd, kTcpIdleSeconds * 1000)) {
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
