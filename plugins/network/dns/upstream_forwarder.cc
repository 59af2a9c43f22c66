#include "upstream_forwarder.h"

#include <poll.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>

namespace berth::dns {
namespace {

// Closes the descriptor when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

bool SameId(std::string_view a, std::string_view b) {
  return a.size() >= 2 && b.size() >= 2 && a[0] == b[0] && a[1] == b[1];
}

bool Truncated(std::string_view reply) {
  return reply.size() >= 3 && (static_cast<uint8_t>(reply[2]) & 0x02);
}

bool WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

bool ReadAll(int fd, char* data, size_t size) {
  while (size > 0) {
    ssize_t n = read(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

bool WriteTcpMessage(int fd, std::string_view message) {
  std::string framed;
  framed.reserve(message.size() + 2);
  framed.push_back(static_cast<char>(message.size() >> 8));
  framed.push_back(static_cast<char>(message.size() & 0xff));
  framed.append(message);
  return WriteAll(fd, framed.data(), framed.size());
}

bool ReadTcpMessage(int fd, std::string* message) {
  unsigned char len[2];
  if (!ReadAll(fd, reinterpret_cast<char*>(len), 2)) return false;
  message->resize((size_t(len[0]) << 8) | len[1]);
  return ReadAll(fd, message->data(), message->size());
}

UpstreamForwarder::UpstreamForwarder(std::vector<SocketAddress> upstreams,
                                     std::chrono::milliseconds timeout)
    : upstreams_(std::move(upstreams)), timeout_(timeout) {}

StatusOr<std::string> UpstreamForwarder::Forward(std::string_view query) const {
  if (upstreams_.empty()) return Status::Unavailable("no upstream resolvers");
  Status last = Status::Unavailable("no upstream answered");
  for (const auto& to : upstreams_) {
    auto reply = OverUdp(to, query);
    if (reply.ok() && Truncated(*reply)) reply = OverTcp(to, query);
    if (reply.ok()) return reply;
    last = reply.status();
  }
  return last;
}

StatusOr<std::string> UpstreamForwarder::OverUdp(const SocketAddress& to,
                                                 std::string_view query) const {
  Fd fd(socket(to.family(), SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) return Status::Unavailable("udp socket failed");
  // A connected socket only receives from the upstream it asked.
  if (connect(fd.get(), to.get(), to.length) != 0 ||
      send(fd.get(), query.data(), query.size(), 0) < 0) {
    return Status::Unavailable("sending to " + to.ToString() + " failed");
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  std::string buf(65535, '\0');
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd.get(), POLLIN, 0};
    int r = poll(&p, 1, static_cast<int>(left.count()));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    ssize_t n = recv(fd.get(), buf.data(), buf.size(), 0);
    if (n < 0) {
      return Status::Unavailable(to.ToString() + " refused the query");
    }
    // A reply to an earlier query that timed out is not this one's.
    if (SameId(std::string_view(buf.data(), size_t(n)), query)) {
      buf.resize(static_cast<size_t>(n));
      return buf;
    }
  }
  return Status::Unavailable(to.ToString() + " did not answer in time");
}

StatusOr<std::string> UpstreamForwarder::OverTcp(const SocketAddress& to,
                                                 std::string_view query) const {
  Fd fd(socket(to.family(), SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) return Status::Unavailable("tcp socket failed");
  timeval tv{};
  tv.tv_sec = timeout_.count() / 1000;
  tv.tv_usec = (timeout_.count() % 1000) * 1000;
  // Linux bounds a blocking connect by the send timeout.
  setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  if (connect(fd.get(), to.get(), to.length) != 0) {
    return Status::Unavailable("connecting to " + to.ToString() + " failed");
  }
  std::string reply;
  if (!WriteTcpMessage(fd.get(), query) || !ReadTcpMessage(fd.get(), &reply) ||
      !SameId(reply, query)) {
    return Status::Unavailable(to.ToString() + " gave no reply over TCP");
  }
  return reply;
}

}  // namespace berth::dns
