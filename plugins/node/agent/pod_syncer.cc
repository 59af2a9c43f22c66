#include "pod_syncer.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <future>

#include "framework/object_parser.h"
#include "image_pull.h"
#include "pod_spec.h"
#include "timestamps.h"

namespace berth::node {
namespace {

const ResourceRef kPods{"", "v1", "pods"};
const ResourceRef kSecrets{"", "v1", "secrets"};
const ResourceRef kRuntimeClasses{"node.k8s.io", "v1", "runtimeclasses"};

using std::chrono::milliseconds;
using std::chrono::seconds;

std::string Label(const std::map<std::string, std::string>& labels,
                  const char* key) {
  auto it = labels.find(key);
  return it == labels.end() ? std::string() : it->second;
}

std::string FieldPath(bool init, const std::string& name) {
  return std::string(init ? "spec.initContainers{" : "spec.containers{") +
         name + "}";
}

std::string PodDescription(const Json& pod) {
  return GetString(pod, {"metadata", "name"}) + "_" +
         GetString(pod, {"metadata", "namespace"}) + "(" +
         GetString(pod, {"metadata", "uid"}) + ")";
}

std::string Seconds(milliseconds d) {
  return std::to_string(std::chrono::ceil<seconds>(d).count()) + "s";
}

int64_t GracePeriod(const Json& pod) {
  const Json* v = Find(pod, {"spec", "terminationGracePeriodSeconds"});
  return v && v->IsInt64() ? std::max<int64_t>(0, v->GetInt64()) : 30;
}

}  // namespace

PodSyncer::PodSyncer(PodSyncerDeps deps) : deps_(std::move(deps)) {}

PodFacts PodSyncer::FactsFor(const Json& pod, const PodRecord& rec) const {
  PodFacts f;
  f.node_name = deps_.settings.node_name;
  f.host_ip = deps_.host_ip;
  f.pod_ips = rec.pod_ips;
  f.service_account_name =
      GetString(pod, {"spec", "serviceAccountName"}, "default");
  f.allocatable = deps_.allocatable;
  return f;
}

ProbeTarget PodSyncer::TargetFor(const std::string& container_id,
                                 const PodRecord& rec) const {
  ProbeTarget t;
  t.container_id = container_id;
  if (!rec.pod_ips.empty()) t.pod_ip = rec.pod_ips.front();
  t.host_network = rec.sandbox_config.host_network;
  t.runtime = rec.runtime;
  return t;
}

void PodSyncer::RemoveLogs(const std::string& uid) {
  // <root>/pods/<ns>_<name>_<uid>: the pod's logs go with it, as the
  // kubelet removes /var/log/pods/<ns>_<name>_<uid>.
  std::error_code ec;
  const std::string suffix = "_" + uid;
  for (std::filesystem::directory_iterator
           it(deps_.settings.root_dir + "/pods", ec),
       end;
       !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() > suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      std::error_code rm;
      std::filesystem::remove_all(it->path(), rm);
    }
  }
}

PodSyncer::~PodSyncer() {
  std::map<std::string, std::thread> running;
  std::vector<std::thread> done;
  {
    std::lock_guard<std::mutex> lock(mu_);
    running.swap(terminating_);
    done.swap(done_);
  }
  for (auto& [uid, t] : running) t.join();
  for (auto& t : done) t.join();
}

std::shared_ptr<PodSyncer::PodRecord> PodSyncer::RecordFor(
    const std::string& uid) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& rec = records_[uid];
  if (!rec) rec = std::make_shared<PodRecord>();
  return rec;
}

void PodSyncer::Event(const Json& pod, const std::string& type,
                      const std::string& reason, const std::string& message,
                      const std::string& field_path) {
  if (deps_.record_event) {
    deps_.record_event(pod, type, reason, message, field_path);
  }
}

StatusOr<ContainerRuntime*> PodSyncer::ResolveRuntime(const Json& pod) {
  std::string handler = deps_.settings.runtime;
  const std::string rc = GetString(pod, {"spec", "runtimeClassName"});
  if (!rc.empty()) {
    auto got = deps_.client->Get(kRuntimeClasses, "", rc);
    if (!got.ok()) {
      return Status::NotFound("RuntimeClass \"" + rc +
                              "\" not found: " + got.status().message());
    }
    auto doc = ParseJson(*got);
    if (!doc.ok()) return doc.status();
    handler = GetString(*doc, {"handler"});
  }
  auto it = deps_.runtimes.find(handler);
  if (it == deps_.runtimes.end() || !it->second) {
    return Status::NotFound("no container runtime \"" + handler +
                            "\" on this node");
  }
  return it->second;
}

