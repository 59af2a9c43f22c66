#include "probes/probe_manager.h"

#include <vector>

namespace berth::node {

struct ProbeManager::Entry {
  std::string container_id;
  bool running = false;
  std::chrono::system_clock::time_point started_at;
  ProbeTarget target;
  bool has_probe[3] = {false, false, false};  // by ProbeType
  std::optional<ProbeResult> result[3];       // for container_id
  std::unique_ptr<ProbeWorker> workers[3];
};

namespace {

int Index(ProbeType t) { return static_cast<int>(t); }

constexpr struct {
  ProbeType type;
  const char* field;
} kProbes[] = {{ProbeType::kLiveness, "livenessProbe"},
               {ProbeType::kReadiness, "readinessProbe"},
               {ProbeType::kStartup, "startupProbe"}};

}  // namespace

ProbeManager::ProbeManager(const Prober& prober, Timer& timer, EventFn on_event,
                           ChangeFn on_change)
    : prober_(prober),
      timer_(timer),
      on_event_(std::move(on_event)),
      on_change_(std::move(on_change)) {}

ProbeManager::~ProbeManager() {
  std::map<std::string, std::map<std::string, std::unique_ptr<Entry>>> pods;
  {
    std::lock_guard<std::mutex> l(mu_);
    pods.swap(pods_);
  }
  // Workers stop (and wait for a running probe) without the lock held: a
  // running probe may be asking for its state.
  pods.clear();
}

bool ProbeManager::StartedLocked(const Entry& e) {
  const int s = Index(ProbeType::kStartup);
  return e.running && (!e.has_probe[s] || e.result[s] == ProbeResult::kSuccess);
}

void ProbeManager::ContainerStarted(const Json& pod, const Json& container,
                                    const std::string& container_id,
                                    const ProbeTarget& target) {
  const std::string uid = GetString(pod, {"metadata", "uid"});
  const std::string name = GetString(container, {"name"});
  const bool restart_never =
      GetString(pod, {"spec", "restartPolicy"}) == "Never";
  std::vector<ProbeWorker*> to_start;
  {
    std::lock_guard<std::mutex> l(mu_);
    auto& slot = pods_[uid][name];
    if (!slot) slot = std::make_unique<Entry>();
    Entry& e = *slot;
    if (e.container_id != container_id) {
      for (auto& r : e.result) r.reset();
    }
    e.container_id = container_id;
    e.running = true;
    e.started_at = timer_.Now();
    e.target = target;
    if (e.target.container_id.empty()) e.target.container_id = container_id;
    for (const auto& p : kProbes) {
      const Json* spec = Member(container, p.field);
      const int i = Index(p.type);
      e.has_probe[i] = spec && spec->IsObject();
      if (!e.has_probe[i] || e.workers[i]) continue;
      e.workers[i] = std::make_unique<ProbeWorker>(
          p.type, *spec, container, restart_never, prober_, timer_,
          [this, uid, name] { return State(uid, name); },
          [this, uid, name](ProbeType type, const std::string& id,
                            ProbeResult result) {
            OnResult(uid, name, type, id, result);
          },
          [this, uid, name](const ProbeEvent& event) {
            if (on_event_) on_event_(uid, name, event);
          });
      to_start.push_back(e.workers[i].get());
    }
  }
  // The agent serializes calls for one pod, so the workers stay while we
  // start them.
  for (ProbeWorker* w : to_start) w->Start();
}

void ProbeManager::ContainerStopped(const std::string& uid,
                                    const std::string& name) {
  {
    std::lock_guard<std::mutex> l(mu_);
    auto pod = pods_.find(uid);
    if (pod == pods_.end()) return;
    auto it = pod->second.find(name);
    if (it == pod->second.end()) return;
    it->second->running = false;
  }
  if (on_change_) on_change_(uid);
}

std::optional<ProbedContainer> ProbeManager::State(const std::string& uid,
                                                   const std::string& name) {
  std::lock_guard<std::mutex> l(mu_);
  auto pod = pods_.find(uid);
  if (pod == pods_.end()) return std::nullopt;
  auto it = pod->second.find(name);
  if (it == pod->second.end()) return std::nullopt;
  const Entry& e = *it->second;
  ProbedContainer c;
  c.container_id = e.container_id;
  c.running = e.running;
  // A stopped container may come back (restartPolicy); the agent removes
  // the pod when it will not.
  c.terminated = false;
  c.started_at = e.started_at;
  c.started = StartedLocked(e);
  c.target = e.target;
  return c;
}

void ProbeManager::OnResult(const std::string& uid, const std::string& name,
                            ProbeType type, const std::string& container_id,
                            ProbeResult result) {
  {
    std::lock_guard<std::mutex> l(mu_);
    auto pod = pods_.find(uid);
    if (pod == pods_.end()) return;
    auto it = pod->second.find(name);
    if (it == pod->second.end()) return;
    Entry& e = *it->second;
    if (e.container_id != container_id) return;  // a result for the old one
    e.result[Index(type)] = result;
  }
  if (on_change_) on_change_(uid);
}

bool ProbeManager::Started(const std::string& uid,
                           const std::string& name) const {
  std::lock_guard<std::mutex> l(mu_);
  auto pod = pods_.find(uid);
  if (pod == pods_.end()) return false;
  auto it = pod->second.find(name);
  return it != pod->second.end() && StartedLocked(*it->second);
}

bool ProbeManager::Ready(const std::string& uid,
                         const std::string& name) const {
  std::lock_guard<std::mutex> l(mu_);
  auto pod = pods_.find(uid);
  if (pod == pods_.end()) return false;
  auto it = pod->second.find(name);
  if (it == pod->second.end()) return false;
  const Entry& e = *it->second;
  const int r = Index(ProbeType::kReadiness);
  return StartedLocked(e) &&
         (!e.has_probe[r] || e.result[r] == ProbeResult::kSuccess);
}

bool ProbeManager::NeedsRestart(const std::string& uid,
                                const std::string& name) const {
  std::lock_guard<std::mutex> l(mu_);
  auto pod = pods_.find(uid);
  if (pod == pods_.end()) return false;
  auto it = pod->second.find(name);
  if (it == pod->second.end()) return false;
  const Entry& e = *it->second;
  if (!e.running) return false;
  for (ProbeType t : {ProbeType::kLiveness, ProbeType::kStartup}) {
    if (e.has_probe[Index(t)] && e.result[Index(t)] == ProbeResult::kFailure) {
      return true;
    }
  }
  return false;
}

void ProbeManager::RemovePod(const std::string& uid) {
  std::map<std::string, std::unique_ptr<Entry>> entries;
  {
    std::lock_guard<std::mutex> l(mu_);
    auto pod = pods_.find(uid);
    if (pod == pods_.end()) return;
    entries.swap(pod->second);
    pods_.erase(pod);
  }
  entries.clear();  // stops the workers outside the lock
}

}  // namespace berth::node
