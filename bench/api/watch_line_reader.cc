#include "bench/api/watch_line_reader.h"

#include <openssl/ssl.h>
#include <poll.h>

#include <algorithm>
#include <cstdlib>

namespace berth::bench {

WatchLineReader::WatchLineReader(std::unique_ptr<HttpsConnection> conn,
                                 std::string path, LineFn on_line)
    : conn_(std::move(conn)),
      path_(std::move(path)),
      on_line_(std::move(on_line)) {}

WatchLineReader::~WatchLineReader() { Stop(); }

Status WatchLineReader::Start() {
  Status s = conn_->Send("GET", path_);
  if (!s.ok()) return s;
  thread_ = std::thread([this] { Loop(); });
  return Status::Ok();
}

void WatchLineReader::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  conn_->Close();
}

void WatchLineReader::Loop() {
  std::string buf;
  bool head_done = false;
  // Chunked decoding state: bytes left of the current chunk.
  size_t chunk_left = 0;
  std::string body;  // de-chunked bytes not yet split into lines
  char tmp[65536];
  while (!stop_) {
    pollfd p{conn_->fd(), POLLIN, 0};
    // SSL_has_pending, not SSL_pending: with read-ahead on, whole records
    // can wait in OpenSSL's buffer while the socket has nothing more, and
    // only SSL_has_pending sees them (the last events of a burst stayed
    // unread until the 30 s stall check gave up).
    if (!SSL_has_pending(conn_->ssl()) && poll(&p, 1, 100) <= 0) continue;
    int n = SSL_read(conn_->ssl(), tmp, sizeof(tmp));
    if (n <= 0) {
      int err = SSL_get_error(conn_->ssl(), n);
      if (err == SSL_ERROR_WANT_READ) continue;
      failed_ = true;
      return;
    }
    buf.append(tmp, n);
    if (!head_done) {
      size_t end = buf.find("\r\n\r\n");
      if (end == std::string::npos) continue;
      if (buf.compare(0, 12, "HTTP/1.1 200") != 0) {
        failed_ = true;
        return;
      }
      buf.erase(0, end + 4);
      head_done = true;
    }
    size_t pos = 0;
    while (pos < buf.size()) {
      if (chunk_left == 0) {
        size_t eol = buf.find("\r\n", pos);
        if (eol == std::string::npos) break;
        if (eol == pos) {  // the CRLF after a chunk's data
          pos += 2;
          continue;
        }
        chunk_left = std::strtoul(buf.c_str() + pos, nullptr, 16);
        if (chunk_left == 0) {  // last chunk: the stream ended
          failed_ = true;
          return;
        }
        pos = eol + 2;
      }
      size_t take = std::min(chunk_left, buf.size() - pos);
      body.append(buf, pos, take);
      pos += take;
      chunk_left -= take;
    }
    buf.erase(0, pos);
    size_t start = 0;
    for (size_t nl; (nl = body.find('\n', start)) != std::string::npos;
         start = nl + 1) {
      on_line_(body.substr(start, nl - start));
    }
    body.erase(0, start);
  }
}

}  // namespace berth::bench
