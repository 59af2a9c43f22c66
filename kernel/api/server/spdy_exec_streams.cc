#include "kernel/api/server/spdy_exec_streams.h"

#include <chrono>

#include "kernel/api/streams/channel_protocol.h"

namespace berth::api {

using namespace streams;  // NOLINT: the stream type vocabulary

namespace {

// kubelet's streamCreationTimeout.
constexpr auto kStreamCreationTimeout = std::chrono::seconds(30);

}  // namespace

SpdyExecStreams::~SpdyExecStreams() {
  if (resize_reader_.joinable()) {
    session_->End();
    resize_reader_.join();
  }
}

Status SpdyExecStreams::Await() {
  const bool want_stderr = flags_.err && !flags_.tty;
  auto complete = [&] {
    return error_ && (!flags_.in || stdin_) && (!flags_.out || stdout_) &&
           (!want_stderr || stderr_) && (!flags_.tty || resize_);
  };
  const auto deadline =
      std::chrono::steady_clock::now() + kStreamCreationTimeout;
  while (!complete()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    auto s = session_->Accept(left);
    if (!s) break;
    const std::string type = s->Header("streamtype");
    if (type == kStreamTypeError) {
      error_ = s;
    } else if (type == kStreamTypeStdin) {
      stdin_ = s;
    } else if (type == kStreamTypeStdout) {
      stdout_ = s;
    } else if (type == kStreamTypeStderr) {
      stderr_ = s;
    } else if (type == kStreamTypeResize) {
      resize_ = s;
    }
  }
  if (!complete()) {
    return Status::BadRequest("timed out waiting for client to create streams");
  }
  if (resize_) resize_reader_ = std::thread([this] { ResizeLoop(); });
  return {};
}

void SpdyExecStreams::ResizeLoop() {
  // The client's json.Encoder writes one object per line.
  std::string buf;
  while (resize_->Read(&buf)) {
    size_t nl;
    while ((nl = buf.find('\n')) != std::string::npos) {
      auto size = ParseResize(std::string_view(buf).substr(0, nl));
      buf.erase(0, nl + 1);
      std::function<void(uint16_t, uint16_t)> fn;
      {
        std::lock_guard<std::mutex> lock(mu_);
        fn = on_resize_;
      }
      if (size && fn) fn(size->first, size->second);
    }
  }
}

bool SpdyExecStreams::ReadStdin(std::string& data) {
  if (!stdin_) return false;
  return stdin_->Read(&data);
}

bool SpdyExecStreams::WriteStdout(std::string_view data) {
  if (!stdout_) return true;
  return stdout_->Write(data);
}

bool SpdyExecStreams::WriteStderr(std::string_view data) {
  if (!stderr_) return true;
  return stderr_->Write(data);
}

void SpdyExecStreams::OnResize(std::function<void(uint16_t, uint16_t)> fn) {
  std::lock_guard<std::mutex> lock(mu_);
  on_resize_ = std::move(fn);
}

void SpdyExecStreams::Finish(const std::string& status_json) {
  if (stdout_) stdout_->CloseWrite();
  if (stderr_) stderr_->CloseWrite();
  if (error_) {
    error_->Write(status_json);
    error_->CloseWrite();
  }
  if (stdin_) stdin_->CloseWrite();
  if (resize_) resize_->CloseWrite();
}

}  // namespace berth::api
