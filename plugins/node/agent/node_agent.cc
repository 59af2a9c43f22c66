#include "node_agent.h"

#include <unistd.h>

#include <filesystem>
#include <set>

#include "berth/events.h"
#include "framework/quantity.h"
#include "image_gc.h"
#include "node_lease.h"
#include "node_object.h"
#include "node_parts.h"
#include "pod_host_check.h"

namespace berth::node {
namespace {

const ResourceRef kNodes{"", "v1", "nodes"};
const ResourceRef kPods{"", "v1", "pods"};
const ResourceRef kLeases{"coordination.k8s.io", "v1", "leases"};
constexpr int kStatusAttempts = 5;

std::string Names(
    const std::map<std::string, std::shared_ptr<ContainerRuntime>>& runtimes) {
  std::string out;
  for (const auto& [name, rt] : runtimes)
    out += (out.empty() ? "" : ", ") + name;
  return out.empty() ? "none" : out;
}

}  // namespace

NodeAgent::NodeAgent(Host& host, NodeSettings settings)
    : host_(host),
      settings_(std::move(settings)),
      rotator_(LogRotation{settings_.log_max_bytes,
                           std::max(2, settings_.log_max_files),
                           LogRotation::Naming::kTimestamp}) {}

NodeAgent::~NodeAgent() { Stop(); }

void NodeAgent::RecordPodEvent(const Json& pod, const std::string& type,
                               const std::string& reason,
                               const std::string& message,
                               const std::string& field_path) {
  ObjectReference ref = ReferenceTo(pod);
  if (ref.api_version.empty()) ref.api_version = "v1";
  if (ref.kind.empty()) ref.kind = "Pod";
  ref.field_path = field_path;
  host_.RecordEvent("kubelet", ref, type, reason, message);
}

std::string NodeAgent::KeyOfUid(const std::string& uid) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [key, u] : uid_of_key_) {
    if (u == uid) return key;
  }
  return "";
}

void NodeAgent::RotateLogs() {
  for (auto& [name, rt] : runtimes_) {
    auto list = rt->ListContainers();
    if (!list.ok()) continue;
    for (const auto& c : *list) {
      if (c.state != ContainerState::kRunning || c.log_path.empty()) continue;
      ContainerRuntime* runtime = rt.get();
      auto rotated = rotator_.RotateIfNeeded(c.log_path, [runtime, id = c.id] {
        return runtime->ReopenContainerLog(id);
      });
      if (!rotated.ok()) {
        Log(kLogWarn,
            "rotating " + c.log_path + ": " + rotated.status().ToString());
      }
    }
  }
}

void NodeAgent::Log(int level, const std::string& message) {
  host_.Log(level, "node", message);
}

