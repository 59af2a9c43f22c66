// PodReport: what the node agent knows about one pod at the end of a sync —
// each container's newest and previous runtime container, why it waits,
// whether it is ready — and how that becomes the pod's status as a kubelet
// writes it: phase (kubelet's getPhase), the conditions PodScheduled,
// PodReadyToStartContainers, Initialized, ContainersReady and Ready,
// containerStatuses and initContainerStatuses (state, lastState,
// restartCount, ready, started, image, imageID, containerID
// "<runtime>://<id>"), podIP(s), hostIP(s), startTime.
//
// Thread safety: value types and pure functions.
#ifndef BERTH_PLUGINS_NODE_AGENT_POD_REPORT_H_
#define BERTH_PLUGINS_NODE_AGENT_POD_REPORT_H_

#include <optional>
#include <string>
#include <vector>

#include "berth/json.h"
#include "berth/runtime.h"
#include "timestamps.h"

namespace berth::node {

struct ContainerReport {
  std::string name;
  std::string image;  // from the spec
  std::optional<ContainerStatus> latest;
  std::optional<ContainerStatus> previous;
  // Set while the container waits (ContainerCreating, ErrImagePull,
  // CrashLoopBackOff...); the latest container is then its last state.
  std::string waiting_reason;
  std::string waiting_message;
  bool ready = false;
  bool started = false;
};

struct PodReport {
  std::string runtime_name;  // containerID prefix
  bool sandbox_ready = false;
  std::vector<std::string> pod_ips;
  std::string host_ip;
  std::vector<ContainerReport> init_containers;  // spec order
  std::vector<ContainerReport> containers;
  // Failed with this reason/message (admission, a failed init container of
  // a restartPolicy Never pod); empty otherwise.
  std::string failed_reason;
  std::string failed_message;
};

// kubelet's getPhase: Pending, Running, Succeeded or Failed.
std::string PodPhase(const std::string& restart_policy, const PodReport& r);

// The full status for `pod` (whose current status supplies transition times,
// startTime and qosClass).
Json BuildPodStatus(const Json& pod, const PodReport& report,
                    kubelet::TimePoint now, JsonAlloc& a);

}  // namespace berth::node

#endif  // BERTH_PLUGINS_NODE_AGENT_POD_REPORT_H_
