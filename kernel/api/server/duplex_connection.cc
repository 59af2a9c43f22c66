#include "kernel/api/server/duplex_connection.h"

#include <poll.h>

namespace berth::api {
namespace {

// How often a blocked call looks at the shutdown flag.
constexpr int kPollMillis = 100;

}  // namespace

StatusOr<std::unique_ptr<DuplexConnection>> DuplexConnection::Adopt(
    Poco::Net::StreamSocket socket) {
  auto conn = NonblockingConnection::Adopt(std::move(socket));
  if (!conn.ok()) return conn.status();
  return std::unique_ptr<DuplexConnection>(
      new DuplexConnection(std::move(conn).value()));
}

DuplexConnection::~DuplexConnection() {
  std::lock_guard<std::mutex> lock(io_mu_);
  conn_.Close();
}

bool DuplexConnection::Read(std::string* out) {
  char buf[64 * 1024];
  while (!shutdown_) {
    long r;
    {
      std::lock_guard<std::mutex> lock(io_mu_);
      r = conn_.Read(buf, sizeof(buf));
    }
    if (r > 0) {
      out->append(buf, static_cast<size_t>(r));
      return true;
    }
    if (r < 0) return false;
    pollfd p{conn_.fd(), POLLIN, 0};
    ::poll(&p, 1, kPollMillis);
  }
  return false;
}

bool DuplexConnection::Write(std::string_view data) {
  std::lock_guard<std::mutex> write_lock(write_mu_);
  size_t done = 0;
  while (done < data.size()) {
    if (shutdown_) return false;
    long r;
    {
      std::lock_guard<std::mutex> lock(io_mu_);
      r = conn_.Write(data.data() + done, data.size() - done);
    }
    if (r < 0) return false;
    if (r > 0) {
      done += static_cast<size_t>(r);
      continue;
    }
    pollfd p{conn_.fd(), POLLOUT, 0};
    ::poll(&p, 1, kPollMillis);
  }
  return true;
}

void DuplexConnection::Shutdown() { shutdown_ = true; }

bool DuplexConnection::PeerClosed() {
  if (shutdown_) return true;
  char buf[4096];
  for (;;) {
    long r;
    {
      std::lock_guard<std::mutex> lock(io_mu_);
      r = conn_.Read(buf, sizeof(buf));
    }
    if (r < 0) return true;
    if (r == 0) return false;
  }
}

}  // namespace berth::api