Status NodeAgent::Start() {
  for (auto& rt : host_.ContainerRuntimes()) runtimes_[rt->Name()] = rt;
  // A machine that cannot run pods (not root, no cgroups, the runtime's or
  // the network's plugin not loaded or skipped for a missing binary) still
  // serves the API: its Node says why it is NotReady, as kubelet's does.
  std::string problem = PodHostProblem(geteuid(), "/sys/fs/cgroup");
  if (problem.empty() && !runtimes_.count(settings_.runtime)) {
    problem = "container runtime \"" + settings_.runtime +
              "\" is not loaded (loaded: " + Names(runtimes_) +
              "); enable its plugin or set settings.runtime";
  }
  if (settings_.network != "none") {
    std::string loaded;
    for (auto& n : host_.PodNetworks()) {
      if (n->Name() == settings_.network) network_ = n;
      loaded += (loaded.empty() ? "" : ", ") + n->Name();
    }
    if (problem.empty() && !network_) {
      problem = "pod network \"" + settings_.network + "\" is not loaded (" +
                (loaded.empty() ? "none" : loaded) +
                "); enable its plugin or set settings.network: none";
    }
  }
  if (!problem.empty()) return StartNotReady(problem);
  std::error_code ec;
  std::filesystem::create_directories(settings_.root_dir + "/pods", ec);
  if (ec) {
    return Status::Internal("node: cannot create " + settings_.root_dir + ": " +
                            ec.message());
  }
  facts_ = ReadHostFacts(settings_.root_dir);
  volumes_ = MakePodVolumes(host_.client(), settings_.root_dir + "/pods");
  env_ = MakeEnvResolver(
      host_.client(), [this](const Json& pod, const std::string& message) {
        RecordPodEvent(pod, "Warning", "InvalidEnvironmentVariableNames",
                       message, "");
      });
  probes_ = MakePodProbes(
      *runtimes_.at(settings_.runtime),
      [this](const std::string& uid, const std::string& name,
             const ProbeEvent& event) {
        const std::string key = KeyOfUid(uid);
        if (key.empty()) return;
        const size_t slash = key.find('/');
        ObjectReference ref;
        ref.api_version = "v1";
        ref.kind = "Pod";
        ref.ns = key.substr(0, slash);
        ref.name = key.substr(slash + 1);
        ref.uid = uid;
        ref.field_path = "spec.containers{" + name + "}";
        host_.RecordEvent("kubelet", ref, event.type, event.reason,
                          event.message);
      },
      [this](const std::string& uid) {
        const std::string key = KeyOfUid(uid);
        if (!key.empty()) queue_.Add(key);
      });

  PodSyncerDeps deps;
  deps.client = &host_.client();
  for (auto& [name, rt] : runtimes_) deps.runtimes[name] = rt.get();
  deps.network = network_.get();
  deps.volumes = volumes_.get();
  deps.env = env_.get();
  deps.probes = probes_.get();
  deps.clock = &clock_;
  deps.settings = settings_;
  deps.host_ip = facts_.internal_ip;
  deps.terminate_async = true;
  const auto capacity = NodeCapacity(settings_, facts_);
  deps.allocatable_milli_cpu =
      scheduler::ParseMilli(capacity.at("cpu")).value_or(0);
  deps.allocatable_memory =
      scheduler::ParseValue(capacity.at("memory")).value_or(0);
  deps.allocatable = capacity;
  deps.record_event = [this](const Json& pod, const std::string& type,
                             const std::string& reason,
                             const std::string& message,
                             const std::string& field_path) {
    RecordPodEvent(pod, type, reason, message, field_path);
  };
  syncer_ = std::make_unique<PodSyncer>(std::move(deps));

  if (Status s = RegisterNode(); !s.ok()) {
    return Status(s.code(), "node: registering " + settings_.node_name + ": " +
                                s.message());
  }

  // Recovery: what still runs for pods that exist is adopted; the rest goes.
  ListOptions on_node;
  on_node.field_selector = "spec.nodeName=" + settings_.node_name;
  auto list = host_.client().List(kPods, "", on_node);
  if (!list.ok()) return list.status();
  auto pods = ParseJson(*list);
  if (!pods.ok()) return pods.status();
  std::set<std::string> live;
  if (const Json* items = Member(*pods, "items"); items && items->IsArray()) {
    for (const auto& p : items->GetArray()) {
      live.insert(GetString(p, {"metadata", "uid"}));
    }
  }
  if (Status s = syncer_->Recover(live); !s.ok()) {
    Log(kLogWarn, "recovery: " + s.ToString());
  }

  if (Status s = WatchPods(); !s.ok()) return s;
  std::lock_guard<std::mutex> lock(mu_);
  for (int i = 0; i < settings_.workers; ++i) {
    threads_.emplace_back([this] { Worker(); });
  }
  threads_.emplace_back([this] { HeartbeatLoop(); });
  threads_.emplace_back([this] { RelistLoop(); });
  threads_.emplace_back([this] { ImageGcLoop(); });
  Log(kLogInfo, "node " + settings_.node_name + " registered (runtime " +
                    settings_.runtime + ", network " + settings_.network + ")");
  return {};
}

