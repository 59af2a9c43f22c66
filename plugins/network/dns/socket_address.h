// SocketAddress: an IPv4 or IPv6 address and port as the socket calls take
// it, parsed from "ip", "ip:port" or "[ipv6]:port".
//
// Thread safety: a plain value.
#ifndef BERTH_PLUGINS_NETWORK_DNS_SOCKET_ADDRESS_H_
#define BERTH_PLUGINS_NETWORK_DNS_SOCKET_ADDRESS_H_

#include <sys/socket.h>

#include <string>

#include "berth/status.h"

namespace berth::dns {

struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;

  int family() const { return storage.ss_family; }
  const sockaddr* get() const {
    return reinterpret_cast<const sockaddr*>(&storage);
  }
  std::string ToString() const;
};

// `text` with `default_port` when it names none. Invalid when it is not a
// numeric address (names are not resolved: this is what resolves them).
StatusOr<SocketAddress> ParseSocketAddress(const std::string& text,
                                           int default_port);

}  // namespace berth::dns

#endif  // BERTH_PLUGINS_NETWORK_DNS_SOCKET_ADDRESS_H_
