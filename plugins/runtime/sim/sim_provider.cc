#include "sim_provider.h"

#include <algorithm>

#include "pod_status.h"
#include "sim_node.h"
#include "timestamps.h"

namespace berth::sim {
namespace {

const ResourceRef kNodes{"", "v1", "nodes"};
const ResourceRef kPods{"", "v1", "pods"};
const ResourceRef kLeases{"coordination.k8s.io", "v1", "leases"};
constexpr const char* kNodeKeyPrefix = "node/";
constexpr int kStatusAttempts = 5;
// Host offsets in a node's /24: .1 is the bridge, .255 the broadcast.
constexpr int kFirstPodHost = 2;
constexpr int kLastPodHost = 254;

std::string Text(const Json* v) {
  return v && v->IsString() ? std::string(v->GetString(), v->GetStringLength())
                            : std::string();
}

// spec.nodeName read straight from the event's text, so pods bound to other
// nodes (most of them, in a large cluster) are never parsed.
std::string NodeNameOf(const std::string& object) {
  static const std::string kKey = "\"nodeName\":\"";
  size_t at = object.find(kKey);
  if (at == std::string::npos) return "";
  at += kKey.size();
  size_t end = object.find('"', at);
  return end == std::string::npos ? "" : object.substr(at, end - at);
}

std::string ConditionStatus(const Json& pod, const char* type) {
  const Json* conds = Find(pod, {"status", "conditions"});
  if (!conds || !conds->IsArray()) return "";
  for (const auto& c : conds->GetArray()) {
    if (Text(Member(c, "type")) == type) return Text(Member(c, "status"));
  }
  return "";
}

}  // namespace

struct SimProvider::NodeState {
  SimNodeSpec spec;
  std::string host_ip;
  std::atomic<bool> paused{false};
  std::mutex mu;  // guards the members below
  std::string uid;
  std::chrono::steady_clock::time_point last_status;
  std::vector<bool> used = std::vector<bool>(256, false);
  std::unordered_map<std::string, int> host_of;  // pod uid -> host offset
  int next_host = kFirstPodHost;
};

SimProvider::SimProvider(Host& host, SimSettings settings)
    : host_(host), client_(host.client()), settings_(std::move(settings)) {
  for (SimNodeSpec& spec : settings_.Nodes()) {
    auto state = std::make_unique<NodeState>();
    state->spec = std::move(spec);
    state->host_ip = FormatIpv4(state->spec.node_ip);
    by_name_[state->spec.name] = state.get();
    nodes_.push_back(std::move(state));
  }
}

SimProvider::~SimProvider() { Stop(); }

void SimProvider::Log(int level, const std::string& message) {
  host_.Log(level, "sim", message);
}

SimProvider::NodeState* SimProvider::FindNode(const std::string& name) {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

Status SimProvider::Start() {
  // Registration in parallel: the store commits concurrent writes together.
  std::atomic<size_t> next{0};
  std::mutex error_mu;
  Status first_error;
  auto register_some = [&] {
    for (size_t i = next++; i < nodes_.size(); i = next++) {
      Status s = RegisterNode(*nodes_[i]);
      if (!s.ok()) {
        std::lock_guard<std::mutex> lock(error_mu);
        if (first_error.ok()) {
          first_error =
              Status::Internal("sim: registering node " + nodes_[i]->spec.name +
                               ": " + s.ToString());
        }
        next = nodes_.size();
      }
    }
  };
  {
    std::vector<std::thread> threads;
    const size_t n = std::min<size_t>(settings_.workers, nodes_.size());
    for (size_t i = 0; i < n; ++i) threads.emplace_back(register_some);
    for (auto& t : threads) t.join();
  }
  if (!first_error.ok()) return first_error;

  auto nodes = client_.Watch(kNodes, "", "0",
                             [this](const WatchEvent& e) { OnNodeEvent(e); });
  if (!nodes.ok()) return nodes.status();
  node_watch_ = std::move(nodes).value();
  auto pods = client_.Watch(kPods, "", "0",
                            [this](const WatchEvent& e) { OnPodEvent(e); });
  if (!pods.ok()) return pods.status();
  pod_watch_ = std::move(pods).value();

  std::lock_guard<std::mutex> lock(mu_);
  started_ = true;
  for (int i = 0; i < settings_.workers; ++i) {
    workers_.emplace_back([this] { Worker(); });
  }
  const size_t loops = static_cast<size_t>(std::max(1, settings_.workers));
  for (size_t k = 0; k < loops; ++k) {
    heartbeats_.emplace_back([this, k, loops] { HeartbeatLoop(k, loops); });
  }
  Log(kLogInfo, "registered " + std::to_string(nodes_.size()) + " nodes");
  return Status::Ok();
}

void SimProvider::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    cv_.notify_all();
  }
  // Closing a watch waits for its running callback; no lock is held here.
  pod_watch_.reset();
  node_watch_.reset();
  queue_.ShutDown();
  for (auto& w : workers_) w.join();
  workers_.clear();
  for (auto& h : heartbeats_) h.join();
  heartbeats_.clear();
}

