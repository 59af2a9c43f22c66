// PodParts: the seams where the node agent's per-pod libraries plug in —
// volumes (plugins/node/volumes: prepare a pod's volumes, each container's
// mounts, cleanup), environment (plugins/node/env: a container's env from
// value, valueFrom and envFrom) and probes (plugins/node/probes: readiness,
// liveness, startup and lifecycle hooks). The agent calls only these
// interfaces: node_parts.h adapts those libraries to them; the stand-ins
// here (no volumes, literal env values, ready when running) serve unit
// tests of the agent.
//
// Thread safety: implementations must accept calls for different pods from
// many threads at once; calls for one pod are serialized by the agent.
#ifndef BERTH_PLUGINS_NODE_AGENT_POD_PARTS_H_
#define BERTH_PLUGINS_NODE_AGENT_POD_PARTS_H_

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "berth/json.h"
#include "berth/runtime.h"
#include "berth/status.h"
#include "env/expansion.h"
#include "env/pod_facts.h"
#include "probes/prober.h"

namespace berth::node {

class PodVolumes {
 public:
  virtual ~PodVolumes() = default;
  // Makes the pod's volumes ready on the host and returns each container's
  // mounts by container name. A failure names the volume; the pod waits.
  virtual StatusOr<std::map<std::string, std::vector<Mount>>> Prepare(
      const Json& pod, const PodFacts& facts) = 0;
  // Brings configMap, secret, downwardAPI and projected volume contents
  // up to date for a running pod (the kubelet's periodic sync).
  virtual Status Refresh(const Json& pod, const PodFacts& facts) { return {}; }
  // Removes everything Prepare made for pod `uid`. Idempotent.
  virtual Status Cleanup(const std::string& uid) = 0;
};

class EnvResolver {
 public:
  virtual ~EnvResolver() = default;
  // The environment of `container` in `pod`, in order; a failure (a
  // missing Secret key...) becomes CreateContainerConfigError.
  virtual StatusOr<EnvList> Resolve(const Json& pod, const Json& container,
                                    const PodFacts& facts) = 0;
};

class PodProbes {
 public:
  virtual ~PodProbes() = default;
  // The container `name` of `pod` started as `target.container_id` (or
  // was found running); probing starts.
  virtual void ContainerStarted(const Json& pod, const std::string& name,
                                const ProbeTarget& target) = 0;
  // The container exited; it is not ready until it starts again.
  virtual void ContainerStopped(const std::string& uid,
                                const std::string& name) {}
  // Readiness and startup results; without probes a running container is
  // ready and started.
  virtual bool Ready(const std::string& uid, const std::string& name) = 0;
  virtual bool Started(const std::string& uid, const std::string& name) = 0;
  // True when the liveness or startup probe asks for a restart; the agent
  // then kills the container and restarts it per restartPolicy.
  virtual bool NeedsRestart(const std::string& uid, const std::string& name) {
    return false;
  }
  // Runs the container's postStart hook (when it has one). A failure is
  // the kubelet's FailedPostStartHook message; the agent then kills the
  // container.
  virtual Status RunPostStart(const Json& pod, const std::string& name,
                              const ProbeTarget& target) {
    return {};
  }
  // Runs the container's preStop hook (when it has one), waiting at most
  // `budget`.
  virtual void RunPreStop(const Json& pod, const std::string& name,
                          const ProbeTarget& target,
                          std::chrono::seconds budget) {}
  // Stops probing every container of pod `uid`.
  virtual void RemovePod(const std::string& uid) = 0;
};

// The stand-ins used until the libraries are wired.
std::unique_ptr<PodVolumes> MakeNoVolumes();
std::unique_ptr<EnvResolver> MakeLiteralEnv();
std::unique_ptr<PodProbes> MakeReadyWhenRunning();

}  // namespace berth::node

#endif  // BERTH_PLUGINS_NODE_AGENT_POD_PARTS_H_