bool PodSyncer::Admit(const Json& pod, PodRecord& rec, std::string* reason,
                      std::string* message) {
  const auto info = scheduler::ParsePod(pod);
  int64_t used_cpu = 0, used_mem = 0, used_pods = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [uid, other] : records_) {
      if (other.get() == &rec || !other->admitted) continue;
      used_cpu += other->milli_cpu;
      used_mem += other->memory;
      ++used_pods;
    }
  }
  struct Check {
    const char* name;
    int64_t requested, used, capacity;
  };
  for (const Check& c : {Check{"pods", 1, used_pods, deps_.settings.max_pods},
                         Check{"cpu", info->requests.milli_cpu, used_cpu,
                               deps_.allocatable_milli_cpu},
                         Check{"memory", info->requests.memory, used_mem,
                               deps_.allocatable_memory}}) {
    if (c.capacity <= 0 || c.requested == 0) continue;
    if (c.used + c.requested > c.capacity) {
      *reason = std::string("OutOf") + c.name;
      *message = std::string(
                     "Pod was rejected: Node didn't have enough "
                     "resource: ") +
                 c.name + ", requested: " + std::to_string(c.requested) +
                 ", used: " + std::to_string(c.used) +
                 ", capacity: " + std::to_string(c.capacity);
      return false;
    }
  }
  rec.milli_cpu = info->requests.milli_cpu;
  rec.memory = info->requests.memory;
  return true;
}

PodNetworkRequest PodSyncer::NetworkRequest(const Json* pod,
                                            const std::string& uid,
                                            const PodRecord& rec,
                                            const std::string& netns) const {
  PodNetworkRequest req;
  req.pod_namespace = rec.sandbox_config.pod_namespace;
  req.pod_name = rec.sandbox_config.name;
  req.pod_uid = uid;
  req.sandbox_id = rec.sandbox_id;
  req.netns_path = netns;
  if (pod) {
    req.pod_namespace = GetString(*pod, {"metadata", "namespace"});
    req.pod_name = GetString(*pod, {"metadata", "name"});
    req.port_mappings = PortMappingsOf(*pod);
  }
  return req;
}

Status PodSyncer::EnsureSandbox(const Json& pod, PodRecord& rec) {
  ContainerRuntime& rt = *rec.runtime;
  const std::string uid = GetString(pod, {"metadata", "uid"});
  uint32_t attempt = 0;
  if (!rec.sandbox_id.empty()) {
    auto st = rt.SandboxStatus(rec.sandbox_id);
    if (st.ok() && st->state == SandboxState::kReady) return {};
    attempt = st.ok() ? st->attempt + 1 : 0;
  }
  // Adopt a ready sandbox a previous agent made; stop a dead one.
  auto sandboxes = rt.ListPodSandboxes();
  if (!sandboxes.ok()) return sandboxes.status();
  for (const auto& sb : *sandboxes) {
    if (Label(sb.labels, kPodUidLabel) != uid) continue;
    attempt = std::max(attempt, sb.attempt + 1);
    if (sb.state == SandboxState::kReady && rec.sandbox_id.empty()) {
      rec.sandbox_id = sb.id;
      rec.sandbox_config = SandboxConfigFor(pod, deps_.settings, sb.attempt);
      if (!rec.sandbox_config.host_network && deps_.network) {
        auto ips = deps_.network->Inspect(
            NetworkRequest(&pod, uid, rec, sb.netns_path));
        if (ips.ok()) {
          rec.pod_ips = ips->ips;
          rec.network_attached = true;
        }
      }
      if (rec.sandbox_config.host_network) rec.pod_ips = {deps_.host_ip};
      if (rec.sandbox_config.host_network || rec.network_attached) return {};
    }
  }
  if (!rec.sandbox_id.empty()) {
    // A sandbox that died (or lost its network) is replaced whole, as the
    // kubelet does; its containers go with it.
    (void)KillPod(&pod, uid, rec, seconds(0), true);
  }
  rec.sandbox_config = SandboxConfigFor(pod, deps_.settings, attempt);
  if (!rec.sandbox_config.host_network && !deps_.network) {
    return Status::Unavailable(
        "network is not ready: no pod network on this node (network: "
        "none runs only hostNetwork pods)");
  }
  std::error_code ec;
  std::filesystem::create_directories(rec.sandbox_config.log_directory, ec);
  auto id = rt.RunPodSandbox(rec.sandbox_config);
  if (!id.ok()) return id.status();
  rec.sandbox_id = *id;
  if (rec.sandbox_config.host_network) {
    rec.pod_ips = {deps_.host_ip};
    return {};
  }
  auto st = rt.SandboxStatus(*id);
  if (!st.ok()) return st.status();
  auto net =
      deps_.network->SetUp(NetworkRequest(&pod, uid, rec, st->netns_path));
  if (!net.ok()) {
    (void)rt.StopPodSandbox(*id);
    (void)rt.RemovePodSandbox(*id);
    rec.sandbox_id.clear();
    return Status::Unavailable("failed to set up sandbox network: " +
                               net.status().message());
  }
  rec.pod_ips = net->ips;
  rec.network_attached = true;
  return {};
}

