#include "kernel/api/server/chunked_response_stream.h"

#include <Poco/Net/HTTPResponse.h>

#include <cstdio>

namespace berth::api {

bool ChunkedResponseStream::SendHead() {
  if (head_sent_) return !failed_;
  head_sent_ = true;
  failed_ = !conn_->Write(
      "HTTP/1.1 200 OK\r\nContent-Type: " + content_type_ +
      "\r\nTransfer-Encoding: chunked\r\nCache-Control: no-cache, private\r\n"
      "Connection: close\r\n\r\n");
  return !failed_;
}

bool ChunkedResponseStream::Write(std::string_view data) {
  if (failed_ || !SendHead()) return false;
  if (data.empty()) return true;
  char size[20];
  std::snprintf(size, sizeof(size), "%zx\r\n", data.size());
  std::string chunk(size);
  chunk.append(data);
  chunk += "\r\n";
  if (!conn_->Write(chunk)) failed_ = true;
  return !failed_;
}

bool ChunkedResponseStream::ClientGone() {
  return failed_ || conn_->PeerClosed();
}

void ChunkedResponseStream::Finish(const Status& result,
                                   const std::string& error_body) {
  if (head_sent_ || result.ok()) {
    if (SendHead()) conn_->Write("0\r\n\r\n");
    return;
  }
  const int code = HttpCode(result.code());
  conn_->Write("HTTP/1.1 " + std::to_string(code) + " " +
               Poco::Net::HTTPResponse::getReasonForStatus(
                   static_cast<Poco::Net::HTTPResponse::HTTPStatus>(code)) +
               "\r\nContent-Type: application/json\r\nContent-Length: " +
               std::to_string(error_body.size()) +
               "\r\nConnection: close\r\n\r\n" + error_body);
}

}  // namespace berth::api
