// PodParts: the seams where the node agent's per-pod libraries plug in —
// volumes (plugins/node/volumes: prepare a pod's volumes, each container's
// mounts, cleanup), environment (plugins/node/env: a container's env from
// value, valueFrom and envFrom) and probes (plugins/node/probes: readiness,
// liveness, startup and lifecycle hooks). The agent calls only these
// interfaces; the defaults here do the least a pod needs (no volumes,
// literal env values, ready when running) until those libraries are wired.
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

namespace berth::node {

using EnvList = std::vector<std::pair<std::string, std::string>>;

class PodVolumes {
 public:
  virtual ~PodVolumes() = default;
  // Makes the pod's volumes ready on the host and returns each container's
  // mounts by container name. A failure names the volume; the pod waits.
  virtual StatusOr<std::map<std::string, std::vector<Mount>>> Prepare(
      const Json& pod) = 0;
  // Removes everything Prepare made for pod `uid`. Idempotent.
  virtual Status Cleanup(const std::string& uid) = 0;
};

class EnvResolver {
 public:
  virtual ~EnvResolver() = default;
  // The environment of `container` in `pod`, in order; a failure (a
  // missing Secret key...) becomes CreateContainerConfigError.
  virtual StatusOr<EnvList> Resolve(const Json& pod, const Json& container) = 0;
};

class PodProbes {
 public:
  virtual ~PodProbes() = default;
  // The container `container_id` of pod `uid` started (or was found
  // running); probing starts.
  virtual void ContainerStarted(const Json& pod, const std::string& name,
                                const std::string& container_id) = 0;
  // Readiness and startup results; without probes a running container is
  // ready and started.
  virtual bool Ready(const std::string& uid, const std::string& name) = 0;
  virtual bool Started(const std::string& uid, const std::string& name) = 0;
  // True when the liveness or startup probe asks for a restart; the agent
  // then kills the container and restarts it per restartPolicy.
  virtual bool NeedsRestart(const std::string& uid, const std::string& name) {
    return false;
  }
  // Runs the container's preStop hook, at most `budget`.
  virtual void RunPreStop(const Json& pod, const std::string& name,
                          const std::string& container_id,
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