std::map<std::string, std::vector<ContainerStatus>> PodSyncer::ContainersOf(
    ContainerRuntime& rt, const std::string& uid) {
  std::map<std::string, std::vector<ContainerStatus>> out;
  auto list = rt.ListContainers();
  if (!list.ok()) return out;
  for (auto& c : *list) {
    if (Label(c.labels, kPodUidLabel) != uid) continue;
    std::string name = Label(c.labels, kContainerNameLabel);
    if (name.empty()) name = c.name;
    out[name].push_back(std::move(c));
  }
  for (auto& [name, list_of] : out) {
    std::sort(list_of.begin(), list_of.end(),
              [](const ContainerStatus& a, const ContainerStatus& b) {
                if (a.attempt != b.attempt) return a.attempt > b.attempt;
                return a.created_at > b.created_at;
              });
  }
  return out;
}

PodSyncer::Duration PodSyncer::PullImage(const Json& pod, const Json& spec,
                                         const std::string& field_path,
                                         PodRecord& rec,
                                         ContainerReport& report, bool* ok) {
  *ok = false;
  ContainerRuntime& rt = *rec.runtime;
  const std::string name = GetString(spec, {"name"});
  const std::string image = GetString(spec, {"image"});
  const std::string policy = EffectivePullPolicy(spec);
  const bool present = rt.ImageStatus(image).ok();
  const auto now = deps_.clock->Now();
  if (policy == "Never") {
    if (present) {
      *ok = true;
      return Duration::zero();
    }
    report.waiting_reason = "ErrImageNeverPull";
    report.waiting_message = "Container image \"" + image +
                             "\" is not present with pull policy of Never";
    Event(pod, "Warning", "ErrImageNeverPull", report.waiting_message,
          field_path);
    return Duration::zero();
  }
  if (policy == "IfNotPresent" && present) {
    Event(pod, "Normal", "Pulled",
          "Container image \"" + image + "\" already present on machine",
          field_path);
    *ok = true;
    return Duration::zero();
  }
  const std::string key =
      GetString(pod, {"metadata", "uid"}) + "/" + name + "/" + image;
  if (auto it = rec.pull_error.find(name); it != rec.pull_error.end()) {
    const Duration left = pull_backoff_.Remaining(key, it->second.second, now);
    if (left > Duration::zero()) {
      report.waiting_reason = "ImagePullBackOff";
      report.waiting_message = "Back-off pulling image \"" + image +
                               "\": ErrImagePull: " + it->second.first;
      Event(pod, "Normal", "BackOff",
            "Back-off pulling image \"" + image + "\"", field_path);
      return left;
    }
  }
  Event(pod, "Normal", "Pulling", "Pulling image \"" + image + "\"",
        field_path);
  std::vector<std::string> secrets;
  if (const Json* refs = Find(pod, {"spec", "imagePullSecrets"});
      refs && refs->IsArray()) {
    for (const auto& ref : refs->GetArray()) {
      auto s =
          deps_.client->Get(kSecrets, GetString(pod, {"metadata", "namespace"}),
                            GetString(ref, {"name"}));
      if (s.ok()) secrets.push_back(*s);
    }
  }
  const auto began = std::chrono::steady_clock::now();
  auto pulled = rt.PullImage(image, PullAuthFor(image, secrets));
  if (!pulled.ok()) {
    pull_backoff_.Next(key, now);
    rec.pull_error[name] = {pulled.status().message(), now};
    report.waiting_reason = "ErrImagePull";
    report.waiting_message = pulled.status().message();
    Event(
        pod, "Warning", "Failed",
        "Failed to pull image \"" + image + "\": " + pulled.status().message(),
        field_path);
    Event(pod, "Warning", "Failed", "Error: ErrImagePull", field_path);
    return pull_backoff_.Get(key);
  }
  rec.pull_error.erase(name);
  const double took =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - began)
          .count();
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.3fs", took);
  Event(pod, "Normal", "Pulled",
        "Successfully pulled image \"" + image + "\" in " + buf + " (" + buf +
            " including waiting). Image size: " +
            std::to_string(pulled->size_bytes) + " bytes.",
        field_path);
  *ok = true;
  return Duration::zero();
}

