// PodStartTracker: follows the event lines of one pod watch and records, per
// pod, what pod start-up latency is made of as a client of the API sees it:
// when the watch first showed the pod, its creationTimestamp, when the watch
// first showed status.phase Running, and the lastTransitionTime of the Ready
// condition the node agent wrote (the agent-side figure). The last phase and
// waiting reason say why a pod never ran.
//
// creationTimestamp and lastTransitionTime are metav1.Time, whole seconds,
// as in Kubernetes; the watch times are the bench's own clocks.
//
// Thread safety: OnLine runs on the watch reader's thread; every other
// method may be called from any thread.
#ifndef BERTH_BENCH_PODS_POD_START_TRACKER_H_
#define BERTH_BENCH_PODS_POD_START_TRACKER_H_

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace berth::bench {

struct PodStart {
  using Steady = std::chrono::steady_clock::time_point;
  using Wall = std::chrono::system_clock::time_point;

  std::optional<Steady> seen;     // first event of the pod
  std::optional<Wall> created;    // metadata.creationTimestamp
  std::optional<Steady> running;  // first event with phase Running
  std::optional<Wall> running_wall;
  std::optional<Wall> ready;  // Ready=True condition's lastTransitionTime
  std::string state;          // "Pending/ContainerCreating", "Running", ...
};

class PodStartTracker {
 public:
  // One watch event line ({"type":..,"object":{..}}); other lines and
  // objects that do not parse are ignored.
  void OnLine(const std::string& line);

  size_t running() const;
  // Every pod seen so far, by name.
  std::map<std::string, PodStart> Snapshot() const;
  // How many pods are in each state: "Running 97, Pending/ErrImagePull 3".
  std::string StateCounts() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, PodStart> pods_;
  size_t running_ = 0;
};

}  // namespace berth::bench

#endif  // BERTH_BENCH_PODS_POD_START_TRACKER_H_
