// Fakes for node agent unit tests: a ContainerRuntime and a PodNetwork that
// keep their sandboxes and containers in memory and log every call in
// order, a settable Clock, and a Client holding pods, secrets and the
// deletes it was asked for.
//
// Thread safety: each fake locks its own state; tests drive them from one
// thread (the agent's terminate path stops containers from helper threads).
#ifndef BERTH_TESTS_UNIT_NODE_FAKE_RUNTIME_H_
#define BERTH_TESTS_UNIT_NODE_FAKE_RUNTIME_H_

#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "berth/json.h"
#include "berth/network.h"
#include "berth/runtime.h"
#include "clock.h"
#include "tests/support/unavailable_client.h"

namespace berth::node {

class FakeClock : public Clock {
 public:
  TimePoint Now() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return now_;
  }
  void Advance(std::chrono::milliseconds d) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += d;
  }

 private:
  mutable std::mutex mu_;
  TimePoint now_ = std::chrono::system_clock::from_time_t(1700000000);
};

class FakeRuntime : public ContainerRuntime {
 public:
  explicit FakeRuntime(const Clock* clock) : clock_(clock) {}
  std::string Name() const override { return "fake"; }
  std::string Version() const override { return "1.0"; }

  StatusOr<ImageInfo> PullImage(const std::string& image,
                                const std::optional<ImageAuth>& auth) override {
    std::lock_guard<std::mutex> lock(mu_);
    pulls.push_back(image);
    last_auth = auth;
    if (auto it = pull_errors.find(image); it != pull_errors.end()) {
      return it->second;
    }
    images.insert(image);
    return ImageInfo{"sha256:" + image, {image}, {}, 1000, {}};
  }
  StatusOr<ImageInfo> ImageStatus(const std::string& image) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (!images.count(image)) return Status::NotFound(image);
    return ImageInfo{"sha256:" + image, {image}, {}, 1000, {}};
  }
  StatusOr<std::string> RunPodSandbox(const PodSandboxConfig& c) override {
    std::lock_guard<std::mutex> lock(mu_);
    const std::string id = "sb" + std::to_string(++next_id_);
    PodSandboxStatus s;
    s.id = id;
    s.state = SandboxState::kReady;
    s.name = c.name;
    s.pod_namespace = c.pod_namespace;
    s.uid = c.uid;
    s.attempt = c.attempt;
    s.netns_path = c.host_network ? "" : "/run/netns/" + id;
    s.labels = c.labels;
    sandboxes[id] = s;
    sandbox_configs[id] = c;
    calls.push_back("RunPodSandbox " + c.name);
    return id;
  }
  Status StopPodSandbox(const std::string& id) override {
    std::lock_guard<std::mutex> lock(mu_);
    calls.push_back("StopPodSandbox " + id);
    if (auto it = sandboxes.find(id); it != sandboxes.end()) {
      it->second.state = SandboxState::kNotReady;
    }
    for (auto& [cid, c] : containers) {
      if (c.sandbox_id == id && c.state == ContainerState::kRunning) {
        ExitLocked(c, 137);
      }
    }
    return {};
  }
  Status RemovePodSandbox(const std::string& id) override {
    std::lock_guard<std::mutex> lock(mu_);
    calls.push_back("RemovePodSandbox " + id);
    sandboxes.erase(id);
    std::erase_if(containers,
                  [&](const auto& kv) { return kv.second.sandbox_id == id; });
    return {};
  }
  StatusOr<PodSandboxStatus> SandboxStatus(const std::string& id) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = sandboxes.find(id);
    if (it == sandboxes.end()) return Status::NotFound(id);
    return it->second;
  }
  StatusOr<std::vector<PodSandboxStatus>> ListPodSandboxes() override {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<PodSandboxStatus> out;
    for (auto& [id, s] : sandboxes) out.push_back(s);
    return out;
  }
  StatusOr<std::string> CreateContainer(const std::string& sandbox_id,
                                        const ContainerConfig& c,
                                        const PodSandboxConfig&) override {
    std::lock_guard<std::mutex> lock(mu_);
    const std::string id = "c" + std::to_string(++next_id_);
    ContainerStatus s;
    s.id = id;
    s.sandbox_id = sandbox_id;
    s.name = c.name;
    s.attempt = c.attempt;
    s.state = ContainerState::kCreated;
    s.created_at = clock_->Now();
    s.image = c.image;
    s.image_id = "sha256:" + c.image;
    s.log_path = c.log_path;
    s.labels = c.labels;
    containers[id] = s;
    configs[id] = c;
    calls.push_back("CreateContainer " + c.name + " " +
                    std::to_string(c.attempt));
    return id;
  }
  Status StartContainer(const std::string& id) override {
    std::lock_guard<std::mutex> lock(mu_);
    calls.push_back("StartContainer " + containers[id].name);
    containers[id].state = ContainerState::kRunning;
    containers[id].started_at = clock_->Now();
    return {};
  }
  Status StopContainer(const std::string& id,
                       std::chrono::seconds grace) override {
    WaitWhileHeld(id);
    std::lock_guard<std::mutex> lock(mu_);
    calls.push_back("StopContainer " + containers[id].name + " " +
                    std::to_string(grace.count()));
    if (containers[id].state == ContainerState::kRunning) {
      ExitLocked(containers[id], 143);
    }
    return {};
  }
  Status RemoveContainer(const std::string& id) override {
    std::lock_guard<std::mutex> lock(mu_);
    calls.push_back("RemoveContainer " + id);
    containers.erase(id);
    return {};
  }
  StatusOr<ContainerStatus> GetContainerStatus(const std::string& id) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = containers.find(id);
    if (it == containers.end()) return Status::NotFound(id);
    return it->second;
  }
  // Images for garbage collection: `stored` and `fs`; a removal frees
  // the image's size on the file system; ids in `remove_errors` fail.
  StatusOr<std::vector<ImageInfo>> ListImages() override {
    std::lock_guard<std::mutex> lock(mu_);
    return stored;
  }
  Status RemoveImage(const std::string& id) override {
    std::lock_guard<std::mutex> lock(mu_);
    calls.push_back("RemoveImage " + id);
    if (remove_errors.count(id)) return Status::Internal("busy");
    for (auto it = stored.begin(); it != stored.end(); ++it) {
      if (it->id != id) continue;
      fs.available_bytes += it->size_bytes;
      stored.erase(it);
      return {};
    }
    return Status::NotFound(id);
  }
  StatusOr<ImageFsUsage> ImageFsInfo() override {
    std::lock_guard<std::mutex> lock(mu_);
    return fs;
  }
  StatusOr<std::vector<ContainerStatus>> ListContainers() override {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<ContainerStatus> out;
    for (auto& [id, c] : containers) out.push_back(c);
    return out;
  }
  StatusOr<ExecSyncResult> ExecSync(const std::string&,
                                    const std::vector<std::string>&,
                                    std::chrono::seconds) override {
    return ExecSyncResult{};
  }
  StatusOr<int> Exec(const std::string& id, const std::vector<std::string>& cmd,
                     ExecStreams& streams) override {
    std::lock_guard<std::mutex> lock(mu_);
    std::string line = "Exec " + id;
    for (const auto& a : cmd) line += " " + a;
    calls.push_back(line);
    streams.WriteStdout("out");
    return 3;
  }
  Status PortForward(const std::string& sandbox_id,
                     PortForwardStream& stream) override {
    return Status::Unavailable("connection refused");
  }

  // StopContainer of containers named `name` waits until ReleaseStops.
  void HoldStops(const std::string& name) {
    std::lock_guard<std::mutex> lock(hold_mu_);
    held_.insert(name);
  }
  void ReleaseStops(const std::string& name) {
    std::lock_guard<std::mutex> lock(hold_mu_);
    held_.erase(name);
    hold_cv_.notify_all();
  }

  // The newest container named `name`.
  ContainerStatus* Latest(const std::string& name) {
    std::lock_guard<std::mutex> lock(mu_);
    ContainerStatus* best = nullptr;
    for (auto& [id, c] : containers) {
      if (c.name == name && (!best || c.attempt > best->attempt)) best = &c;
    }
    return best;
  }
  // The running container `name` exits with `code` now.
  void Exit(const std::string& name, int code) {
    ContainerStatus* c = Latest(name);
    std::lock_guard<std::mutex> lock(mu_);
    if (c) ExitLocked(*c, code);
  }
  int Count(const std::string& prefix) {
    std::lock_guard<std::mutex> lock(mu_);
    int n = 0;
    for (const auto& c : calls) n += c.rfind(prefix, 0) == 0;
    return n;
  }

  std::mutex mu_;
  std::set<std::string> images;
  std::vector<ImageInfo> stored;
  ImageFsUsage fs;
  std::set<std::string> remove_errors;
  std::map<std::string, Status> pull_errors;
  std::vector<std::string> pulls;
  std::optional<ImageAuth> last_auth;
  std::map<std::string, PodSandboxStatus> sandboxes;
  std::map<std::string, PodSandboxConfig> sandbox_configs;
  std::map<std::string, ContainerStatus> containers;
  std::map<std::string, ContainerConfig> configs;
  std::vector<std::string> calls;

 private:
  void ExitLocked(ContainerStatus& c, int code) {
    c.state = ContainerState::kExited;
    c.exit_code = code;
    c.finished_at = clock_->Now();
  }
  void WaitWhileHeld(const std::string& id) {
    std::string name;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (auto it = containers.find(id); it != containers.end()) {
        name = it->second.name;
      }
    }
    std::unique_lock<std::mutex> lock(hold_mu_);
    hold_cv_.wait(lock, [&] { return !held_.count(name); });
  }
  const Clock* clock_;
  int next_id_ = 0;
  std::mutex hold_mu_;
  std::condition_variable hold_cv_;
  std::set<std::string> held_;
};