PodSyncer::Duration PodSyncer::StartContainer(const Json& pod, const Json& spec,
                                              bool init, uint32_t attempt,
                                              PodRecord& rec,
                                              ContainerReport& report) {
  ContainerRuntime& rt = *rec.runtime;
  const std::string name = GetString(spec, {"name"});
  const std::string field_path = FieldPath(init, name);
  constexpr Duration kRetry = seconds(10);
  if (rt.UsesImages()) {
    bool ok = false;
    const Duration wait = PullImage(pod, spec, field_path, rec, report, &ok);
    if (!ok) return wait;
  } else {
    Event(pod, "Normal", "ImageNotUsed",
          "Container image \"" + GetString(spec, {"image"}) +
              "\" not used: runtime " + rt.Name() +
              " runs the command as a host process",
          field_path);
  }
  const PodFacts facts = FactsFor(pod, rec);
  auto env = deps_.env->Resolve(pod, spec, facts);
  if (!env.ok()) {
    report.waiting_reason = "CreateContainerConfigError";
    report.waiting_message = env.status().message();
    Event(pod, "Warning", "Failed", "Error: " + env.status().message(),
          field_path);
    return kRetry;
  }
  auto mounts = deps_.volumes->Prepare(pod, facts);
  if (!mounts.ok()) {
    report.waiting_reason = init ? "PodInitializing" : "ContainerCreating";
    report.waiting_message = mounts.status().message();
    Event(pod, "Warning", "FailedMount", mounts.status().message());
    return kRetry;
  }
  std::vector<Mount> own;
  if (auto it = mounts->find(name); it != mounts->end()) own = it->second;
  const std::string log_path =
      ContainerLogPath(deps_.settings.root_dir, pod, name, attempt);
  std::error_code ec;
  std::filesystem::create_directories(
      std::filesystem::path(log_path).parent_path(), ec);
  ContainerConfig config =
      ContainerConfigFor(pod, spec, attempt, *env, std::move(own), log_path);
  auto id = rt.CreateContainer(rec.sandbox_id, config, rec.sandbox_config);
  if (!id.ok()) {
    report.waiting_reason = "CreateContainerError";
    report.waiting_message = id.status().message();
    Event(pod, "Warning", "Failed", "Error: " + id.status().message(),
          field_path);
    return kRetry;
  }
  Event(pod, "Normal", "Created", "Created container: " + name, field_path);
  if (Status s = rt.StartContainer(*id); !s.ok()) {
    report.waiting_reason = "RunContainerError";
    report.waiting_message = s.message();
    Event(pod, "Warning", "Failed",
          "Error: failed to start container \"" + name + "\": " + s.message(),
          field_path);
    (void)rt.RemoveContainer(*id);
    return kRetry;
  }
  Event(pod, "Normal", "Started", "Started container " + name, field_path);
  const ProbeTarget target = TargetFor(*id, rec);
  deps_.probes->ContainerStarted(pod, name, target);
  rec.probed.insert(*id);
  if (Status hook = deps_.probes->RunPostStart(pod, name, target); !hook.ok()) {
    // As the kubelet: the container is killed and restarted per policy.
    Event(pod, "Warning", "FailedPostStartHook", hook.message(), field_path);
    (void)rt.StopContainer(*id, seconds(GracePeriod(pod)));
  }
  // Only the newest dead container is kept (lastState, logs --previous).
  if (report.previous) (void)rt.RemoveContainer(report.previous->id);
  report.previous = report.latest;
  auto st = rt.GetContainerStatus(*id);
  if (st.ok()) report.latest = *st;
  report.waiting_reason.clear();
  report.waiting_message.clear();
  return Duration::zero();
}

