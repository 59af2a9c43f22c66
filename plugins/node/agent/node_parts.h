// NodeParts: the node agent's seams (pod_parts.h) filled by the real
// libraries — volumes by plugins/node/volumes' VolumeManager, environment
// by plugins/node/env's ResolveEnv, probes and lifecycle hooks by
// plugins/node/probes' ProbeManager and LifecycleHandlerRunner.
//
// Thread safety: as pod_parts.h; each adapter is safe from many threads.
#ifndef BERTH_PLUGINS_NODE_AGENT_NODE_PARTS_H_
#define BERTH_PLUGINS_NODE_AGENT_NODE_PARTS_H_

#include <memory>
#include <string>

#include "berth/client.h"
#include "berth/runtime.h"
#include "pod_parts.h"
#include "probes/probe_manager.h"

namespace berth::node {

// Volumes under `pods_root`/<uid>/volumes. `client` must outlive it.
std::unique_ptr<PodVolumes> MakePodVolumes(Client& client,
                                           const std::string& pods_root);

// `client` reads ConfigMaps and Secrets; it must outlive the resolver.
// `on_warning` gets the kubelet's InvalidEnvironmentVariableNames
// warnings.
std::unique_ptr<EnvResolver> MakeEnvResolver(
    Client& client,
    std::function<void(const Json& pod, const std::string& message)>
        on_warning);

// Probes exec through `runtime` (which must outlive them) and run on their
// own timer threads; `on_event` and `on_change` as ProbeManager's.
std::unique_ptr<PodProbes> MakePodProbes(ContainerRuntime& runtime,
                                         ProbeManager::EventFn on_event,
                                         ProbeManager::ChangeFn on_change);

}  // namespace berth::node

#endif  // BERTH_PLUGINS_NODE_AGENT_NODE_PARTS_H_