Status SimProvider::RegisterNode(NodeState& node) {
  auto created = client_.Create(kNodes, "", BuildNodeJson(node.spec));
  if (created.ok()) {
    auto doc = ParseJson(*created);
    if (!doc.ok()) return doc.status();
    const auto now = std::chrono::system_clock::now();
    SetMember(*doc, "status",
              BuildNodeStatus(node.spec, nullptr, now, doc->GetAllocator()),
              doc->GetAllocator());
    {
      std::lock_guard<std::mutex> lock(node.mu);
      node.uid = Text(Find(*doc, {"metadata", "uid"}));
      node.last_status = std::chrono::steady_clock::now();
    }
    auto updated = client_.Update(kNodes, "", ToJson(*doc), "status");
    if (!updated.ok()) {
      // Someone wrote it in between; the full path reads it again.
      if (Status s = PostNodeStatus(node); !s.ok()) return s;
    }
    // A new node has no Lease yet (a stale one from a node of the same name
    // is renewed instead).
    auto lease = client_.Create(
        kLeases, kNodeLeaseNamespace,
        BuildLeaseJson(node.spec.name, Text(Find(*doc, {"metadata", "uid"})),
                       now));
    if (lease.ok()) return Status::Ok();
    if (!lease.status().IsAlreadyExists()) return lease.status();
  } else if (created.status().IsAlreadyExists()) {
    if (Status s = PostNodeStatus(node); !s.ok()) return s;
    if (node.paused.load()) return Status::Ok();
  } else {
    return created.status();
  }
  return RenewLease(node);
}

Status SimProvider::PostNodeStatus(NodeState& node) {
  Status last;
  for (int attempt = 0; attempt < kStatusAttempts; ++attempt) {
    auto got = client_.Get(kNodes, "", node.spec.name);
    if (!got.ok()) return got.status();
    auto doc = ParseJson(*got);
    if (!doc.ok()) return doc.status();
    // Silenced before a restart: stays silent.
    if (Text(Find(*doc, {"metadata", "annotations", kHeartbeatAnnotation})) ==
        "false") {
      node.paused = true;
      return Status::Ok();
    }
    auto& a = doc->GetAllocator();
    const Json* old = Member(*doc, "status");
    Json status =
        BuildNodeStatus(node.spec, old, std::chrono::system_clock::now(), a);
    SetMember(*doc, "status", std::move(status), a);
    {
      std::lock_guard<std::mutex> lock(node.mu);
      node.uid = Text(Find(*doc, {"metadata", "uid"}));
    }
    auto updated = client_.Update(kNodes, "", ToJson(*doc), "status");
    if (updated.ok()) {
      std::lock_guard<std::mutex> lock(node.mu);
      node.last_status = std::chrono::steady_clock::now();
      return Status::Ok();
    }
    last = updated.status();
    if (!last.IsConflict()) return last;
  }
  return last;
}

