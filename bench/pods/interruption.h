// Interruption: SIGINT and SIGTERM turned into a flag that every wait of the
// pod benchmark checks, so an interrupted run cleans up (pods, server,
// shims, mounts, netns) exactly as a failed one does instead of dying with
// the machine half set up.
//
// Thread safety: StartInterruptionThread once, from the main thread before
// any other thread starts (the signals are blocked in every thread made
// after it); Interrupted and Pause from any thread.
#ifndef BERTH_BENCH_PODS_INTERRUPTION_H_
#define BERTH_BENCH_PODS_INTERRUPTION_H_

#include <chrono>

namespace berth::bench {

// Blocks SIGINT/SIGTERM (and ignores SIGPIPE) and starts the thread that
// waits for them.
void StartInterruptionThread();
// True once SIGINT or SIGTERM arrived.
bool Interrupted();
// Sleeps `d` (nothing when it is not positive); false, at once, when
// interrupted.
bool Pause(std::chrono::steady_clock::duration d);

}  // namespace berth::bench

#endif  // BERTH_BENCH_PODS_INTERRUPTION_H_