Status NodeAgent::StartNotReady(const std::string& problem) {
  not_ready_message_ = "container runtime network not ready: " + problem;
  network_.reset();  // no pod CIDR to hand out, no pods to attach
  if (Status s = RegisterNode(); !s.ok()) {
    return Status(s.code(), "node: registering " + settings_.node_name + ": " +
                                s.message());
  }
  std::lock_guard<std::mutex> lock(mu_);
  threads_.emplace_back([this] { HeartbeatLoop(); });
  Log(kLogWarn, "node " + settings_.node_name + " cannot run pods: " + problem +
                    "; the Node stays NotReady");
  return {};
}

void NodeAgent::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    cv_.notify_all();
  }
  queue_.ShutDown();
  for (auto& t : threads_) t.join();
  threads_.clear();
  // After the relist loop is joined: it is the other thread that replaces
  // the watch.
  pod_watch_.reset();
  // Waits for pods still terminating (their grace periods).
  syncer_.reset();
}

Status NodeAgent::WatchPods() {
  // Only this node's pods, as the kubelet watches: a pod bound here
  // arrives ADDED; other nodes' pods never cross the wire.
  ListOptions on_node;
  on_node.field_selector = "spec.nodeName=" + settings_.node_name;
  auto watch = host_.client().WatchSelected(
      kPods, "", "0", on_node, [this](const WatchEvent& e) { OnPodEvent(e); });
  if (!watch.ok()) return watch.status();
  pod_watch_ = std::move(watch).value();
  return {};
}

void NodeAgent::RewatchPods() {
  // The old handle goes first (its destructor waits for a callback in
  // flight), so no ERROR of the old watch lands after the flag is cleared.
  pod_watch_.reset();
  {
    std::lock_guard<std::mutex> lock(mu_);
    watch_lost_ = false;
  }
  if (Status s = WatchPods(); !s.ok()) {
    // Once per outage, not every second while the server is down.
    if (!rewatch_failing_) {
      Log(kLogWarn,
          "watching pods again: " + s.ToString() + "; retrying every second");
    }
    rewatch_failing_ = true;
    std::lock_guard<std::mutex> lock(mu_);
    watch_lost_ = true;
    return;
  }
  // Pods deleted while no watch was open sent no event: every pod the
  // agent knows is looked at again (the sync reads it from the API).
  std::vector<std::string> keys;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [key, uid] : uid_of_key_) keys.push_back(key);
  }
  for (const auto& key : keys) queue_.Add(key);
  rewatch_failing_ = false;
  Log(kLogInfo, "pod watch opened again");
}

Status NodeAgent::RegisterNode() {
  auto created = host_.client().Create(kNodes, "", BuildNodeJson(settings_));
  if (!created.ok() && !created.status().IsAlreadyExists()) {
    return created.status();
  }
  if (Status s = PostNodeStatus(); !s.ok()) return s;
  return RenewLease();
}

Status NodeAgent::PostNodeStatus() {
  Status last;
  std::string version = settings_.runtime;
  if (auto it = runtimes_.find(settings_.runtime); it != runtimes_.end()) {
    version = it->second->Name() + "://" + it->second->Version();
  }
  for (int attempt = 0; attempt < kStatusAttempts; ++attempt) {
    auto got = host_.client().Get(kNodes, "", settings_.node_name);
    if (!got.ok()) return got.status();
    auto doc = ParseJson(*got);
    if (!doc.ok()) return doc.status();
    node_uid_ = GetString(*doc, {"metadata", "uid"});
    TakePodCidr(*doc);
    facts_ = ReadHostFacts(settings_.root_dir);
    kubelet::NodePressure pressure;
    // The kubelet's default hard eviction thresholds.
    pressure.memory =
        facts_.memory_available > 0 && facts_.memory_available < (100 << 20);
    pressure.disk = facts_.ephemeral_bytes > 0 &&
                    facts_.ephemeral_available * 10 < facts_.ephemeral_bytes;
    pressure.not_ready_message = not_ready_message_;
    auto& a = doc->GetAllocator();
    Json status = BuildNodeStatus(settings_, facts_, version, pressure,
                                  Member(*doc, "status"), clock_.Now(), a);
    // A patch, as the kubelet's: no resourceVersion to lose to the node
    // controllers writing the Node at the same time (podCIDR, taints).
    Json patch(rapidjson::kObjectType);
    SetMember(patch, "status", std::move(status), a);
    auto updated = host_.client().MergePatch(kNodes, "", settings_.node_name,
                                             ToJson(patch), "status");
    if (updated.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      last_status_ = std::chrono::steady_clock::now();
      return {};
    }
    last = updated.status();
    if (!last.IsConflict()) return last;
  }
  return last;
}

