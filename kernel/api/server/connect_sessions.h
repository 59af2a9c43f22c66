// ConnectSessions: the running connect sessions (a log follower, an exec,
// a port-forward), each on a thread of its own with the connection it took
// over from Poco. Handing the session off returns the request thread to
// Poco's pool at once, so long-lived streams never hold up other requests
// however many there are; server shutdown ends them all.
//
// Thread safety: all methods are thread-safe.
#ifndef BERTH_KERNEL_API_SERVER_CONNECT_SESSIONS_H_
#define BERTH_KERNEL_API_SERVER_CONNECT_SESSIONS_H_

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <set>

#include "kernel/api/server/duplex_connection.h"

namespace berth::api {

class ConnectSessions {
 public:
  ConnectSessions() : state_(std::make_shared<State>()) {}
  ~ConnectSessions() { StopAll(); }

  // Runs `body` with `conn` on a new thread; the connection is closed when
  // `body` returns. False (and `conn` closed, nothing run) once StopAll
  // was called.
  bool Start(std::unique_ptr<DuplexConnection> conn,
             std::function<void(DuplexConnection&)> body);
  // Shuts every session's connection down (its reads and writes fail, so
  // protocol loops and well-behaved handlers return) and waits until every
  // session ended. Later Starts are refused.
  void StopAll();
  size_t active() const;

 private:
  // Shared with the session threads, which may outlive this object by the
  // few instructions after their last notify.
  struct State {
    mutable std::mutex mu;
    std::condition_variable cv;
    bool stopped = false;
    std::set<DuplexConnection*> open;
  };
  std::shared_ptr<State> state_;
};

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_CONNECT_SESSIONS_H_
