#include "kernel/api/server/spdy_port_forward.h"

#include <chrono>
#include <cstdlib>

#include "kernel/api/streams/channel_protocol.h"

namespace berth::api {
namespace {

class SpdyPortForwardStream : public PortForwardStream {
 public:
  SpdyPortForwardStream(std::shared_ptr<SpdyStream> error,
                        std::shared_ptr<SpdyStream> data, int port)
      : error_(std::move(error)), data_(std::move(data)), port_(port) {}
  ~SpdyPortForwardStream() override { Close(); }

  int port() const override { return port_; }
  bool Read(std::string& data) override { return data_->Read(&data); }
  bool Write(std::string_view data) override { return data_->Write(data); }
  void WriteError(std::string_view message) override { error_->Write(message); }
  void Close() override {
    data_->CloseWrite();
    error_->CloseWrite();
  }

 private:
  std::shared_ptr<SpdyStream> error_, data_;
  const int port_;
};

}  // namespace

std::unique_ptr<PortForwardStream> SpdyPortForwardSession::Accept() {
  for (;;) {
    auto s = session_->Accept(std::chrono::seconds(1));
    if (!s) {
      if (session_->ended()) return nullptr;
      continue;
    }
    const std::string type = s->Header("streamtype");
    Pair& pair = pending_[s->Header("requestid")];
    if (type == streams::kStreamTypeError) {
      pair.error = s;
    } else if (type == streams::kStreamTypeData) {
      pair.data = s;
    } else {
      s->CloseWrite();
      continue;
    }
    if (!pair.error || !pair.data) continue;
    Pair ready = std::move(pair);
    pending_.erase(s->Header("requestid"));
    const int port = std::atoi(ready.data->Header("port").c_str());
    if (port <= 0 || port > 65535) {
      ready.error->Write("invalid port: " + ready.data->Header("port"));
      ready.error->CloseWrite();
      ready.data->CloseWrite();
      continue;
    }
    return std::make_unique<SpdyPortForwardStream>(std::move(ready.error),
                                                   std::move(ready.data), port);
  }
}

}  // namespace berth::api