Status NodeAgent::RenewLease() {
  const auto now = clock_.Now();
  auto patched = host_.client().MergePatch(
      kLeases, kubelet::kNodeLeaseNamespace, settings_.node_name,
      kubelet::LeaseRenewPatch(settings_.node_name, now));
  if (patched.ok()) return {};
  if (!patched.status().IsNotFound()) return patched.status();
  auto created = host_.client().Create(
      kLeases, kubelet::kNodeLeaseNamespace,
      kubelet::BuildLeaseJson(settings_.node_name, node_uid_, now));
  if (created.ok() || created.status().IsAlreadyExists()) return {};
  return created.status();
}

void NodeAgent::TakePodCidr(const Json& node) {
  const std::string cidr = GetString(node, {"spec", "podCIDR"});
  if (!network_ || cidr.empty() || cidr == pod_cidr_ ||
      !network_->SetNodePodCidr(cidr).ok()) {
    return;
  }
  const bool first = pod_cidr_.empty();
  pod_cidr_ = cidr;
  if (!first) return;
  // Pods that came before it failed their sandbox's network and wait out
  // a retry delay: they go now.
  std::vector<std::string> keys;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [key, uid] : uid_of_key_) keys.push_back(key);
  }
  for (const auto& key : keys) queue_.Add(key);
}

void NodeAgent::HeartbeatLoop() {
  // Node IPAM gives the Node its pod CIDR just after registration: until
  // it shows, the Node is read every second instead of every heartbeat, so
  // pods do not wait a heartbeat for their network.
  constexpr auto kCidrPoll = std::chrono::seconds(1);
  auto next_beat = std::chrono::steady_clock::now() + settings_.heartbeat;
  while (true) {
    const bool cidr_pending = network_ && pod_cidr_.empty();
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_until(
          lock,
          cidr_pending ? std::min(next_beat,
                                  std::chrono::steady_clock::now() + kCidrPoll)
                       : next_beat,
          [this] { return stopping_; });
      if (stopping_) return;
    }
    if (std::chrono::steady_clock::now() < next_beat) {
      auto got = host_.client().Get(kNodes, "", settings_.node_name);
      if (got.ok()) {
        if (auto doc = ParseJson(*got); doc.ok()) TakePodCidr(*doc);
      }
      continue;
    }
    next_beat = std::chrono::steady_clock::now() + settings_.heartbeat;
    if (Status s = RenewLease(); !s.ok()) {
      Log(kLogWarn, "lease renewal failed: " + s.ToString());
    }
    bool due;
    {
      std::lock_guard<std::mutex> lock(mu_);
      due = std::chrono::steady_clock::now() - last_status_ >=
            settings_.status_report;
    }
    if (!due) {
      // Someone (the node lifecycle controller) marked the node not Ready:
      // post our own view now, as a kubelet does at its next update.
      auto got = host_.client().Get(kNodes, "", settings_.node_name);
      if (got.ok()) {
        auto doc = ParseJson(*got);
        if (doc.ok()) {
          TakePodCidr(*doc);
          if (const Json* conds = Find(*doc, {"status", "conditions"});
              conds && conds->IsArray()) {
            for (const auto& c : conds->GetArray()) {
              if (GetString(c, {"type"}) == "Ready" &&
                  GetString(c, {"status"}) != "True") {
                due = true;
              }
            }
          }
        }
      } else if (got.status().IsNotFound()) {
        due = true;  // deleted: register again
        (void)host_.client().Create(kNodes, "", BuildNodeJson(settings_));
      }
    }
    if (due) {
      if (Status s = PostNodeStatus(); !s.ok()) {
        Log(kLogWarn, "node status update failed: " + s.ToString());
      }
    }
  }
}

