#include "bench/pods/interruption.h"

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "bench/pods/progress.h"

namespace berth::bench {
namespace {

std::atomic<bool> g_interrupted{false};

}  // namespace

void StartInterruptionThread() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
  std::thread([set] {
    while (true) {
      int sig = 0;
      sigwait(&set, &sig);
      g_interrupted = true;
      Progress(
          "interrupted: cleaning up (pods, server, shims, mounts, netns); "
          "this takes up to a few minutes");
    }
  }).detach();
}

bool Interrupted() { return g_interrupted; }

bool Pause(std::chrono::steady_clock::duration d) {
  using Clock = std::chrono::steady_clock;
  const auto until = Clock::now() + d;
  while (Clock::now() < until) {
    if (g_interrupted) return false;
    std::this_thread::sleep_for(std::min<Clock::duration>(
        until - Clock::now(), std::chrono::milliseconds(100)));
  }
  return !g_interrupted;
}

}  // namespace berth::bench
