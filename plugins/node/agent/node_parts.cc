#include "node_parts.h"

#include <future>
#include <list>
#include <mutex>

#include "env/env_resolver.h"
#include "pod_spec.h"
#include "probes/lifecycle_handler.h"
#include "probes/timer.h"
#include "volumes/volume_manager.h"

namespace berth::node {
namespace {

class VolumesAdapter : public PodVolumes {
 public:
  VolumesAdapter(Client& client, const std::string& root)
      : manager_(client, root) {}

  StatusOr<std::map<std::string, std::vector<Mount>>> Prepare(
      const Json& pod, const PodFacts& facts) override {
    if (Status s = manager_.Prepare(pod, facts); !s.ok()) return s;
    std::map<std::string, std::vector<Mount>> out;
    for (const char* list : {"initContainers", "containers"}) {
      const Json* cs = Find(pod, {"spec", list});
      if (!cs || !cs->IsArray()) continue;
      for (const auto& c : cs->GetArray()) {
        auto mounts = manager_.MountsFor(pod, c);
        if (!mounts.ok()) return mounts.status();
        out[GetString(c, {"name"})] = std::move(mounts).value();
      }
    }
    return out;
  }
  Status Refresh(const Json& pod, const PodFacts& facts) override {
    return manager_.Refresh(pod, facts);
  }
  Status Cleanup(const std::string& uid) override {
    return manager_.Cleanup(uid);
  }

 private:
  VolumeManager manager_;
};

class EnvAdapter : public EnvResolver {
 public:
  EnvAdapter(Client& client,
             std::function<void(const Json&, const std::string&)> on_warning)
      : client_(client), on_warning_(std::move(on_warning)) {}

  StatusOr<EnvList> Resolve(const Json& pod, const Json& container,
                            const PodFacts& facts) override {
    auto resolved = ResolveEnv(pod, container, client_, facts);
    if (!resolved.ok()) return resolved.status();
    if (on_warning_) {
      for (const auto& w : resolved->invalid_name_warnings) on_warning_(pod, w);
    }
    return std::move(resolved->env);
  }

 private:
  Client& client_;
  std::function<void(const Json&, const std::string&)> on_warning_;
};

class ProbesAdapter : public PodProbes {
 public:
  ProbesAdapter(ContainerRuntime& runtime, ProbeManager::EventFn on_event,
                ProbeManager::ChangeFn on_change)
      : prober_(runtime),
        manager_(prober_, timer_, std::move(on_event), std::move(on_change)),
        hooks_(runtime) {}

  ~ProbesAdapter() override {
    // Hooks that outran their budget are waited for here, so none runs
    // past the adapter.
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& f : overdue_) f.wait();
  }

  void ContainerStarted(const Json& pod, const std::string& name,
                        const ProbeTarget& target) override {
    if (const Json* spec = FindContainerSpec(pod, name, nullptr)) {
      manager_.ContainerStarted(pod, *spec, target.container_id, target);
    }
  }
  void ContainerStopped(const std::string& uid,
                        const std::string& name) override {
    manager_.ContainerStopped(uid, name);
  }
  bool Ready(const std::string& uid, const std::string& name) override {
    return manager_.Ready(uid, name);
  }
  bool Started(const std::string& uid, const std::string& name) override {
    return manager_.Started(uid, name);
  }
  bool NeedsRestart(const std::string& uid, const std::string& name) override {
    return manager_.NeedsRestart(uid, name);
  }
  Status RunPostStart(const Json& pod, const std::string& name,
                      const ProbeTarget& target) override {
    const Json* spec = FindContainerSpec(pod, name, nullptr);
    const Json* hook = spec ? Find(*spec, {"lifecycle", "postStart"}) : nullptr;
    if (!hook) return {};
    return hooks_.Run(*hook, pod, *spec, target);
  }
  void RunPreStop(const Json& pod, const std::string& name,
                  const ProbeTarget& target,
                  std::chrono::seconds budget) override {
    const Json* spec = FindContainerSpec(pod, name, nullptr);
    if (!spec || !Find(*spec, {"lifecycle", "preStop"})) return;
    // The hook runs on its own thread with copies of what it reads, so the
    // grace period bounds the wait even when the hook hangs.
    auto pod_copy = std::make_shared<JsonDoc>();
    pod_copy->CopyFrom(pod, pod_copy->GetAllocator());
    auto future =
        std::async(std::launch::async, [this, pod_copy, name, target] {
          const Json* c = FindContainerSpec(*pod_copy, name, nullptr);
          const Json* hook = c ? Find(*c, {"lifecycle", "preStop"}) : nullptr;
          if (hook) (void)hooks_.Run(*hook, *pod_copy, *c, target);
        });
    if (future.wait_for(budget) != std::future_status::ready) {
      std::lock_guard<std::mutex> lock(mu_);
      overdue_.push_back(std::move(future));
    }
  }
  void RemovePod(const std::string& uid) override { manager_.RemovePod(uid); }

 private:
  ThreadTimer timer_;
  Prober prober_;
  ProbeManager manager_;
  LifecycleHandlerRunner hooks_;
  std::mutex mu_;
  std::list<std::future<void>> overdue_;
};

}  // namespace

std::unique_ptr<PodVolumes> MakePodVolumes(Client& client,
                                           const std::string& pods_root) {
  return std::make_unique<VolumesAdapter>(client, pods_root);
}

std::unique_ptr<EnvResolver> MakeEnvResolver(
    Client& client,
    std::function<void(const Json& pod, const std::string& message)>
        on_warning) {
  return std::make_unique<EnvAdapter>(client, std::move(on_warning));
}

std::unique_ptr<PodProbes> MakePodProbes(ContainerRuntime& runtime,
                                         ProbeManager::EventFn on_event,
                                         ProbeManager::ChangeFn on_change) {
  return std::make_unique<ProbesAdapter>(runtime, std::move(on_event),
                                         std::move(on_change));
}

}  // namespace berth::node