Status SimProvider::RenewLease(NodeState& node) {
  const auto now = std::chrono::system_clock::now();
  auto patched =
      client_.MergePatch(kLeases, kNodeLeaseNamespace, node.spec.name,
                         kubelet::LeaseRenewPatch(node.spec.name, now));
  if (patched.ok()) return Status::Ok();
  if (!patched.status().IsNotFound()) return patched.status();
  std::string uid;
  {
    std::lock_guard<std::mutex> lock(node.mu);
    uid = node.uid;
  }
  auto created = client_.Create(kLeases, kNodeLeaseNamespace,
                                BuildLeaseJson(node.spec.name, uid, now));
  if (created.ok() || created.status().IsAlreadyExists()) return Status::Ok();
  return created.status();
}

void SimProvider::HeartbeatLoop(size_t first, size_t stride) {
  const size_t n = nodes_.size();
  while (true) {
    const auto cycle_start = std::chrono::steady_clock::now();
    for (size_t i = first; i < std::max<size_t>(n, 1); i += stride) {
      const auto slot =
          cycle_start + std::chrono::duration_cast<std::chrono::milliseconds>(
                            settings_.heartbeat) *
                            static_cast<int64_t>(i) /
                            static_cast<int64_t>(std::max<size_t>(n, 1));
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait_until(lock, slot, [this] { return stopping_; });
        if (stopping_) return;
      }
      if (n == 0) break;
      NodeState& node = *nodes_[i];
      if (node.paused.load()) continue;
      if (Status s = RenewLease(node); !s.ok()) {
        Log(kLogWarn, "node " + node.spec.name +
                          ": lease renewal failed: " + s.ToString());
      }
      bool report;
      {
        std::lock_guard<std::mutex> lock(node.mu);
        report = std::chrono::steady_clock::now() - node.last_status >=
                 settings_.status_report;
      }
      if (report) {
        if (Status s = PostNodeStatus(node); !s.ok()) {
          Log(kLogWarn, "node " + node.spec.name +
                            ": status update failed: " + s.ToString());
        }
      }
    }
    if (first >= n) {  // no nodes of its own: idle
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, settings_.heartbeat, [this] { return stopping_; });
      if (stopping_) return;
    }
  }
}

void SimProvider::OnNodeEvent(const WatchEvent& event) {
  if (event.type != "ADDED" && event.type != "MODIFIED") return;
  auto doc = ParseJson(event.object);
  if (!doc.ok()) return;
  NodeState* node = FindNode(Text(Find(*doc, {"metadata", "name"})));
  if (!node) return;
  const bool paused =
      Text(Find(*doc, {"metadata", "annotations", kHeartbeatAnnotation})) ==
      "false";
  const bool was_paused = node->paused.exchange(paused);
  if (paused) {
    if (!was_paused) {
      Log(kLogInfo, "node " + node->spec.name + ": heartbeats stopped");
    }
    return;
  }
  // Resumed, or marked not Ready by someone else while heartbeating: a
  // kubelet posts its own view at its next status update.
  std::string ready;
  if (const Json* conds = Find(*doc, {"status", "conditions"});
      conds && conds->IsArray()) {
    for (const auto& c : conds->GetArray()) {
      if (Text(Member(c, "type")) == "Ready") ready = Text(Member(c, "status"));
    }
  }
  if (was_paused || (!ready.empty() && ready != "True")) {
    queue_.Add(kNodeKeyPrefix + node->spec.name);
  }
}

