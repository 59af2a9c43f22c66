#include "kernel/api/server/spdy_session.h"

#include <spdlog/spdlog.h>

#include "kernel/api/streams/spdy_frame.h"

namespace berth::api {
namespace {

using namespace streams;  // NOLINT: the frame vocabulary

// Data frames the server writes: small enough to interleave streams.
constexpr size_t kMaxDataFrame = 32 * 1024;
// The largest inbound frame accepted (SPDY's length field allows 16 MiB).
constexpr size_t kMaxInboundFrame = 16 * 1024 * 1024;

}  // namespace

std::string SpdyStream::Header(const std::string& name) const {
  auto it = headers_.find(name);
  return it == headers_.end() ? std::string() : it->second;
}

bool SpdyStream::Read(std::string* out) {
  size_t n = 0;
  {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return !pending_.empty() || remote_closed_; });
    if (pending_.empty()) return false;
    n = pending_.size();
    out->append(pending_);
    pending_.clear();
  }
  session_->Consumed(id_, n);
  return true;
}

bool SpdyStream::Write(std::string_view data) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (reset_ || local_closed_) return false;
  }
  while (!data.empty()) {
    size_t n = std::min(data.size(), kMaxDataFrame);
    if (!session_->Send(EncodeSpdyData(id_, data.substr(0, n), false))) {
      return false;
    }
    data.remove_prefix(n);
  }
  return true;
}

void SpdyStream::CloseWrite() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (reset_ || local_closed_) return;
    local_closed_ = true;
  }
  session_->Send(EncodeSpdyData(id_, "", true));
}

void SpdyStream::Deliver(std::string_view data, bool fin) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!remote_closed_) pending_.append(data);
  if (fin) remote_closed_ = true;
  cv_.notify_all();
}

void SpdyStream::RemoteClosed(bool reset) {
  std::lock_guard<std::mutex> lock(mu_);
  remote_closed_ = true;
  if (reset) reset_ = true;
  cv_.notify_all();
}

SpdySession::~SpdySession() { End(); }

void SpdySession::Start() {
  // Not a shared_ptr: End (which the owner must call) joins the thread.
  reader_ = std::thread([this] { ReadLoop(); });
}

std::shared_ptr<SpdyStream> SpdySession::Accept(
    std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, timeout,
               [this] { return !accepted_.empty() || read_ended_; });
  if (accepted_.empty()) return nullptr;
  auto s = std::move(accepted_.front());
  accepted_.pop_front();
  return s;
}

bool SpdySession::ended() {
  std::lock_guard<std::mutex> lock(mu_);
  return read_ended_;
}

bool SpdySession::WaitEnded(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, timeout, [this] { return read_ended_; });
}

void SpdySession::End() {
  if (end_called_.exchange(true)) return;
  uint32_t last;
  {
    std::lock_guard<std::mutex> lock(mu_);
    last = last_stream_id_;
  }
  {
    std::lock_guard<std::mutex> lock(write_mu_);
    if (!write_ended_) {
      transport_->Write(EncodeSpdyGoAway(last, 0));
      write_ended_ = true;
    }
  }
  transport_->Shutdown();
  if (reader_.joinable()) reader_.join();
  // Streams never accepted hold the session; let both go.
  std::lock_guard<std::mutex> lock(mu_);
  accepted_.clear();
}

bool SpdySession::Send(const std::string& frame) {
  std::lock_guard<std::mutex> lock(write_mu_);
  if (write_ended_) return false;
  if (!transport_->Write(frame)) {
    write_ended_ = true;
    return false;
  }
  return true;
}

bool SpdySession::SendWithHeaders(uint16_t type, uint32_t stream_id,
                                  const SpdyHeaders& headers) {
  std::lock_guard<std::mutex> lock(write_mu_);
  if (write_ended_) return false;
  std::string block = compressor_.Compress(headers);
  std::string frame = type == kSpdySynReply
                          ? EncodeSpdySynReply(stream_id, block, false)
                          : EncodeSpdySynStream(stream_id, block, false);
  if (!transport_->Write(frame)) {
    write_ended_ = true;
    return false;
  }
  return true;
}

void SpdySession::Consumed(uint32_t stream_id, size_t n) {
  if (n == 0) return;
  std::string frames =
      EncodeSpdyWindowUpdate(stream_id, static_cast<uint32_t>(n)) +
      EncodeSpdyWindowUpdate(0, static_cast<uint32_t>(n));
  Send(frames);
}

void SpdySession::ReadLoop() {
  SpdyHeaderDecompressor decompressor;
  std::string in;
  bool done = false;
  while (!done) {
    SpdyFrame frame;
    std::string error;
    SpdyParse p = ParseSpdyFrame(in, kMaxInboundFrame, &frame, &error);
    if (p == SpdyParse::kError) {
      spdlog::debug("spdy: {}", error);
      break;
    }
    if (p == SpdyParse::kNeedMore) {
      if (!transport_->Read(&in)) break;
      continue;
    }
    if (!frame.control) {
      std::shared_ptr<SpdyStream> s;
      {
        std::lock_guard<std::mutex> lock(mu_);
        auto it = streams_.find(frame.stream_id);
        if (it != streams_.end()) s = it->second;
      }
      if (s) {
        s->Deliver(frame.payload, frame.fin());
      } else {
        Send(EncodeSpdyRstStream(frame.stream_id, 2));  // INVALID_STREAM
      }
      continue;
    }
    switch (frame.type) {
      case kSpdySynStream: {
        auto headers = decompressor.Decompress(frame.HeaderBlock());
        if (!headers.ok()) {
          done = true;
          break;
        }
        auto s = std::make_shared<SpdyStream>(shared_from_this(),
                                              frame.stream_id, *headers);
        if (frame.fin()) s->RemoteClosed(false);
        {
          std::lock_guard<std::mutex> lock(mu_);
          streams_[frame.stream_id] = s;
          last_stream_id_ = std::max(last_stream_id_, frame.stream_id);
        }
        SendWithHeaders(kSpdySynReply, frame.stream_id, {});
        {
          std::lock_guard<std::mutex> lock(mu_);
          accepted_.push_back(s);
        }
        cv_.notify_all();
        break;
      }
      case kSpdySynReply:
      case kSpdyHeaders:
        // Keeps the zlib stream in step; the content is not needed.
        if (!decompressor.Decompress(frame.HeaderBlock()).ok()) done = true;
        break;
      case kSpdyRstStream: {
        std::shared_ptr<SpdyStream> s;
        {
          std::lock_guard<std::mutex> lock(mu_);
          auto it = streams_.find(frame.stream_id);
          if (it != streams_.end()) s = it->second;
        }
        if (s) s->RemoteClosed(true);
        break;
      }
      case kSpdyPing:
        Send(EncodeSpdyControl(kSpdyPing, 0, frame.payload));
        break;
      case kSpdyGoAway:
        done = true;
        break;
      default:  // SETTINGS, WINDOW_UPDATE: nothing to do
        break;
    }
  }
  std::map<uint32_t, std::shared_ptr<SpdyStream>> streams;
  {
    std::lock_guard<std::mutex> lock(mu_);
    read_ended_ = true;
    streams.swap(streams_);
  }
  cv_.notify_all();
  for (auto& [id, s] : streams) s->RemoteClosed(false);
}

}  // namespace berth::api