namespace {
// Relist ticks (1 s) between two syncs of every pod.
constexpr int kResyncTicks = 30;
}  // namespace

void NodeAgent::RelistLoop() {
  std::map<std::string, std::string> last;
  for (int tick = 1;; ++tick) {
    bool watch_lost;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
      if (stopping_) return;
      watch_lost = watch_lost_;
    }
    if (watch_lost) RewatchPods();
    std::map<std::string, std::string> keys;
    auto now = syncer_->RuntimeDigest(&keys);
    for (const auto& [uid, digest] : now) {
      auto it = last.find(uid);
      if (it != last.end() && it->second == digest) continue;
      if (auto k = keys.find(uid); k != keys.end()) queue_.Add(k->second);
    }
    // The kubelet's periodic sync (syncFrequency, 1 min): every pod again,
    // so volume contents follow their ConfigMaps and Secrets.
    if (tick % kResyncTicks == 0) {
      for (const auto& [uid, key] : keys) queue_.Add(key);
    }
    last = std::move(now);
    if (tick % 10 == 0) RotateLogs();
  }
}

void NodeAgent::ImageGcLoop() {
  std::map<std::string, bool> failed_before;
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, settings_.image_gc_period,
                   [this] { return stopping_; });
      if (stopping_) return;
    }
    // Every runtime's containers: runtimes of one plugin share images.
    std::vector<ContainerStatus> in_use;
    bool listed = true;
    for (const auto& [name, runtime] : runtimes_) {
      auto containers = runtime->ListContainers();
      if (!containers.ok()) {
        Log(kLogWarn, "image garbage collection: listing " + name +
                          " containers: " + containers.status().message());
        listed = false;
        break;
      }
      in_use.insert(in_use.end(), containers->begin(), containers->end());
    }
    if (!listed) continue;
    for (const auto& [name, runtime] : runtimes_) {
      if (runtime->UsesImages()) {
        CollectImagesOnce(*runtime, in_use, &failed_before[name]);
      }
    }
  }
}

void NodeAgent::CollectImagesOnce(ContainerRuntime& runtime,
                                  const std::vector<ContainerStatus>& in_use,
                                  bool* failed_before) {
  ImageGcPolicy policy;
  policy.high_percent = settings_.image_gc_high_percent;
  policy.low_percent = settings_.image_gc_low_percent;
  policy.min_age = settings_.image_minimum_gc_age;
  // As the kubelet's nodeRef: the uid is the node's name.
  ObjectReference node{
      "v1", "Node", "", settings_.node_name, settings_.node_name, "", ""};
  auto result =
      CollectImages(runtime, in_use, policy, std::chrono::system_clock::now());
  if (!result.ok()) {
    if (result.status().code() == Status::Code::kMethodNotAllowed) return;
    Log(kLogWarn, "image garbage collection (" + runtime.Name() +
                      "): " + result.status().message());
    // As the kubelet: an event for repeated failures only.
    if (*failed_before) {
      host_.RecordEvent("kubelet", node, "Warning", "ImageGCFailed",
                        result.status().message());
    }
    *failed_before = true;
    return;
  }
  *failed_before = false;
  if (!result->removed.empty()) {
    Log(kLogInfo,
        "image garbage collection (" + runtime.Name() + "): disk " +
            std::to_string(result->plan.usage_percent) + "% full, removed " +
            std::to_string(result->removed.size()) + " unused images, " +
            std::to_string(result->freed_bytes) + " bytes");
  }
  if (std::string failure = FreeDiskSpaceFailure(*result); !failure.empty()) {
    host_.RecordEvent("kubelet", node, "Warning", "FreeDiskSpaceFailed",
                      failure);
  }
}

