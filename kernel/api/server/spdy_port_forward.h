// SpdyPortForwardSession: port-forward over a SPDY/3.1 session (tunnelled
// in WebSocket, or on the upgraded connection itself). For each local
// connection kubectl opens a pair of streams sharing a requestid header: an
// error stream (which it half-closes at once and reads for a failure text)
// and a data stream with the port header. A pair becomes one
// PortForwardStream; closing it sends FIN on both.
//
// Thread safety: Accept from one thread; each stream as PortForwardStream.
#ifndef BERTH_KERNEL_API_SERVER_SPDY_PORT_FORWARD_H_
#define BERTH_KERNEL_API_SERVER_SPDY_PORT_FORWARD_H_

#include <map>
#include <memory>
#include <string>

#include "berth/streams.h"
#include "kernel/api/server/spdy_session.h"

namespace berth::api {

class SpdyPortForwardSession : public PortForwardSession {
 public:
  explicit SpdyPortForwardSession(std::shared_ptr<SpdySession> session)
      : session_(std::move(session)) {}
  std::unique_ptr<PortForwardStream> Accept() override;

 private:
  struct Pair {
    std::shared_ptr<SpdyStream> error, data;
  };
  std::shared_ptr<SpdySession> session_;
  std::map<std::string, Pair> pending_;  // by requestid
};

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_SPDY_PORT_FORWARD_H_
