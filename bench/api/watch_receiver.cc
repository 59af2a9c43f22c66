#include "bench/api/watch_receiver.h"

#include <fcntl.h>
#include <openssl/ssl.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace berth::bench {

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

struct WatchReceiver::Stream {
  std::unique_ptr<HttpsConnection> conn;
  std::string raw;    // decrypted, not yet de-chunked
  std::string lines;  // de-chunked, not yet split into lines
  bool head_done = false;
  size_t chunk_left = 0;   // bytes of the current chunk still to come
  bool need_crlf = false;  // the CRLF after a chunk's data
  std::atomic<uint64_t> events{0};
};

WatchReceiver::WatchReceiver(int threads) : threads_(threads) {}

WatchReceiver::~WatchReceiver() { Stop(); }

void WatchReceiver::Add(std::unique_ptr<HttpsConnection> conn) {
  auto s = std::make_unique<Stream>();
  s->conn = std::move(conn);
  streams_.push_back(std::move(s));
}

void WatchReceiver::Start() {
  latencies_.resize(static_cast<size_t>(threads_));
  for (int t = 0; t < threads_; ++t) {
    epoll_fds_.push_back(epoll_create1(EPOLL_CLOEXEC));
  }
  for (size_t i = 0; i < streams_.size(); ++i) {
    Stream* s = streams_[i].get();
    const int fd = s->conn->fd();
    if (fd < 0) {
      ++failed_;
      continue;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = s;
    epoll_ctl(epoll_fds_[i % epoll_fds_.size()], EPOLL_CTL_ADD, fd, &ev);
  }
  for (int t = 0; t < threads_; ++t) {
    loops_.emplace_back(&WatchReceiver::Loop, this, epoll_fds_[t],
                        &latencies_[static_cast<size_t>(t)]);
  }
}

void WatchReceiver::Stop() {
  stop_ = true;
  for (auto& t : loops_) t.join();
  loops_.clear();
  for (int fd : epoll_fds_) close(fd);
  epoll_fds_.clear();
  for (auto& s : streams_) s->conn->Close();
}

uint64_t WatchReceiver::MinEventsPerStream() const {
  uint64_t least = UINT64_MAX;
  for (const auto& s : streams_) least = std::min(least, s->events.load());
  return streams_.empty() ? 0 : least;
}

std::vector<uint32_t> WatchReceiver::TakeLatencies() {
  std::vector<uint32_t> all;
  for (auto& v : latencies_) {
    all.insert(all.end(), v.begin(), v.end());
    v.clear();
  }
  return all;
}

void WatchReceiver::Loop(int epoll_fd, std::vector<uint32_t>* latencies) {
  epoll_event ready[256];
  char buf[65536];
  while (!stop_) {
    int n = epoll_wait(epoll_fd, ready, 256, 100);
    for (int i = 0; i < n; ++i) {
      auto* s = static_cast<Stream*>(ready[i].data.ptr);
      bool alive = true;
      // Read until OpenSSL holds nothing more. Stopping there instead of at
      // EAGAIN saves a syscall per wake-up; level-triggered epoll reports
      // whatever the socket still has.
      SSL* ssl = s->conn->ssl();
      do {
        int got = SSL_read(ssl, buf, sizeof(buf));
        if (got <= 0) {
          int err = SSL_get_error(ssl, got);
          if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) {
            alive = false;
          }
          break;
        }
        s->raw.append(buf, static_cast<size_t>(got));
      } while (SSL_pending(ssl) > 0 || SSL_has_pending(ssl));
      // One clock reading per wake-up: what the events in it waited for.
      if (!Parse(s, NowNs(), latencies)) alive = false;
      if (!alive) {
        ++failed_;
        epoll_ctl(epoll_fd, EPOLL_CTL_DEL, s->conn->fd(), nullptr);
      }
    }
  }
}

bool WatchReceiver::Parse(Stream* s, int64_t now_ns,
                          std::vector<uint32_t>* latencies) {
  size_t pos = 0;
  std::string& raw = s->raw;
  if (!s->head_done) {
    size_t end = raw.find("\r\n\r\n");
    if (end == std::string::npos) return true;
    if (raw.size() < 12 || std::atoi(raw.c_str() + 9) != 200) return false;
    s->head_done = true;
    ++heads_ok_;
    pos = end + 4;
  }
  while (pos < raw.size()) {
    if (s->need_crlf) {
      if (raw.size() - pos < 2) break;
      pos += 2;
      s->need_crlf = false;
    }
    if (s->chunk_left == 0) {
      size_t eol = raw.find("\r\n", pos);
      if (eol == std::string::npos) break;
      s->chunk_left = std::strtoull(raw.c_str() + pos, nullptr, 16);
      pos = eol + 2;
      if (s->chunk_left == 0) return false;  // the server ended the watch
    }
    size_t take = std::min(s->chunk_left, raw.size() - pos);
    s->lines.append(raw, pos, take);
    pos += take;
    s->chunk_left -= take;
    if (s->chunk_left == 0) s->need_crlf = true;
  }
  raw.erase(0, pos);

  static constexpr char kSent[] = "\"sent\":\"";
  size_t start = 0, eol;
  while ((eol = s->lines.find('\n', start)) != std::string::npos) {
    // Only within this line: the rest of the buffer may be long.
    // From the end: the patched data sits last in the object, and a
    // forward find stops at every quote of the metadata before it (that
    // memchr was a quarter of this process's CPU, taken from the server on
    // the same cores).
    const std::string_view line(s->lines.data() + start, eol - start);
    const size_t found = line.rfind(kSent);
    if (found != std::string_view::npos) {
      const size_t at = start + found;
      int64_t sent =
          std::strtoll(s->lines.c_str() + at + sizeof(kSent) - 1, nullptr, 10);
      if (sent > 0) {
        latencies->push_back(static_cast<uint32_t>((now_ns - sent) / 1000));
        ++s->events;
        ++events_;
      }
    }
    start = eol + 1;
  }
  s->lines.erase(0, start);
  return true;
}

}  // namespace berth::bench
