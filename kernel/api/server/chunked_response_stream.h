// ChunkedResponseStream: a connect subresource's plain streamed body (as
// `kubectl logs -f` reads it) written with chunked transfer encoding on a
// connection taken over from Poco. The response head goes out with the
// first write, so a handler that fails before writing still gets a normal
// error reply (Finish).
//
// Thread safety: one writer thread; ClientGone from the same thread.
#ifndef BERTH_KERNEL_API_SERVER_CHUNKED_RESPONSE_STREAM_H_
#define BERTH_KERNEL_API_SERVER_CHUNKED_RESPONSE_STREAM_H_

#include <string>
#include <string_view>

#include "berth/status.h"
#include "berth/streams.h"
#include "kernel/api/server/duplex_connection.h"

namespace berth::api {

class ChunkedResponseStream : public ResponseStream {
 public:
  // `conn` must outlive this object.
  ChunkedResponseStream(DuplexConnection* conn, std::string content_type)
      : conn_(conn), content_type_(std::move(content_type)) {}

  bool Write(std::string_view data) override;
  bool ClientGone() override;

  // Ends the response: the last chunk when the body started (or `result`
  // is OK), else `error_body` (a metav1.Status) with `result`'s HTTP code.
  void Finish(const Status& result, const std::string& error_body);

 private:
  bool SendHead();

  DuplexConnection* conn_;
  const std::string content_type_;
  bool head_sent_ = false;
  bool failed_ = false;
};

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_CHUNKED_RESPONSE_STREAM_H_