StatusOr<PodSyncer::Duration> PodSyncer::SyncPod(const std::string& pod_json) {
  auto doc = ParseJson(pod_json);
  if (!doc.ok()) return doc.status();
  const Json& pod = *doc;
  const std::string uid = GetString(pod, {"metadata", "uid"});
  auto rec = RecordFor(uid);
  if (Find(pod, {"metadata", "deletionTimestamp"})) {
    if (!deps_.terminate_async) return Terminate(pod, *rec);
    // Finished termination threads are joined here, on every path: a
    // joinable std::thread destroyed unjoined aborts the process.
    std::vector<std::thread> finished;
    {
      std::lock_guard<std::mutex> lock(mu_);
      finished.swap(done_);
      // Already terminating: the thread owns the pod until it is gone; the
      // sync looks again in a while in case it failed.
      if (!terminating_.count(uid)) {
        terminating_.emplace(uid, std::thread([this, uid, rec, pod_json] {
                               auto parsed = ParseJson(pod_json);
                               auto result = Terminate(*parsed, *rec);
                               std::lock_guard<std::mutex> lock(mu_);
                               auto self = terminating_.find(uid);
                               if (self != terminating_.end()) {
                                 done_.push_back(std::move(self->second));
                                 terminating_.erase(self);
                               }
                               (void)result;
                             }));
      }
    }
    for (auto& t : finished) t.join();
    return Duration(seconds(2));
  }
  const std::string phase = GetString(pod, {"status", "phase"});
  if (phase == "Succeeded" || phase == "Failed") {
    // Finished: stop what is left and free the address; keep the dead
    // containers for their logs until the pod is deleted.
    if (rec->runtime && (rec->network_attached || !rec->sandbox_id.empty())) {
      (void)KillPod(&pod, uid, *rec, seconds(0), false);
    }
    rec->admitted = false;
    return Duration::zero();
  }
  PodReport report;
  report.host_ip = deps_.host_ip;
  if (!rec->runtime) {
    auto rt = ResolveRuntime(pod);
    if (!rt.ok()) {
      Event(pod, "Warning", "FailedCreatePodSandBox",
            "Failed to create pod sandbox: " + rt.status().message());
      return Duration(seconds(10));
    }
    rec->runtime = *rt;
  }
  ContainerRuntime& rt = *rec->runtime;
  report.runtime_name = rt.Name();
  auto by_name = ContainersOf(rt, uid);
  if (!rec->admitted) {
    std::string reason, message;
    // Pods the agent already ran (a restart) are not admitted again.
    const bool known = phase == "Running" || !by_name.empty();
    if (!Admit(pod, *rec, &reason, &message) && !known) {
      Event(pod, "Warning", reason, message);
      report.failed_reason = reason;
      report.failed_message = message;
      if (Status s = WriteStatus(pod, report); !s.ok()) return s;
      return Duration::zero();
    }
    rec->admitted = true;
  }

  auto report_for = [&](const Json& spec) {
    ContainerReport cr;
    cr.name = GetString(spec, {"name"});
    cr.image = GetString(spec, {"image"});
    auto it = by_name.find(cr.name);
    if (it != by_name.end()) {
      if (!it->second.empty()) cr.latest = it->second[0];
      if (it->second.size() > 1) cr.previous = it->second[1];
    }
    return cr;
  };
  const Json* inits = Find(pod, {"spec", "initContainers"});
  const Json* containers = Find(pod, {"spec", "containers"});
  Status sandbox = EnsureSandbox(pod, *rec);
  if (!sandbox.ok()) {
    Event(pod, "Warning", "FailedCreatePodSandBox",
          "Failed to create pod sandbox: " + sandbox.message());
    for (auto [list, out] : {std::pair{inits, &report.init_containers},
                             std::pair{containers, &report.containers}}) {
      if (!list || !list->IsArray()) continue;
      for (const auto& spec : list->GetArray()) {
        ContainerReport cr = report_for(spec);
        cr.waiting_reason = "ContainerCreating";
        out->push_back(std::move(cr));
      }
    }
    if (Status s = WriteStatus(pod, report); !s.ok()) return s;
    return Duration(seconds(10));
  }
  report.sandbox_ready = true;
  report.pod_ips = rec->pod_ips;
  // As the kubelet's periodic sync: a changed ConfigMap or Secret reaches
  // the files of a running pod's volumes.
  if (!by_name.empty()) {
    if (Status s = deps_.volumes->Refresh(pod, FactsFor(pod, *rec)); !s.ok()) {
      Event(pod, "Warning", "FailedMount", s.message());
    }
  }

  const std::string policy =
      GetString(pod, {"spec", "restartPolicy"}, "Always");
  const auto now = deps_.clock->Now();
  Duration requeue = Duration::zero();
  auto want = [&](Duration d) {
    if (d > Duration::zero() && (requeue == Duration::zero() || d < requeue)) {
      requeue = d;
    }
  };
  // Restarts an exited container after its crash-loop back-off.
  auto restart = [&](const Json& spec, bool init, ContainerReport& cr) {
    const std::string key = uid + "/" + cr.name;
    const auto finished = cr.latest->finished_at.value_or(now);
    const Duration left = crash_backoff_.Remaining(key, finished, now);
    if (left > Duration::zero()) {
      const std::string delay = Seconds(crash_backoff_.Get(key));
      cr.waiting_reason = "CrashLoopBackOff";
      cr.waiting_message = "back-off " + delay +
                           " restarting failed container=" + cr.name +
                           " pod=" + PodDescription(pod);
      Event(pod, "Warning", "BackOff",
            "Back-off restarting failed container " + cr.name + " in pod " +
                PodDescription(pod),
            FieldPath(init, cr.name));
      want(left);
      return;
    }
    crash_backoff_.Next(key, now);
    want(StartContainer(pod, spec, init, cr.latest->attempt + 1, *rec, cr));
  };

  bool inits_done = true;
  if (inits && inits->IsArray()) {
    for (const auto& spec : inits->GetArray()) {
      ContainerReport cr = report_for(spec);
      if (!inits_done) {
        if (!cr.latest) cr.waiting_reason = "PodInitializing";
        report.init_containers.push_back(std::move(cr));
        continue;
      }
      const auto state =
          cr.latest ? cr.latest->state : ContainerState::kUnknown;
      if (cr.latest && state == ContainerState::kExited &&
          cr.latest->exit_code == 0) {
        report.init_containers.push_back(std::move(cr));
        continue;
      }
      inits_done = false;
      if (!cr.latest) {
        want(StartContainer(pod, spec, true, 0, *rec, cr));
      } else if (state == ContainerState::kExited) {
        if (policy != "Never") restart(spec, true, cr);
      } else if (state == ContainerState::kCreated) {
        (void)rt.RemoveContainer(cr.latest->id);
        want(StartContainer(pod, spec, true, cr.latest->attempt + 1, *rec, cr));
      }
      report.init_containers.push_back(std::move(cr));
    }
  }
  if (containers && containers->IsArray()) {
    for (const auto& spec : containers->GetArray()) {
      ContainerReport cr = report_for(spec);
      if (!inits_done) {
        if (!cr.latest) cr.waiting_reason = "PodInitializing";
        report.containers.push_back(std::move(cr));
        continue;
      }
      if (cr.latest && cr.latest->state == ContainerState::kRunning &&
          deps_.probes->NeedsRestart(uid, cr.name)) {
        Event(pod, "Normal", "Killing",
              "Container " + cr.name +
                  " failed liveness probe, will be restarted",
              FieldPath(false, cr.name));
        (void)rt.StopContainer(cr.latest->id, seconds(GracePeriod(pod)));
        auto st = rt.GetContainerStatus(cr.latest->id);
        if (st.ok()) cr.latest = *st;
      }
      if (!cr.latest) {
        want(StartContainer(pod, spec, false, 0, *rec, cr));
      } else if (cr.latest->state == ContainerState::kRunning) {
        if (!rec->probed.count(cr.latest->id)) {
          // Found running (after a restart of the agent): probe it again.
          deps_.probes->ContainerStarted(pod, cr.name,
                                         TargetFor(cr.latest->id, *rec));
          rec->probed.insert(cr.latest->id);
        }
        cr.ready = deps_.probes->Ready(uid, cr.name);
        cr.started = deps_.probes->Started(uid, cr.name);
      } else if (cr.latest->state == ContainerState::kExited) {
        deps_.probes->ContainerStopped(uid, cr.name);
        const bool again = policy == "Always" ||
                           (policy == "OnFailure" && cr.latest->exit_code != 0);
        if (again) restart(spec, false, cr);
      } else {
        (void)rt.RemoveContainer(cr.latest->id);
        want(
            StartContainer(pod, spec, false, cr.latest->attempt + 1, *rec, cr));
      }
      if (cr.latest && cr.latest->state == ContainerState::kRunning &&
          cr.waiting_reason.empty()) {
        cr.ready = deps_.probes->Ready(uid, cr.name);
        cr.started = deps_.probes->Started(uid, cr.name);
      }
      report.containers.push_back(std::move(cr));
    }
  }
  if (Status s = WriteStatus(pod, report); !s.ok()) return s;
  return requeue;
}

