#include "kernel/api/server/connect_sessions.h"

#include <spdlog/spdlog.h>

#include <exception>
#include <thread>

namespace berth::api {

bool ConnectSessions::Start(std::unique_ptr<DuplexConnection> conn,
                            std::function<void(DuplexConnection&)> body) {
  DuplexConnection* raw = conn.get();
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    if (state_->stopped) return false;
    state_->open.insert(raw);
  }
  std::thread([state = state_, conn = std::move(conn),
               body = std::move(body)]() mutable {
    try {
      body(*conn);
    } catch (const std::exception& e) {
      spdlog::warn("connect session failed: {}", e.what());
    }
    {
      std::lock_guard<std::mutex> lock(state->mu);
      state->open.erase(conn.get());
      conn.reset();
    }
    state->cv.notify_all();
  }).detach();
  return true;
}

void ConnectSessions::StopAll() {
  std::unique_lock<std::mutex> lock(state_->mu);
  state_->stopped = true;
  for (DuplexConnection* c : state_->open) c->Shutdown();
  state_->cv.wait(lock, [this] { return state_->open.empty(); });
}

size_t ConnectSessions::active() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->open.size();
}

}  // namespace berth::api
