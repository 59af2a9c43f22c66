// Lifecycle handlers: a container's postStart and preStop hooks
// (pkg/kubelet/lifecycle/handlers.go): exec through ExecSync (no timeout
// of its own; the agent bounds preStop by the grace period), httpGet to the
// pod (only a transport error fails it; the status code is not looked at,
// as in the kubelet) and sleep.
//
// Thread safety: Run may be called from many threads at once.
#ifndef BERTH_PLUGINS_NODE_PROBES_LIFECYCLE_HANDLER_H_
#define BERTH_PLUGINS_NODE_PROBES_LIFECYCLE_HANDLER_H_

#include <chrono>
#include <functional>
#include <string>

#include "berth/json.h"
#include "berth/runtime.h"
#include "berth/status.h"
#include "probes/prober.h"

namespace berth::node {

class LifecycleHandlerRunner {
 public:
  // Sleeps for the sleep action; returns early (false) when interrupted.
  using SleepFn = std::function<bool(std::chrono::seconds)>;

  // `runtime` must outlive the runner. Without `sleep`, this thread
  // sleeps.
  explicit LifecycleHandlerRunner(ContainerRuntime& runtime,
                                  SleepFn sleep = {});

  // Runs `handler` (a v1.LifecycleHandler: exec, httpGet or sleep) for
  // `container` of `pod`. On failure the Status message is the kubelet's
  // event message (reason FailedPostStartHook / FailedPreStopHook):
  //   Exec lifecycle hook ([sh -c exit 3]) for Container "app" in Pod
  //   "web_default(uid)" failed - error: command 'sh -c exit 3' exited with
  //   3: <stderr>, message: "<stdout+stderr>"
  //   HTTP lifecycle hook (/hook) for Container "app" in Pod
  //   "web_default(uid)" failed - error: Get "http://...": dial tcp ...
  // Invalid when the handler has no action it knows.
  Status Run(const Json& handler, const Json& pod, const Json& container,
             const ProbeTarget& target) const;

 private:
  ContainerRuntime& runtime_;
  SleepFn sleep_;
};

}  // namespace berth::node

#endif  // BERTH_PLUGINS_NODE_PROBES_LIFECYCLE_HANDLER_H_