Status PodSyncer::WriteStatus(const Json& pod, const PodReport& report) {
  const std::string ns = GetString(pod, {"metadata", "namespace"});
  const std::string name = GetString(pod, {"metadata", "name"});
  const std::string uid = GetString(pod, {"metadata", "uid"});
  Status last;
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto got = deps_.client->Get(kPods, ns, name);
    if (!got.ok()) {
      return got.status().IsNotFound() ? Status() : got.status();
    }
    auto doc = ParseJson(*got);
    if (!doc.ok()) return doc.status();
    if (GetString(*doc, {"metadata", "uid"}) != uid) return {};
    auto& a = doc->GetAllocator();
    Json status = BuildPodStatus(*doc, report, deps_.clock->Now(), a);
    // Compared as values (member order aside), so a status the API stored
    // with its own key order does not make the agent write it forever.
    if (const Json* old = Member(*doc, "status"); old && *old == status) {
      return {};
    }
    SetMember(*doc, "status", std::move(status), a);
    auto updated = deps_.client->Update(kPods, ns, ToJson(*doc), "status");
    if (updated.ok() || updated.status().IsNotFound()) return {};
    last = updated.status();
    if (!last.IsConflict()) return last;
  }
  return last;
}

Status PodSyncer::KillPod(const Json* pod, const std::string& uid,
                          PodRecord& rec, seconds grace, bool remove) {
  std::vector<ContainerRuntime*> runtimes;
  if (rec.runtime) {
    runtimes.push_back(rec.runtime);
  } else {
    for (auto& [name, rt] : deps_.runtimes) runtimes.push_back(rt);
  }
  Status first;
  for (ContainerRuntime* rt : runtimes) {
    auto by_name = ContainersOf(*rt, uid);
    std::vector<std::future<Status>> stops;
    for (auto& [name, list] : by_name) {
      for (auto& c : list) {
        if (c.state != ContainerState::kRunning) continue;
        stops.push_back(std::async(std::launch::async, [rt, id = c.id, grace] {
          return rt->StopContainer(id, grace);
        }));
      }
    }
    for (auto& f : stops) {
      Status s = f.get();
      if (!s.ok() && first.ok()) first = s;
    }
    auto sandboxes = rt->ListPodSandboxes();
    if (!sandboxes.ok()) return sandboxes.status();
    for (const auto& sb : *sandboxes) {
      if (Label(sb.labels, kPodUidLabel) != uid) continue;
      if (deps_.network && !sb.netns_path.empty()) {
        PodRecord view = rec;
        view.sandbox_id = sb.id;
        view.sandbox_config.name = Label(sb.labels, kPodNameLabel);
        view.sandbox_config.pod_namespace =
            Label(sb.labels, kPodNamespaceLabel);
        if (Status s = deps_.network->TearDown(
                NetworkRequest(pod, uid, view, sb.netns_path));
            !s.ok() && first.ok()) {
          first = s;
        }
      }
      if (Status s = rt->StopPodSandbox(sb.id); !s.ok() && first.ok()) {
        first = s;
      }
      if (remove) {
        if (Status s = rt->RemovePodSandbox(sb.id); !s.ok() && first.ok()) {
          first = s;
        }
      }
    }
  }
  rec.network_attached = false;
  rec.sandbox_id.clear();
  rec.pod_ips.clear();
  return first;
}