void SimProvider::OnPodEvent(const WatchEvent& event) {
  NodeState* node = FindNode(NodeNameOf(event.object));
  if (!node) return;
  auto doc = ParseJson(event.object);
  if (!doc.ok()) return;
  if (event.type == "DELETED") {
    ReleaseIp(*node, Text(Find(*doc, {"metadata", "uid"})));
    return;
  }
  if (event.type != "ADDED" && event.type != "MODIFIED") return;
  queue_.Add(Text(Find(*doc, {"metadata", "namespace"})) + "/" +
             Text(Find(*doc, {"metadata", "name"})));
}

void SimProvider::Worker() {
  std::string key;
  while (queue_.Get(&key)) {
    auto result = Sync(key);
    queue_.Done(key);
    if (!result.ok()) {
      const bool conflict = result.status().IsConflict();
      if (!conflict) {
        Log(kLogWarn, "sync " + key + " failed: " + result.status().ToString());
      }
      queue_.AddAfter(key, std::chrono::milliseconds(conflict ? 20 : 1000));
    } else if (*result > std::chrono::milliseconds::zero()) {
      queue_.AddAfter(key, *result);
    }
  }
}

StatusOr<std::chrono::milliseconds> SimProvider::Sync(const std::string& key) {
  const std::string prefix = kNodeKeyPrefix;
  if (key.compare(0, prefix.size(), prefix) == 0) {
    NodeState* node = FindNode(key.substr(prefix.size()));
    if (!node || node->paused.load()) return std::chrono::milliseconds::zero();
    if (Status s = RenewLease(*node); !s.ok()) return s;
    if (Status s = PostNodeStatus(*node); !s.ok()) return s;
    // Back from silence: report the node's pods again, as a restarted
    // kubelet does (the node lifecycle controller marked them not Ready).
    ListOptions on_node;
    on_node.field_selector = "spec.nodeName=" + node->spec.name;
    auto list = client_.List(kPods, "", on_node);
    if (!list.ok()) return list.status();
    auto pods = ParseJson(*list);
    if (!pods.ok()) return pods.status();
    if (const Json* items = Member(*pods, "items"); items && items->IsArray()) {
      for (const auto& pod : items->GetArray()) {
        queue_.Add(Text(Find(pod, {"metadata", "namespace"})) + "/" +
                   Text(Find(pod, {"metadata", "name"})));
      }
    }
    return std::chrono::milliseconds::zero();
  }
  const size_t slash = key.find('/');
  return SyncPod(key.substr(0, slash), key.substr(slash + 1));
}

