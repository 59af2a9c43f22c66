#include "socket_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>

namespace berth::dns {

StatusOr<SocketAddress> ParseSocketAddress(const std::string& text,
                                           int default_port) {
  std::string host = text;
  int port = default_port;
  auto parse_port = [&](const std::string& p) -> bool {
    if (p.empty() || p.size() > 5 ||
        p.find_first_not_of("0123456789") != std::string::npos) {
      return false;
    }
    port = std::stoi(p);
    return port <= 65535;
  };
  if (!text.empty() && text.front() == '[') {
    const size_t close = text.find(']');
    if (close == std::string::npos) {
      return Status::Invalid("address " + text + ": no closing ]");
    }
    host = text.substr(1, close - 1);
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':' || !parse_port(text.substr(close + 2))) {
        return Status::Invalid("address " + text + ": bad port");
      }
    }
  } else if (text.find(':') != std::string::npos &&
             text.find(':') == text.rfind(':')) {
    host = text.substr(0, text.find(':'));
    if (!parse_port(text.substr(text.find(':') + 1))) {
      return Status::Invalid("address " + text + ": bad port");
    }
  }
  SocketAddress a;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&a.storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&a.storage);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<uint16_t>(port));
    a.length = sizeof(sockaddr_in);
  } else if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<uint16_t>(port));
    a.length = sizeof(sockaddr_in6);
  } else {
    return Status::Invalid("address " + text + " is not an IP address");
  }
  return a;
}

std::string SocketAddress::ToString() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (family() == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&storage);
    inet_ntop(AF_INET, &v4->sin_addr, buf, sizeof(buf));
    return std::string(buf) + ":" + std::to_string(ntohs(v4->sin_port));
  }
  const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&storage);
  inet_ntop(AF_INET6, &v6->sin6_addr, buf, sizeof(buf));
  return "[" + std::string(buf) + "]:" + std::to_string(ntohs(v6->sin6_port));
}

}  // namespace berth::dns
