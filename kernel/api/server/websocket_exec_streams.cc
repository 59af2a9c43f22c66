#include "kernel/api/server/websocket_exec_streams.h"

#include <chrono>

#include "kernel/api/streams/channel_protocol.h"

namespace berth::api {

using namespace streams;  // NOLINT: the channel vocabulary

WebSocketExecStreams::WebSocketExecStreams(WebSocketConnection* ws,
                                           DuplexConnection* conn, bool v5,
                                           ExecFlags flags)
    : ws_(ws), conn_(conn), v5_(v5), flags_(flags) {}

WebSocketExecStreams::~WebSocketExecStreams() {
  if (reader_.joinable()) {
    conn_->Shutdown();
    reader_.join();
  }
}

void WebSocketExecStreams::Start() {
  reader_ = std::thread([this] { ReadLoop(); });
}

void WebSocketExecStreams::ReadLoop() {
  std::string message;
  while (ws_->ReadMessage(&message)) {
    if (message.empty()) continue;
    const auto channel = static_cast<uint8_t>(message[0]);
    std::string_view payload(message);
    payload.remove_prefix(1);
    if (channel == kChannelStdin) {
      std::lock_guard<std::mutex> lock(mu_);
      if (flags_.in && !stdin_closed_) stdin_.append(payload);
      cv_.notify_all();
    } else if (channel == kChannelResize) {
      auto size = ParseResize(payload);
      std::function<void(uint16_t, uint16_t)> fn;
      {
        std::lock_guard<std::mutex> lock(mu_);
        fn = resize_;
      }
      if (size && fn) fn(size->first, size->second);
    } else if (v5_ && channel == kChannelClose && !payload.empty() &&
               static_cast<uint8_t>(payload[0]) == kChannelStdin) {
      std::lock_guard<std::mutex> lock(mu_);
      stdin_closed_ = true;
      cv_.notify_all();
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  stdin_closed_ = true;
  reader_done_ = true;
  cv_.notify_all();
}

bool WebSocketExecStreams::ReadStdin(std::string& data) {
  if (!flags_.in) return false;
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return !stdin_.empty() || stdin_closed_; });
  if (stdin_.empty()) return false;
  data.append(stdin_);
  stdin_.clear();
  return true;
}

bool WebSocketExecStreams::WriteChannel(uint8_t channel,
                                        std::string_view data) {
  std::string message;
  message.reserve(data.size() + 1);
  message += static_cast<char>(channel);
  message.append(data);
  return ws_->WriteBinary(message);
}

bool WebSocketExecStreams::WriteStdout(std::string_view data) {
  if (!has_stdout()) return true;
  return WriteChannel(kChannelStdout, data);
}

bool WebSocketExecStreams::WriteStderr(std::string_view data) {
  // kubectl with a tty has no stderr stream and logs "Unknown stream id 2".
  if (!has_stderr()) return true;
  return WriteChannel(kChannelStderr, data);
}

void WebSocketExecStreams::OnResize(
    std::function<void(uint16_t, uint16_t)> fn) {
  std::lock_guard<std::mutex> lock(mu_);
  resize_ = std::move(fn);
}

void WebSocketExecStreams::Finish(const std::string& status_json) {
  WriteChannel(kChannelError, status_json);
  ws_->Close(1000);
  {
    // The client answers the close; the reader sees it and stops.
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(2),
                 [this] { return reader_done_; });
  }
  conn_->Shutdown();
  if (reader_.joinable()) reader_.join();
}

}  // namespace berth::api