StatusOr<std::chrono::milliseconds> SimProvider::SyncPod(
    const std::string& ns, const std::string& name) {
  constexpr std::chrono::milliseconds kDone{0};
  auto got = client_.Get(kPods, ns, name);
  if (!got.ok()) {
    if (got.status().IsNotFound()) return kDone;
    return got.status();
  }
  auto doc = ParseJson(*got);
  if (!doc.ok()) return doc.status();
  NodeState* node = FindNode(Text(Find(*doc, {"spec", "nodeName"})));
  // A silent node's kubelet does nothing; its pods are looked at again when
  // it resumes.
  if (!node || node->paused.load()) return kDone;
  auto& a = doc->GetAllocator();
  const std::string uid = Text(Find(*doc, {"metadata", "uid"}));
  const std::string phase = Text(Find(*doc, {"status", "phase"}));
  const bool finished = phase == "Succeeded" || phase == "Failed";
  const auto now = std::chrono::system_clock::now();
  auto write = [&](Json status) -> Status {
    SetMember(*doc, "status", std::move(status), a);
    auto updated = client_.Update(kPods, ns, ToJson(*doc), "status");
    if (updated.ok() || updated.status().IsNotFound()) return Status::Ok();
    return updated.status();
  };

  if (Find(*doc, {"metadata", "deletionTimestamp"})) {
    // As kubelet: stop the containers, report them exited, then finish the
    // graceful deletion (period 0, this very pod); what else holds the
    // object (finalizers) decides when it goes.
    if (!finished) {
      if (Status s = write(BuildFinishedStatus(*doc, 0, now, a)); !s.ok()) {
        return s;
      }
    }
    ReleaseIp(*node, uid);
    DeleteOptions final_delete;
    final_delete.grace_period_seconds = 0;
    final_delete.precondition_uid = uid;
    Status deleted = client_.Delete(kPods, ns, name, final_delete);
    if (!deleted.ok() && !deleted.IsNotFound() && !deleted.IsConflict()) {
      return deleted;
    }
    return kDone;
  }
  if (finished) {
    ReleaseIp(*node, uid);
    return kDone;
  }
  const std::string current_ip = Text(Find(*doc, {"status", "podIP"}));
  const bool running = phase == "Running" && !current_ip.empty() &&
                       ConditionStatus(*doc, "Ready") == "True";
  auto ip = IpFor(*node, uid, current_ip);
  if (!ip.ok()) return ip.status();
  if (!running) {
    if (Status s =
            write(BuildRunningStatus(*doc, {node->host_ip, *ip}, now, a));
        !s.ok()) {
      return s;
    }
  }
  if (!RunsToCompletion(*doc)) return kDone;
  auto start = LastContainerStart(*doc);
  const auto due = start.value_or(now) + std::chrono::seconds(PodRunSeconds(
                                             *doc, settings_.pod_run_seconds));
  // Just started: finish on a later pass, from the stored object.
  if (!running) {
    return std::max(std::chrono::milliseconds(1),
                    std::chrono::ceil<std::chrono::milliseconds>(due - now));
  }
  if (now < due) {
    return std::chrono::ceil<std::chrono::milliseconds>(due - now);
  }
  const int exit_code = PodExitCode(*doc);
  if (exit_code != 0 &&
      Text(Find(*doc, {"spec", "restartPolicy"})) == "OnFailure") {
    if (Status s = write(BuildRestartedStatus(*doc, exit_code, now, a));
        !s.ok()) {
      return s;
    }
    return std::max(std::chrono::milliseconds(1),
                    std::chrono::milliseconds(
                        PodRunSeconds(*doc, settings_.pod_run_seconds) * 1000));
  }
  if (Status s = write(BuildFinishedStatus(*doc, exit_code, now, a)); !s.ok()) {
    return s;
  }
  ReleaseIp(*node, uid);
  return kDone;
}

StatusOr<std::string> SimProvider::IpFor(NodeState& node,
                                         const std::string& uid,
                                         const std::string& current) {
  const uint32_t base = node.spec.pod_cidr;
  std::lock_guard<std::mutex> lock(node.mu);
  if (auto it = node.host_of.find(uid); it != node.host_of.end()) {
    return FormatIpv4(base + static_cast<uint32_t>(it->second));
  }
  // An address given before a restart is kept.
  const std::string prefix =
      FormatIpv4(base).substr(0, FormatIpv4(base).rfind('.') + 1);
  if (!current.empty() && current.compare(0, prefix.size(), prefix) == 0) {
    int host = std::atoi(current.c_str() + prefix.size());
    if (host >= kFirstPodHost && host <= kLastPodHost) {
      node.used[host] = true;
      node.host_of[uid] = host;
      return current;
    }
  }
  for (int tries = 0; tries <= kLastPodHost - kFirstPodHost; ++tries) {
    int host = node.next_host;
    node.next_host = host >= kLastPodHost ? kFirstPodHost : host + 1;
    if (node.used[host]) continue;
    node.used[host] = true;
    node.host_of[uid] = host;
    return FormatIpv4(base + static_cast<uint32_t>(host));
  }
  return Status::Unavailable("no free pod address on node " + node.spec.name);
}

void SimProvider::ReleaseIp(NodeState& node, const std::string& uid) {
  std::lock_guard<std::mutex> lock(node.mu);
  auto it = node.host_of.find(uid);
  if (it == node.host_of.end()) return;
  node.used[it->second] = false;
  node.host_of.erase(it);
}

}  // namespace berth::sim
