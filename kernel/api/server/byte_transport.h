// ByteTransport: a duplex byte stream a connect session runs its protocol
// over — the upgraded connection itself, or the binary messages of a
// WebSocket (SPDY tunnelled in WebSocket for port-forward).
//
// Thread safety: one thread may Read while others Write; Shutdown from any
// thread.
#ifndef BERTH_KERNEL_API_SERVER_BYTE_TRANSPORT_H_
#define BERTH_KERNEL_API_SERVER_BYTE_TRANSPORT_H_

#include <string>
#include <string_view>

namespace berth::api {

class ByteTransport {
 public:
  virtual ~ByteTransport() = default;
  // Blocks until bytes arrive and appends them to `out`. False when the
  // peer closed, the transport failed or Shutdown was called.
  virtual bool Read(std::string* out) = 0;
  // Blocks until all of `data` is written (as one unit: concurrent writes
  // do not interleave). False when the transport failed.
  virtual bool Write(std::string_view data) = 0;
  // Makes blocked and later Reads and Writes return false soon.
  virtual void Shutdown() = 0;
};

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_BYTE_TRANSPORT_H_