StatusOr<PodSyncer::Duration> PodSyncer::Terminate(const Json& pod,
                                                   PodRecord& rec) {
  const std::string uid = GetString(pod, {"metadata", "uid"});
  const auto now = deps_.clock->Now();
  int64_t grace =
      GetInt(pod, {"metadata", "deletionGracePeriodSeconds"}, GracePeriod(pod));
  if (auto deadline = kubelet::ParseTime(
          GetString(pod, {"metadata", "deletionTimestamp"}))) {
    grace = std::max<int64_t>(
        0, std::chrono::ceil<seconds>(*deadline - now).count());
  }
  std::vector<ContainerRuntime*> runtimes;
  if (rec.runtime) {
    runtimes.push_back(rec.runtime);
  } else {
    for (auto& [name, rt] : deps_.runtimes) runtimes.push_back(rt);
  }
  // preStop hooks and SIGTERM for the running containers, all at once; each
  // gets what is left of the grace period after its hook.
  for (ContainerRuntime* rt : runtimes) {
    std::vector<std::future<void>> stops;
    for (auto& [name, list] : ContainersOf(*rt, uid)) {
      if (list.empty() || list[0].state != ContainerState::kRunning) continue;
      bool init = false;
      FindContainerSpec(pod, name, &init);
      Event(pod, "Normal", "Killing", "Stopping container " + name,
            FieldPath(init, name));
      stops.push_back(std::async(std::launch::async, [this, rt, &pod, &rec,
                                                      name, id = list[0].id,
                                                      grace] {
        const auto began = std::chrono::steady_clock::now();
        deps_.probes->RunPreStop(pod, name, TargetFor(id, rec), seconds(grace));
        const auto spent = std::chrono::duration_cast<seconds>(
            std::chrono::steady_clock::now() - began);
        (void)rt->StopContainer(id,
                                std::max(seconds(0), seconds(grace) - spent));
      }));
    }
    for (auto& f : stops) f.get();
  }
  if (Status s = KillPod(&pod, uid, rec, seconds(0), true); !s.ok()) return s;
  if (Status s = deps_.volumes->Cleanup(uid); !s.ok()) return s;
  RemoveLogs(uid);
  deps_.probes->RemovePod(uid);
  crash_backoff_.ForgetPrefix(uid + "/");
  pull_backoff_.ForgetPrefix(uid + "/");
  DeleteOptions opts;
  opts.grace_period_seconds = 0;
  opts.precondition_uid = uid;
  Status deleted =
      deps_.client->Delete(kPods, GetString(pod, {"metadata", "namespace"}),
                           GetString(pod, {"metadata", "name"}), opts);
  if (!deleted.ok() && !deleted.IsNotFound() && !deleted.IsConflict()) {
    return deleted;
  }
  std::lock_guard<std::mutex> lock(mu_);
  records_.erase(uid);
  return Duration::zero();
}

