// UpstreamForwarder: sends a query that is not the cluster's to the
// upstream resolvers in turn (UDP; over TCP when the UDP reply is
// truncated) and returns the first reply, as CoreDNS's forward plugin
// does for names outside the cluster zone.
//
// Thread safety: Forward may be called from many threads at once; each
// call uses its own sockets.
#ifndef BERTH_PLUGINS_NETWORK_DNS_UPSTREAM_FORWARDER_H_
#define BERTH_PLUGINS_NETWORK_DNS_UPSTREAM_FORWARDER_H_

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "berth/status.h"
#include "socket_address.h"

namespace berth::dns {

class UpstreamForwarder {
 public:
  // `upstreams` are tried in order, each for up to `timeout`.
  UpstreamForwarder(std::vector<SocketAddress> upstreams,
                    std::chrono::milliseconds timeout);

  // The reply to `query` (whole, as its server sent it). Unavailable when
  // no upstream is configured or none answered in time.
  StatusOr<std::string> Forward(std::string_view query) const;

  bool empty() const { return upstreams_.empty(); }

 private:
  StatusOr<std::string> OverUdp(const SocketAddress& to,
                                std::string_view query) const;
  StatusOr<std::string> OverTcp(const SocketAddress& to,
                                std::string_view query) const;

  std::vector<SocketAddress> upstreams_;
  std::chrono::milliseconds timeout_;
};

// Sends `message` with its two-byte length (DNS over TCP, RFC 1035 4.2.2);
// false on a write error.
bool WriteTcpMessage(int fd, std::string_view message);
// Reads one length-prefixed message; false on EOF, error or timeout.
bool ReadTcpMessage(int fd, std::string* message);

}  // namespace berth::dns

#endif  // BERTH_PLUGINS_NETWORK_DNS_UPSTREAM_FORWARDER_H_