class FakeNetwork : public PodNetwork {
 public:
  explicit FakeNetwork(FakeRuntime* log) : log_(log) {}
  std::string Name() const override { return "fakenet"; }
  Status SetNodePodCidr(const std::string& cidr) override {
    std::lock_guard<std::mutex> lock(mu_);
    pod_cidr_ = cidr;
    return {};
  }
  StatusOr<PodNetworkStatus> SetUp(const PodNetworkRequest& req) override {
    Record("SetUp " + req.sandbox_id);
    std::lock_guard<std::mutex> lock(mu_);
    if (require_pod_cidr && pod_cidr_.empty()) {
      return Status::Unavailable("no pod CIDR for this node yet");
    }
    attached[req.sandbox_id] = "10.88.0." + std::to_string(++next_);
    last_ports = req.port_mappings;
    return PodNetworkStatus{{attached[req.sandbox_id]}, "eth0"};
  }
  Status Check(const PodNetworkRequest&) override { return {}; }
  StatusOr<PodNetworkStatus> Inspect(const PodNetworkRequest& req) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = attached.find(req.sandbox_id);
    if (it == attached.end()) return Status::NotFound(req.sandbox_id);
    return PodNetworkStatus{{it->second}, "eth0"};
  }
  Status TearDown(const PodNetworkRequest& req) override {
    Record("TearDown " + req.sandbox_id);
    std::lock_guard<std::mutex> lock(mu_);
    attached.erase(req.sandbox_id);
    return {};
  }
  std::map<std::string, std::string> attached;
  std::vector<PortMapping> last_ports;
  // SetUp fails until SetNodePodCidr gave a CIDR, as the cni plugin's
  // default network (a podCIDR placeholder) does.
  bool require_pod_cidr = false;

 private:
  // Network calls go into the runtime's call log, so tests see one order.
  void Record(const std::string& call) {
    std::lock_guard<std::mutex> lock(log_->mu_);
    log_->calls.push_back(call);
  }
  FakeRuntime* log_;
  std::mutex mu_;
  int next_ = 1;
  std::string pod_cidr_;
};

