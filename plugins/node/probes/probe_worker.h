// ProbeWorker: probes one container periodically for one probe type, as
// the kubelet's prober worker does (pkg/kubelet/prober/worker.go):
//   - nothing before initialDelaySeconds after the container started;
//   - liveness and readiness wait until the container is started (the
//     startup probe succeeded, or there is none); startup stops once it is;
//   - a result is reported only after successThreshold (default 1)
//     successes or failureThreshold (default 3) failures in a row;
//   - after a reported liveness or startup failure the worker holds until
//     it sees a new container id (the agent restarts the container);
//   - a new container id starts over from the initial result (readiness:
//     failure; liveness: success; startup: unknown);
//   - a container that is not running reports failure.
// Every probe failure, error or warning also yields the kubelet's event
// ("Liveness probe failed: HTTP probe failed with statuscode: 500").
//
// Thread safety: Step runs one probe at a time (it is meant for one thread,
// the timer's); Start and Stop may be called from any thread.
#ifndef BERTH_PLUGINS_NODE_PROBES_PROBE_WORKER_H_
#define BERTH_PLUGINS_NODE_PROBES_PROBE_WORKER_H_

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "berth/json.h"
#include "probes/probe_result.h"
#include "probes/prober.h"
#include "probes/timer.h"

namespace berth::node {

// What the worker needs to know of its container, read before each probe.
struct ProbedContainer {
  std::string container_id;  // "" while not created
  bool running = false;
  bool terminated = false;
  std::chrono::system_clock::time_point started_at;
  // containerStatuses[].started: the startup probe succeeded (or none).
  bool started = false;
  ProbeTarget target;  // where to probe (container_id, pod IP)
};

struct ProbeSpec {
  int initial_delay_seconds = 0;
  int period_seconds = 10;
  int timeout_seconds = 1;
  int success_threshold = 1;
  int failure_threshold = 3;
  // Reads a v1.Probe with the API defaults for what it leaves out.
  static ProbeSpec FromJson(const Json& probe);
};

class ProbeWorker {
 public:
  // The container's state now; nullopt when the pod is gone (the worker
  // stops).
  using StateFn = std::function<std::optional<ProbedContainer>()>;
  // The result of a container changed: it crossed its threshold, or a new
  // container got its initial result (what the kubelet's results manager
  // is told). Not called again for the same container and result.
  using ResultFn = std::function<void(ProbeType, const std::string&,
                                      ProbeResult)>;  // container id
  using EventFn = std::function<void(const ProbeEvent&)>;

  // `probe` (a v1.Probe) and `container` are copied. `prober` and `timer`
  // must outlive the worker. `restart_never`: the pod's restartPolicy is
  // Never (a terminated container then ends the worker).
  ProbeWorker(ProbeType type, const Json& probe, const Json& container,
              bool restart_never, const Prober& prober, Timer& timer,
              StateFn state, ResultFn on_result, EventFn on_event);
  ~ProbeWorker();  // Stops.

  // One iteration (kubelet's doProbe). Returns false when the worker should
  // stop (pod gone, or container terminated with restartPolicy Never).
  bool Step();

  // Runs Step on the timer at once, then every periodSeconds until Step
  // says stop or Stop is called.
  void Start();
  // No Step starts after this returns.
  void Stop();

  ProbeType type() const { return type_; }
  // The last result reported (nullopt before the first).
  std::optional<ProbeResult> last_reported() const;

 private:
  void Report(ProbeResult result);
  void ScheduleNext(std::chrono::milliseconds delay);

  const ProbeType type_;
  JsonDoc probe_;
  JsonDoc container_;
  const bool restart_never_;
  const ProbeSpec spec_;
  const Prober& prober_;
  Timer& timer_;
  StateFn state_;
  ResultFn on_result_;
  EventFn on_event_;

  std::string container_id_;
  std::optional<ProbeResult> last_result_;  // of the current run
  int result_run_ = 0;
  bool on_hold_ = false;

  mutable std::mutex mu_;  // guards the members below
  bool stopped_ = true;
  Timer::TaskId task_ = 0;
  std::optional<ProbeResult> reported_;
  std::string reported_for_;  // the container reported_ is for
};

}  // namespace berth::node

#endif  // BERTH_PLUGINS_NODE_PROBES_PROBE_WORKER_H_