void NodeAgent::OnPodEvent(const WatchEvent& event) {
  if (event.type == "ERROR") {
    // The watch is over: the store closed it (it fell behind) or the
    // connection to a remote server ended. Without a new one the agent
    // would hear of no pod again; the relist loop opens it.
    Log(kLogWarn, "pod watch ended: " + event.object);
    std::lock_guard<std::mutex> lock(mu_);
    watch_lost_ = true;
    return;
  }
  auto doc = ParseJson(event.object);
  if (!doc.ok()) return;
  if (GetString(*doc, {"spec", "nodeName"}) != settings_.node_name) return;
  const std::string key = GetString(*doc, {"metadata", "namespace"}) + "/" +
                          GetString(*doc, {"metadata", "name"});
  // Like the kubelet, a change of status alone (mostly the agent's own
  // writes) does not sync the pod again; the relist and requeues do.
  std::string digest = GetString(*doc, {"metadata", "uid"}) + "|" +
                       GetString(*doc, {"metadata", "deletionTimestamp"});
  for (const char* part : {"spec", "metadata"}) {
    if (const Json* v = Member(*doc, part)) {
      if (std::string_view(part) == "metadata") {
        for (const char* m : {"labels", "annotations"}) {
          if (const Json* x = Member(*v, m)) digest += ToJson(*x);
        }
      } else {
        digest += ToJson(*v);
      }
    }
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::string& seen = seen_digest_[key];
    if (event.type != "DELETED" && seen == digest) return;
    seen = event.type == "DELETED" ? "" : digest;
  }
  queue_.Add(key);
}

void NodeAgent::Worker() {
  std::string key;
  while (queue_.Get(&key)) {
    auto result = Sync(key);
    queue_.Done(key);
    if (!result.ok()) {
      const bool conflict = result.status().IsConflict();
      if (!conflict) {
        Log(kLogWarn, "sync " + key + ": " + result.status().ToString());
      }
      queue_.AddAfter(key, std::chrono::milliseconds(conflict ? 50 : 2000));
    } else if (*result > std::chrono::milliseconds::zero()) {
      queue_.AddAfter(key, *result);
    }
  }
}

StatusOr<std::chrono::milliseconds> NodeAgent::Sync(const std::string& key) {
  const size_t slash = key.find('/');
  const std::string ns = key.substr(0, slash);
  const std::string name = key.substr(slash + 1);
  auto got = host_.client().Get(kPods, ns, name);
  std::string previous_uid;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = uid_of_key_.find(key); it != uid_of_key_.end()) {
      previous_uid = it->second;
    }
  }
  std::string uid;
  std::string node;
  if (got.ok()) {
    auto parsed = ParseJson(*got);
    if (!parsed.ok()) return parsed.status();
    uid = GetString(*parsed, {"metadata", "uid"});
    node = GetString(*parsed, {"spec", "nodeName"});
  } else if (!got.status().IsNotFound()) {
    return got.status();
  }
  const bool ours = got.ok() && node == settings_.node_name;
  if (!previous_uid.empty() && (!ours || previous_uid != uid)) {
    // Gone (or replaced by a namesake): nothing of the old pod may stay.
    if (Status s = syncer_->CleanupPod(previous_uid); !s.ok()) return s;
    std::lock_guard<std::mutex> lock(mu_);
    uid_of_key_.erase(key);
  }
  if (!ours) {
    // A sandbox left for a uid the API no longer has (found by the relist).
    return std::chrono::milliseconds::zero();
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    uid_of_key_[key] = uid;
  }
  return syncer_->SyncPod(*got);
}

}  // namespace berth::node
