// PodStatus: the status a kubelet reports for a pod the sim "runs" — all
// containers started and ready (phase Running, the five pod conditions,
// podIP/hostIP, containerStatuses with sim:// container IDs, completed init
// containers), or finished (Succeeded or Failed by exit code) — and the
// per-pod annotations that steer it.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_RUNTIME_SIM_POD_STATUS_H_
#define BERTH_PLUGINS_RUNTIME_SIM_POD_STATUS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "berth/json.h"
#include "timestamps.h"

namespace berth::sim {

using kubelet::FormatMicroTime;
using kubelet::FormatTime;
using kubelet::ParseTime;
using kubelet::TimePoint;

// How long the pod runs before it finishes (for run-to-completion pods).
constexpr const char* kRunSecondsAnnotation = "sim.berth.io/run-seconds";
// Non-zero: the pod's containers exit with it and the pod Fails.
constexpr const char* kExitCodeAnnotation = "sim.berth.io/exit-code";

struct PodPlacement {
  std::string host_ip;
  std::string pod_ip;
};

// restartPolicy Never or OnFailure: the pod runs once and finishes.
bool RunsToCompletion(const Json& pod);
// The run-seconds annotation when it is a whole number >= 0, else
// `default_seconds`.
int64_t PodRunSeconds(const Json& pod, int64_t default_seconds);
// The exit-code annotation when it is an integer, else 0.
int PodExitCode(const Json& pod);

// The status of `pod` with every container running and ready since `now`.
// Keeps qosClass and the PodScheduled transition time of the old status.
Json BuildRunningStatus(const Json& pod, const PodPlacement& placement,
                        TimePoint now, JsonAlloc& a);

// The status of `pod` once its containers exited with `exit_code` at `now`
// (phase Succeeded for 0, else Failed), keeping its addresses, startTime
// and the containers' start times.
Json BuildFinishedStatus(const Json& pod, int exit_code, TimePoint now,
                         JsonAlloc& a);

// The status of a restartPolicy OnFailure pod whose containers exited with
// `exit_code` (non-zero) at `now` and were started again at once: still
// Running, each container running since `now` with its restartCount one
// higher and the exit in lastState.terminated. (Kubelet's crash-loop
// back-off is not simulated.)
Json BuildRestartedStatus(const Json& pod, int exit_code, TimePoint now,
                          JsonAlloc& a);

// When the pod's containers last started: the newest running startedAt of
// its containerStatuses, else status.startTime; nullopt when neither.
std::optional<TimePoint> LastContainerStart(const Json& pod);

}  // namespace berth::sim

#endif  // BERTH_PLUGINS_RUNTIME_SIM_POD_STATUS_H_
