#include "kernel/api/server/watch_fanout.h"

#include <errno.h>
#include <malloc.h>
#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <thread>
#include <utility>

#include "kernel/api/server/nonblocking_connection.h"
#include "kernel/api/server/watch_encoder.h"

namespace berth::api {
namespace {

constexpr uint64_t kWakeId = 0;
constexpr size_t kWriteBytes = 64 * 1024;
// Events are encoded into a stream's out buffer only once it has been sent
// in full, up to about this many bytes, so it never grows past that (plus
// one event) and is never compacted; the rest wait as shared pointers.
constexpr size_t kFillBytes = 64 * 1024;
// A drained buffer keeps its capacity only up to these sizes, so a burst
// does not leave 1,000 streams holding their peak.
constexpr size_t kKeepOutBytes = 16 * 1024;
constexpr size_t kKeepBacklogEvents = 64;
constexpr auto kSweepInterval = std::chrono::milliseconds(250);
// Quiet time after a busy spell before freed memory goes back to the OS.
constexpr auto kTrimAfter = std::chrono::seconds(1);
// After a pass that pumped many streams the loop lets events gather this
// long before the next one, so each stream gets them in one write (one TLS
// record, one send) instead of one each: under a fan-out that saturates
// the cores, fewer and larger writes cut the queueing that dominates
// delivery latency. A quiet stream is pumped at once.
constexpr auto kCoalesce = std::chrono::milliseconds(5);
constexpr size_t kBusyPass = 64;

// What a waiting event counts towards max_pending_bytes.
size_t EventBytes(const store::SharedEvent& ev) {
  const store::Object& obj = ev.event().object;
  return (obj.data ? obj.data->size() : 0) + 32;
}

}  // namespace

struct WatchFanout::Stream {
  Stream(uint64_t id, NonblockingConnection conn, WatchStreamSpec& spec)
      : id(id),
        conn(std::move(conn)),
        watcher(std::move(spec.watcher)),
        encoder(*spec.kind, spec.table, spec.include, spec.version),
        resource(spec.kind->Info().plural),
        bookmarks(spec.bookmarks),
        deadline(spec.deadline),
        out(std::move(spec.response_head)) {}

  const uint64_t id;
  NonblockingConnection conn;
  std::unique_ptr<store::Watcher> watcher;
  WatchEncoder encoder;
  const std::string resource;
  const bool bookmarks;
  const Clock::time_point deadline;
  Clock::time_point last_sent = Clock::now();
  std::string out;  // bytes to send; out[0, out_off) are sent
  size_t out_off = 0;
  // Events taken from the watcher, not yet encoded: backlog[0, next) are.
  std::vector<store::EventPtr> backlog;
  size_t next = 0;
  size_t backlog_bytes = 0;  // EventBytes of backlog[next, end)
  // Set when the stream is to end: sent after the backlog, then the last
  // chunk (an ERROR line, or empty at the timeout and at shutdown).
  std::optional<std::string> tail;
  bool ending = false;  // the last chunk is queued: close once it is sent
  // Set while the stream's id is on the ready list.
  const std::shared_ptr<std::atomic<bool>> marked =
      std::make_shared<std::atomic<bool>>(false);
};

WatchFanout::WatchFanout(Metrics* metrics, WatchFanoutOptions options)
    : metrics_(metrics), options_(options) {}

WatchFanout::~WatchFanout() {
  Stop();
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

Status WatchFanout::Start() {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_fd_ < 0 || wake_fd_ < 0) {
    return Status::Internal(std::string("watch fan-out: ") +
                            std::strerror(errno));
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = kWakeId;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev) != 0) {
    return Status::Internal(std::string("watch fan-out: ") +
                            std::strerror(errno));
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    started_ = true;
  }
  thread_ = std::thread([this] { Loop(); });
  return {};
}

void WatchFanout::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) return;
    stopped_ = true;
  }
  stopping_ = true;
  if (thread_.joinable()) {
    Wake();
    thread_.join();
  }
}

void WatchFanout::Add(WatchStreamSpec spec) {
  auto owned = std::make_unique<WatchStreamSpec>(std::move(spec));
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (started_ && !stopped_) {
      incoming_.push_back(std::move(owned));
      if (!wake_pending_) {
        wake_pending_ = true;
        Wake();
      }
      return;
    }
  }
  // Not serving: close the stream here, at once.
  owned->watcher->Stop();
  metrics_->WatchClosed(owned->kind->Info().plural);
  auto conn = NonblockingConnection::Adopt(owned->socket);
  if (!conn.ok()) {
    try {
      owned->socket.close();
    } catch (const Poco::Exception&) {
    }
  }
}

