// DnsServer: the UDP and TCP listeners on one address and port, handing
// each query to a DnsResponder. A few UDP workers share the socket (a
// forwarded query blocks only its worker); each TCP connection gets its
// own thread, up to a limit, and may carry several queries (RFC 7766).
//
// Thread safety: Start and Stop from one thread; the responder is called
// from the server's threads.
#ifndef BERTH_PLUGINS_NETWORK_DNS_DNS_SERVER_H_
#define BERTH_PLUGINS_NETWORK_DNS_DNS_SERVER_H_

#include <atomic>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "berth/status.h"
#include "dns_responder.h"

namespace berth::dns {

class DnsServer {
 public:
  // `responder` must outlive the server.
  explicit DnsServer(const DnsResponder& responder);
  ~DnsServer();

  // Binds UDP and TCP on `bind_address`:`port` (port 0: one the kernel
  // picks, the same for both, picked again while TCP finds it taken) and
  // starts serving. Unavailable naming the
  // address when a bind fails; nothing keeps running then.
  Status Start(const std::string& bind_address, int port);
  // Stops serving and joins every thread. Safe to call twice.
  void Stop();

  // The port bound (after Start).
  int port() const { return port_; }

 private:
  // Binds the UDP socket and the TCP listener on one port; Unavailable
  // naming the address (and nothing left open) when either bind fails.
  Status Bind(const std::string& bind_address, int port);
  struct Connection {
    std::thread thread;
    std::atomic<bool> done{false};
  };

  void ServeUdp();
  void AcceptTcp();
  void ServeTcp(int fd, Connection* self);
  void ReapConnections(bool all);
  // Waits until `fd` is readable (true) or Stop was called or
  // `timeout_ms` passed (-1: no limit) (false).
  bool Readable(int fd, int timeout_ms) const;

  const DnsResponder& responder_;
  int udp_fd_ = -1;
  int tcp_fd_ = -1;
  int port_ = 0;
  int wake_fd_ = -1;  // an eventfd Stop makes readable
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::list<std::unique_ptr<Connection>> connections_;  // guarded by mu_
};

}  // namespace berth::dns

#endif  // BERTH_PLUGINS_NETWORK_DNS_DNS_SERVER_H_
