// DuplexConnection: a client connection taken over from Poco's HTTP server
// after a protocol upgrade (or for a streamed response), read and written
// with blocking calls from two threads at once. Underneath it is a
// NonblockingConnection; every OpenSSL call is made under one mutex (an
// SSL object must not be read and written concurrently) and the waiting
// is done in poll() outside it, so a reader blocked for input never holds
// up a writer.
//
// Thread safety: one reader and any number of writers at once (writes are
// whole and never interleave); Shutdown from any thread.
#ifndef BERTH_KERNEL_API_SERVER_DUPLEX_CONNECTION_H_
#define BERTH_KERNEL_API_SERVER_DUPLEX_CONNECTION_H_

#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "berth/status.h"
#include "kernel/api/server/byte_transport.h"
#include "kernel/api/server/nonblocking_connection.h"

namespace berth::api {

class DuplexConnection : public ByteTransport {
 public:
  // Takes over `socket` (detached from its HTTP session). Errors as
  // NonblockingConnection::Adopt.
  static StatusOr<std::unique_ptr<DuplexConnection>> Adopt(
      Poco::Net::StreamSocket socket);
  ~DuplexConnection() override;

  bool Read(std::string* out) override;
  bool Write(std::string_view data) override;
  void Shutdown() override;

  // Without blocking: true once the peer closed its side (anything it sent
  // meanwhile is discarded; a streamed response expects nothing).
  bool PeerClosed();

 private:
  explicit DuplexConnection(NonblockingConnection conn)
      : conn_(std::move(conn)) {}

  std::mutex io_mu_;     // the OpenSSL calls
  std::mutex write_mu_;  // one whole write at a time
  NonblockingConnection conn_;
  std::atomic<bool> shutdown_{false};
};

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_DUPLEX_CONNECTION_H_