void WatchFanout::Wake() {
  uint64_t one = 1;
  // A full counter already means "wake up".
  [[maybe_unused]] ssize_t n = ::write(wake_fd_, &one, sizeof(one));
}

void WatchFanout::MarkReady(uint64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  ready_.push_back(id);
  if (!wake_pending_) {
    wake_pending_ = true;
    Wake();
  }
}

void WatchFanout::Adopt(std::unique_ptr<WatchStreamSpec> spec) {
  auto conn = NonblockingConnection::Adopt(spec->socket);
  if (!conn.ok()) {
    spdlog::warn("watch {}: {}", spec->kind->Info().plural,
                 conn.status().message());
    spec->watcher->Stop();
    metrics_->WatchClosed(spec->kind->Info().plural);
    return;
  }
  const uint64_t id = next_id_++;
  auto stream = std::make_unique<Stream>(id, std::move(conn).value(), *spec);
  Stream& s = *stream;
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
  ev.data.u64 = id;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, s.conn.fd(), &ev) != 0) {
    spdlog::warn("watch {}: epoll: {}", s.resource, std::strerror(errno));
    s.watcher->Stop();
    metrics_->WatchClosed(s.resource);
    return;
  }
  streams_.emplace(id, std::move(stream));
  ++open_;
  // Also lets OpenSSL drop the read buffer the request left behind.
  if (!s.conn.DrainInput()) {
    Remove(id);
    return;
  }
  // Runs at once when the initial events are already queued.
  // One ready entry per stream until the loop pumps it, however many
  // batches are published meanwhile: a loop that fell behind must not
  // drain a list of millions of duplicate ids.
  s.watcher->SetNotify([this, id, marked = s.marked] {
    if (!marked->exchange(true)) MarkReady(id);
  });
  Flush(s);
}

void WatchFanout::Remove(uint64_t id) {
  auto it = streams_.find(id);
  if (it == streams_.end()) return;
  Stream& s = *it->second;
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, s.conn.fd(), nullptr);
  s.watcher->Stop();
  s.conn.Close();
  metrics_->WatchClosed(s.resource);
  streams_.erase(it);
  --open_;
  last_busy_ = Clock::now();
  trim_due_ = true;
}

void WatchFanout::Fill(Stream& s) {
  while (s.next < s.backlog.size() && s.out.size() < kFillBytes) {
    const store::SharedEvent& ev = *s.backlog[s.next++];
    s.backlog_bytes -= EventBytes(ev);
    s.encoder.AppendEvent(ev, &s.out);
  }
  if (s.next < s.backlog.size()) return;
  if (s.backlog.capacity() > kKeepBacklogEvents) {
    std::vector<store::EventPtr>().swap(s.backlog);
  } else {
    s.backlog.clear();
  }
  s.next = 0;
  if (s.tail) {
    AppendChunk(*s.tail, &s.out);
    s.out += kLastChunk;
    s.tail.reset();
    s.ending = true;
  }
}

bool WatchFanout::Flush(Stream& s) {
  while (true) {
    if (s.out_off == s.out.size()) {
      s.out_off = 0;
      if (s.out.capacity() > kKeepOutBytes) {
        std::string().swap(s.out);
      } else {
        s.out.clear();
      }
      if (s.ending) {
        Remove(s.id);
        return false;
      }
      Fill(s);
      if (s.out.empty()) return true;
    }
    const size_t n = std::min(s.out.size() - s.out_off, kWriteBytes);
    const long w = s.conn.Write(s.out.data() + s.out_off, n);
    if (w < 0) {
      Remove(s.id);
      return false;
    }
    if (w == 0) break;
    s.out_off += static_cast<size_t>(w);
  }
  const size_t pending = s.out.size() - s.out_off + s.backlog_bytes;
  if (pending > options_.max_pending_bytes) {
    spdlog::info("watch {}: dropping a consumer {} bytes behind", s.resource,
                 pending);
    Remove(s.id);
    return false;
  }
  return true;
}