Status PodSyncer::CleanupPod(const std::string& uid) {
  std::shared_ptr<PodRecord> rec;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = records_.find(uid);
    rec = it == records_.end() ? std::make_shared<PodRecord>() : it->second;
  }
  Status s = KillPod(nullptr, uid, *rec, seconds(2), true);
  if (Status v = deps_.volumes->Cleanup(uid); !v.ok() && s.ok()) s = v;
  RemoveLogs(uid);
  deps_.probes->RemovePod(uid);
  crash_backoff_.ForgetPrefix(uid + "/");
  pull_backoff_.ForgetPrefix(uid + "/");
  std::lock_guard<std::mutex> lock(mu_);
  records_.erase(uid);
  return s;
}

Status PodSyncer::Recover(const std::set<std::string>& live_uids) {
  std::set<std::string> orphans;
  for (auto& [name, rt] : deps_.runtimes) {
    auto sandboxes = rt->ListPodSandboxes();
    if (!sandboxes.ok()) return sandboxes.status();
    for (const auto& sb : *sandboxes) {
      const std::string uid = Label(sb.labels, kPodUidLabel);
      if (uid.empty()) continue;
      if (!live_uids.count(uid)) {
        orphans.insert(uid);
        continue;
      }
      auto rec = RecordFor(uid);
      rec->runtime = rt;
      rec->admitted = true;
    }
  }
  Status first;
  for (const auto& uid : orphans) {
    if (Status s = CleanupPod(uid); !s.ok() && first.ok()) first = s;
  }
  return first;
}

std::map<std::string, std::string> PodSyncer::RuntimeDigest(
    std::map<std::string, std::string>* uid_to_key) {
  std::map<std::string, std::string> digest;
  for (auto& [name, rt] : deps_.runtimes) {
    auto sandboxes = rt->ListPodSandboxes();
    if (sandboxes.ok()) {
      for (const auto& sb : *sandboxes) {
        const std::string uid = Label(sb.labels, kPodUidLabel);
        if (uid.empty()) continue;
        (*uid_to_key)[uid] = Label(sb.labels, kPodNamespaceLabel) + "/" +
                             Label(sb.labels, kPodNameLabel);
        digest[uid] +=
            "s" + sb.id + (sb.state == SandboxState::kReady ? "+" : "-");
      }
    }
    auto containers = rt->ListContainers();
    if (!containers.ok()) continue;
    for (const auto& c : *containers) {
      const std::string uid = Label(c.labels, kPodUidLabel);
      if (uid.empty()) continue;
      digest[uid] +=
          " " + c.id + ":" + std::to_string(static_cast<int>(c.state));
    }
  }
  return digest;
}

bool PodSyncer::Terminating(const std::string& uid) {
  std::lock_guard<std::mutex> lock(mu_);
  return terminating_.count(uid) > 0;
}

ContainerRuntime* PodSyncer::RuntimeOf(const std::string& uid,
                                       std::string* sandbox_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = records_.find(uid);
  if (it == records_.end() || !it->second->runtime) return nullptr;
  if (sandbox_id) *sandbox_id = it->second->sandbox_id;
  return it->second->runtime;
}

}  // namespace berth::node