// Pods and secrets by "resource/ns/name"; Update stores; Delete records.
class PodClient : public testing::UnavailableClient {
 public:
  StatusOr<std::string> Get(const ResourceRef& r, const std::string& ns,
                            const std::string& name) override {
    std::lock_guard<std::mutex> lock(mu);
    auto it = objects.find(r.resource + "/" + ns + "/" + name);
    if (it == objects.end()) return Status::NotFound(name + " not found");
    return it->second;
  }
  StatusOr<std::string> Update(const ResourceRef& r, const std::string& ns,
                               const std::string& object,
                               const std::string& subresource) override {
    auto doc = ParseJson(object);
    std::lock_guard<std::mutex> lock(mu);
    const std::string key =
        r.resource + "/" + ns + "/" + GetString(*doc, {"metadata", "name"});
    objects[key] = object;
    if (subresource == "status") ++status_writes;
    return object;
  }
  Status Delete(const ResourceRef& r, const std::string& ns,
                const std::string& name, const DeleteOptions& opts) override {
    std::lock_guard<std::mutex> lock(mu);
    deletes.push_back(opts);
    objects.erase(r.resource + "/" + ns + "/" + name);
    return {};
  }
  std::mutex mu;
  std::map<std::string, std::string> objects;
  std::vector<DeleteOptions> deletes;
  int status_writes = 0;
};

}  // namespace berth::node

#endif  // BERTH_TESTS_UNIT_NODE_FAKE_RUNTIME_H_