void WatchFanout::Pump(Stream& s) {
  if (s.ending || s.tail) return;
  if (s.next > 0) {
    s.backlog.erase(s.backlog.begin(),
                    s.backlog.begin() + static_cast<std::ptrdiff_t>(s.next));
    s.next = 0;
  }
  const size_t first = s.backlog.size();
  const bool open =
      s.watcher->NextShared(&s.backlog, std::chrono::milliseconds(0));
  for (size_t i = first; i < s.backlog.size(); ++i) {
    s.backlog_bytes += EventBytes(*s.backlog[i]);
  }
  if (!open) s.tail = WatchErrorLine(s.watcher->error());
  if (s.backlog.size() > first || !open) s.last_sent = Clock::now();
  Flush(s);
}

void WatchFanout::Sweep(Clock::time_point now) {
  std::vector<uint64_t> touched;
  for (auto& [id, stream] : streams_) {
    Stream& s = *stream;
    if (s.ending || s.tail) continue;
    if (now >= s.deadline) {
      s.tail.emplace();
      touched.push_back(id);
    } else if (s.bookmarks && s.out.empty() && s.backlog.empty() &&
               now - s.last_sent >= options_.bookmark_interval) {
      AppendChunk(s.encoder.BookmarkLine(s.watcher->Progress()), &s.out);
      s.last_sent = now;
      touched.push_back(id);
    }
  }
  for (uint64_t id : touched) {
    auto it = streams_.find(id);
    if (it != streams_.end()) Flush(*it->second);
  }
}

void WatchFanout::Loop() {
  std::vector<epoll_event> events(512);
  std::vector<std::unique_ptr<WatchStreamSpec>> incoming;
  std::vector<uint64_t> ready;
  auto next_sweep = Clock::now() + kSweepInterval;
  while (true) {
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
        next_sweep - Clock::now());
    const int n = epoll_wait(
        epoll_fd_, events.data(), static_cast<int>(events.size()),
        static_cast<int>(std::clamp<int64_t>(wait.count(), 0, 1000)));
    for (int i = 0; i < n; ++i) {
      const uint64_t id = events[i].data.u64;
      if (id == kWakeId) {
        uint64_t count;
        [[maybe_unused]] ssize_t r = ::read(wake_fd_, &count, sizeof(count));
        continue;
      }
      auto it = streams_.find(id);
      if (it == streams_.end()) continue;
      Stream& s = *it->second;
      const uint32_t what = events[i].events;
      if ((what & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) &&
          !s.conn.DrainInput()) {
        Remove(id);  // the peer went away
        continue;
      }
      // A TLS write may have waited for input too.
      Flush(s);
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      incoming.swap(incoming_);
      ready.swap(ready_);
      wake_pending_ = false;
    }
    for (auto& spec : incoming) Adopt(std::move(spec));
    incoming.clear();
    for (uint64_t id : ready) {
      auto it = streams_.find(id);
      if (it == streams_.end()) continue;
      // Before Pump: events published after this are marked again.
      it->second->marked->store(false);
      Pump(*it->second);
    }
    const auto now = Clock::now();
    const bool busy = ready.size() >= kBusyPass;
    if (!ready.empty()) {
      last_busy_ = now;
      trim_due_ = true;
    }
    ready.clear();
    if (busy) std::this_thread::sleep_for(kCoalesce);
    if (stopping_) break;
    if (now >= next_sweep) {
      Sweep(now);
      next_sweep = now + kSweepInterval;
      if (trim_due_ && now - last_busy_ >= kTrimAfter) {
        // A burst to many watchers leaves glibc holding the freed buffers
        // (free chunks amid live ones, per-thread arenas); returning them
        // once things are quiet brings RSS back down.
        malloc_trim(0);
        trim_due_ = false;
      }
    }
  }
  // Shutting down: Add no longer queues (stopped_ is set).
  {
    std::lock_guard<std::mutex> lock(mu_);
    incoming.swap(incoming_);
  }
  for (auto& spec : incoming) Adopt(std::move(spec));
  std::vector<uint64_t> ids;
  ids.reserve(streams_.size());
  for (auto& [id, stream] : streams_) ids.push_back(id);
  for (uint64_t id : ids) {
    auto it = streams_.find(id);
    if (it == streams_.end()) continue;
    Stream& s = *it->second;
    if (!s.ending && !s.tail) s.tail.emplace();
    // One try: what the socket does not take now is lost with it.
    if (Flush(s)) Remove(id);
  }
}

}  // namespace berth::api
