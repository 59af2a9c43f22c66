#include "shim_runtime.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <random>
#include <thread>

#include "attach_frames.h"
#include "berth/json.h"
#include "files.h"
#include "json_util.h"
#include "netns.h"
#include "pod_files.h"
#include "stream_copy.h"

namespace berth::runtime {
namespace fs = std::filesystem;
namespace {

constexpr char kSandboxFile[] = "sandbox.json";
constexpr char kContainerFile[] = "container.json";
constexpr char kPauseReadyFile[] = "pause.pid";

std::string NewId() {
  std::random_device rd;
  static const char* kHex = "0123456789abcdef";
  std::string id;
  for (int i = 0; i < 32; ++i) id += kHex[rd() % 16];
  return id;
}

// Polls `done` every 10 ms until it is true or `timeout` passed.
template <typename F>
bool PollUntil(F done, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

std::string SandboxToJson(const SandboxRecord& r) {
  JsonDoc d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  const PodSandboxConfig& c = r.config;
  SetString(d, "id", r.id, a);
  SetString(d, "name", c.name, a);
  SetString(d, "namespace", c.pod_namespace, a);
  SetString(d, "uid", c.uid, a);
  SetMember(d, "attempt", Json(c.attempt), a);
  SetString(d, "hostname", c.hostname, a);
  SetMember(d, "hostNetwork", Json(c.host_network), a);
  SetMember(d, "hostPID", Json(c.host_pid), a);
  SetMember(d, "hostIPC", Json(c.host_ipc), a);
  SetString(d, "logDirectory", c.log_directory, a);
  SetMember(d, "labels", MakeStringMap(c.labels, a), a);
  SetMember(d, "annotations", MakeStringMap(c.annotations, a), a);
  SetMember(d, "createdAt",
            Json(static_cast<int64_t>(ToUnixNanos(r.created_at))), a);
  SetString(d, "netns", r.netns_path, a);
  SetString(d, "cgroupParent", r.cgroup_parent, a);
  SetMember(d, "pausePid", Json(r.pause_pid), a);
  SetMember(d, "ready", Json(r.ready), a);
  return ToJson(d);
}

StatusOr<SandboxRecord> SandboxFromJson(const std::string& text) {
  auto parsed = ParseJson(text);
  if (!parsed.ok()) return parsed.status();
  const JsonDoc& d = *parsed;
  SandboxRecord r;
  r.id = GetString(d, {"id"});
  r.config.name = GetString(d, {"name"});
  r.config.pod_namespace = GetString(d, {"namespace"});
  r.config.uid = GetString(d, {"uid"});
  r.config.attempt = static_cast<uint32_t>(GetInt(d, {"attempt"}));
  r.config.hostname = GetString(d, {"hostname"});
  r.config.host_network = GetBool(d, "hostNetwork");
  r.config.host_pid = GetBool(d, "hostPID");
  r.config.host_ipc = GetBool(d, "hostIPC");
  r.config.log_directory = GetString(d, {"logDirectory"});
  r.config.labels = GetStringMap(d, "labels");
  r.config.annotations = GetStringMap(d, "annotations");
  r.created_at = FromUnixNanos(GetInt(d, {"createdAt"}));
  r.netns_path = GetString(d, {"netns"});
  r.cgroup_parent = GetString(d, {"cgroupParent"});
  r.config.cgroup_parent = r.cgroup_parent;
  r.pause_pid = static_cast<int>(GetInt(d, {"pausePid"}));
  r.ready = GetBool(d, "ready");
  return r;
}

std::string ContainerToJson(const ContainerRecord& r) {
  JsonDoc d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  SetString(d, "id", r.id, a);
  SetString(d, "sandboxId", r.sandbox_id, a);
  SetString(d, "name", r.name, a);
  SetMember(d, "attempt", Json(r.attempt), a);
  SetString(d, "image", r.image, a);
  SetString(d, "imageId", r.image_id, a);
  SetString(d, "logPath", r.log_path, a);
  SetString(d, "cgroup", r.cgroup, a);
  SetMember(d, "createdAt",
            Json(static_cast<int64_t>(ToUnixNanos(r.created_at))), a);
  SetMember(d, "labels", MakeStringMap(r.labels, a), a);
  SetMember(d, "annotations", MakeStringMap(r.annotations, a), a);
  return ToJson(d);
}

StatusOr<ContainerRecord> ContainerFromJson(const std::string& text) {
  auto parsed = ParseJson(text);
  if (!parsed.ok()) return parsed.status();
  const JsonDoc& d = *parsed;
  ContainerRecord r;
  r.id = GetString(d, {"id"});
  r.sandbox_id = GetString(d, {"sandboxId"});
  r.name = GetString(d, {"name"});
  r.attempt = static_cast<uint32_t>(GetInt(d, {"attempt"}));
  r.image = GetString(d, {"image"});
  r.image_id = GetString(d, {"imageId"});
  r.log_path = GetString(d, {"logPath"});
  r.cgroup = GetString(d, {"cgroup"});
  r.created_at = FromUnixNanos(GetInt(d, {"createdAt"}));
  r.labels = GetStringMap(d, "labels");
  r.annotations = GetStringMap(d, "annotations");
  return r;
}

std::vector<std::string> SubdirNames(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto& e : fs::directory_iterator(dir, ec)) {
    if (e.is_directory(ec)) out.push_back(e.path().filename().string());
  }
  return out;
}

bool IsShim(int pid) {
  return pid > 0 && ProcessAlive(pid) &&
         ProcessCmdlineContains(pid, "berth-shim");
}

}  // namespace

std::string DefaultShimPath() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path candidate = self.parent_path() / "berth-shim";
    if (fs::exists(candidate, ec)) return candidate.string();
  }
  return "berth-shim";
}

ShimRuntime::ShimRuntime(ShimRuntimeOptions options)
    : options_(std::move(options)), cgroups_(Cgroups::Detect()) {
  std::error_code ec;
  fs::create_directories(options_.root + "/sandboxes", ec);
  fs::create_directories(options_.root + "/containers", ec);
}

std::string ShimRuntime::SandboxDir(const std::string& id) const {
  return options_.root + "/sandboxes/" + id;
}

std::string ShimRuntime::ContainerDir(const std::string& id) const {
  return options_.root + "/containers/" + id;
}

Status ShimRuntime::SaveSandbox(const SandboxRecord& r) const {
  return WriteFileAtomic(SandboxDir(r.id) + "/" + kSandboxFile,
                         SandboxToJson(r));
}

Status ShimRuntime::SaveContainer(const ContainerRecord& r) const {
  return WriteFileAtomic(ContainerDir(r.id) + "/" + kContainerFile,
                         ContainerToJson(r));
}

StatusOr<SandboxRecord> ShimRuntime::LoadSandbox(const std::string& id) const {
  if (id.empty() || id.find('/') != std::string::npos) {
    return Status::NotFound("sandbox \"" + id + "\" not found");
  }
  auto text = ReadFile(SandboxDir(id) + "/" + kSandboxFile);
  if (!text.ok()) {
    if (text.status().IsNotFound()) {
      return Status::NotFound("sandbox \"" + id + "\" not found");
    }
    return text.status();
  }
  auto r = SandboxFromJson(*text);
  if (r.ok()) r->dir = SandboxDir(id);
  return r;
}

StatusOr<ContainerRecord> ShimRuntime::LoadContainer(
    const std::string& id) const {
  if (id.empty() || id.find('/') != std::string::npos) {
    return Status::NotFound("container \"" + id + "\" not found");
  }
  auto text = ReadFile(ContainerDir(id) + "/" + kContainerFile);
  if (!text.ok()) {
    if (text.status().IsNotFound()) {
      return Status::NotFound("container \"" + id + "\" not found");
    }
    return text.status();
  }
  auto r = ContainerFromJson(*text);
  if (r.ok()) r->dir = ContainerDir(id);
  return r;
}

// --- sandboxes ---

StatusOr<std::string> ShimRuntime::RunPodSandbox(
    const PodSandboxConfig& config) {
  if (!options_.runner) return Status::Internal("no process runner");
  SandboxRecord r;
  r.id = NewId();
  r.dir = SandboxDir(r.id);
  r.config = config;
  r.created_at = std::chrono::system_clock::now();
  r.cgroup_parent =
      config.cgroup_parent.empty() ? "/berth/pod" + r.id : config.cgroup_parent;
  r.config.cgroup_parent = r.cgroup_parent;
  // Not under mu_: the id is new and nobody holds it until it is returned
  // (a listing sees the sandbox not ready until the end), so a burst of
  // pods creates its sandboxes side by side instead of each waiting for
  // the one before to start its infra process.
  std::error_code ec;
  fs::create_directories(r.dir, ec);
  if (ec)
    return Status::Internal("cannot create " + r.dir + ": " + ec.message());
  // Recorded first, so a failure below is cleaned up by RemovePodSandbox.
  Status s = SaveSandbox(r);
  auto fail = [&](Status why) -> StatusOr<std::string> {
    KillPause(r);
    if (!r.netns_path.empty()) (void)RemoveNetns(r.netns_path);
    (void)cgroups_.Remove(r.cgroup_parent);
    fs::remove_all(r.dir, ec);
    return why;
  };
  if (!s.ok()) return fail(s);
  if (!config.host_network) {
    r.netns_path = r.dir + "/netns";
    s = CreateNetns(r.netns_path);
    if (!s.ok()) return fail(s);
  }
  s = cgroups_.Create(r.cgroup_parent);
  if (!s.ok()) return fail(s);
  s = cgroups_.Apply(r.cgroup_parent, config.pod_resources);
  if (!s.ok()) return fail(s);
  // The infra process gets a leaf of its own: cgroup v2 allows processes
  // only in leaves once controllers are enabled for the children.
  std::string infra_cgroup = r.cgroup_parent + "/infra";
  s = cgroups_.Create(infra_cgroup);
  if (!s.ok()) return fail(s);
  auto files = WritePodFiles(r.dir, config);
  if (!files.ok()) return fail(files.status());

  DaemonSpec pause;
  pause.argv = {options_.shim_path, "pause",
                "--ready",          r.dir + "/" + kPauseReadyFile,
                "--cgroup",         infra_cgroup};
  if (!r.netns_path.empty()) {
    pause.argv.insert(pause.argv.end(), {"--netns", r.netns_path});
    pause.argv.insert(pause.argv.end(), {"--hostname", config.hostname.empty()
                                                           ? config.name
                                                           : config.hostname});
  } else {
    pause.argv.push_back("--host-uts");
  }
  if (config.host_ipc) pause.argv.push_back("--host-ipc");
  pause.stderr_path = r.dir + "/pause.log";
  auto pid = options_.runner->SpawnDaemon(pause);
  if (!pid.ok()) return fail(pid.status());
  r.pause_pid = *pid;
  bool ready = PollUntil(
      [&] {
        return ReadIntFile(r.dir + "/" + kPauseReadyFile).has_value() ||
               !ProcessAlive(r.pause_pid);
      },
      std::chrono::seconds(10));
  if (!ready || !ReadIntFile(r.dir + "/" + kPauseReadyFile)) {
    auto log = ReadFile(r.dir + "/pause.log");
    return fail(Status::Internal("sandbox infra process did not start: " +
                                 (log.ok() ? *log : std::string())));
  }
  r.ready = true;
  s = SaveSandbox(r);
  if (!s.ok()) return fail(s);
  return r.id;
}

void ShimRuntime::KillPause(const SandboxRecord& r) const {
  if (IsShim(r.pause_pid)) {
    kill(r.pause_pid, SIGKILL);
    PollUntil([&] { return !ProcessAlive(r.pause_pid); },
              std::chrono::seconds(5));
  }
}

Status ShimRuntime::StopPodSandbox(const std::string& sandbox_id) {
  auto r = LoadSandbox(sandbox_id);
  if (!r.ok()) return r.status();
  for (const auto& cid : ContainerIdsOf(sandbox_id)) {
    Status s = StopContainer(cid, std::chrono::seconds(0));
    if (!s.ok() && !s.IsNotFound()) return s;
  }
  std::lock_guard<std::mutex> lock(mu_);
  KillPause(*r);
  r->ready = false;
  return SaveSandbox(*r);
}

Status ShimRuntime::RemoveCgroupAndDir(const std::string& cgroup,
                                       const std::string& dir) {
  if (Status s = cgroups_.Remove(cgroup); !s.ok()) return s;
  std::error_code ec;
  fs::remove_all(dir, ec);
  if (ec) return Status::Internal("cannot remove " + dir + ": " + ec.message());
  return Status::Ok();
}

Status ShimRuntime::RemovePodSandbox(const std::string& sandbox_id) {
  auto r = LoadSandbox(sandbox_id);
  if (!r.ok()) return r.status().IsNotFound() ? Status::Ok() : r.status();
  Status s = StopPodSandbox(sandbox_id);
  if (!s.ok()) return s;
  for (const auto& cid : ContainerIdsOf(sandbox_id)) {
    s = RemoveContainer(cid);
    if (!s.ok() && !s.IsNotFound()) return s;
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (!r->netns_path.empty()) {
    s = RemoveNetns(r->netns_path);
    if (!s.ok()) return s;
  }
  return RemoveCgroupAndDir(r->cgroup_parent, r->dir);
}

StatusOr<PodSandboxStatus> ShimRuntime::SandboxStatus(
    const std::string& sandbox_id) {
  auto r = LoadSandbox(sandbox_id);
  if (!r.ok()) return r.status();
  PodSandboxStatus st;
  st.id = r->id;
  // Ready while the infra process holds the pod's namespaces.
  st.state = r->ready && IsShim(r->pause_pid) ? SandboxState::kReady
                                              : SandboxState::kNotReady;
  st.name = r->config.name;
  st.pod_namespace = r->config.pod_namespace;
  st.uid = r->config.uid;
  st.attempt = r->config.attempt;
  st.created_at = r->created_at;
  st.netns_path = r->netns_path;
  st.labels = r->config.labels;
  st.annotations = r->config.annotations;
  return st;
}

StatusOr<std::vector<PodSandboxStatus>> ShimRuntime::ListPodSandboxes() {
  std::vector<PodSandboxStatus> out;
  for (const auto& id : SubdirNames(options_.root + "/sandboxes")) {
    auto st = SandboxStatus(id);
    if (st.ok()) out.push_back(std::move(st).value());
  }
  return out;
}

// --- containers ---

std::vector<std::string> ShimRuntime::ContainerIdsOf(
    const std::string& sandbox_id) const {
  std::vector<std::string> out;
  for (const auto& id : SubdirNames(options_.root + "/containers")) {
    auto r = LoadContainer(id);
    if (r.ok() && r->sandbox_id == sandbox_id) out.push_back(id);
  }
  return out;
}

StatusOr<std::string> ShimRuntime::CreateContainer(
    const std::string& sandbox_id, const ContainerConfig& config,
    const PodSandboxConfig& sandbox_config) {
  auto sandbox = LoadSandbox(sandbox_id);
  if (!sandbox.ok()) return sandbox.status();
  if (!sandbox->ready || !IsShim(sandbox->pause_pid)) {
    return Status::Conflict("sandbox " + sandbox_id + " is not ready");
  }
  if (config.log_path.empty()) {
    return Status::Invalid("container " + config.name + " has no log path");
  }
  ContainerRecord r;
  r.id = NewId();
  r.dir = ContainerDir(r.id);
  r.sandbox_id = sandbox_id;
  r.name = config.name;
  r.attempt = config.attempt;
  r.image = config.image;
  r.log_path = config.log_path;
  r.cgroup = sandbox->cgroup_parent + "/" + r.id;
  r.created_at = std::chrono::system_clock::now();
  r.labels = config.labels;
  r.annotations = config.annotations;
  std::lock_guard<std::mutex> lock(mu_);
  std::error_code ec;
  fs::create_directories(r.dir, ec);
  if (ec)
    return Status::Internal("cannot create " + r.dir + ": " + ec.message());
  auto spec = PrepareContainer(r, config, *sandbox);
  Status s = spec.ok() ? Status::Ok() : spec.status();
  if (s.ok()) {
    spec->dir = r.dir;
    spec->log_path = r.log_path;
    spec->memory_cgroup = r.cgroup;
    spec->stdin_open = config.stdin_open;
    spec->stdin_once = config.stdin_once;
    spec->tty = config.tty;
    s = WriteFileAtomic(r.dir + "/" + kShimSpecFile, ShimSpecToJson(*spec));
  }
  if (s.ok()) s = SaveContainer(r);
  if (!s.ok()) {
    CleanupContainer(r);
    fs::remove_all(r.dir, ec);
    return s;
  }
  return r.id;
}

Status ShimRuntime::StartContainer(const std::string& container_id) {
  auto r = LoadContainer(container_id);
  if (!r.ok()) return r.status();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (ReadIntFile(r->dir + "/" + kShimPidFile) ||
        fs::exists(r->dir + "/shim.log")) {
      return Status::Conflict("container " + container_id +
                              " was already started");
    }
    DaemonSpec shim;
    shim.argv = {options_.shim_path, "run", r->dir + "/" + kShimSpecFile};
    shim.stdout_path = r->dir + "/shim.log";
    shim.stderr_path = r->dir + "/shim.log";
    auto pid = options_.runner->SpawnDaemon(shim);
    if (!pid.ok()) return pid.status();
  }
  std::string exit_file = r->dir + "/" + kExitFile;
  std::string started_file = r->dir + "/" + kStartedFile;
  bool settled = PollUntil(
      [&] { return fs::exists(started_file) || fs::exists(exit_file); },
      std::chrono::seconds(60));
  if (!settled) {
    return Status::Timeout("container " + container_id + " did not start");
  }
  if (!fs::exists(started_file)) {
    auto text = ReadFile(exit_file);
    auto rec = text.ok() ? ExitRecordFromJson(*text) : text.status();
    return Status::Internal("container " + r->name + " failed to start: " +
                            (rec.ok() ? rec->message : rec.status().message()));
  }
  return Status::Ok();
}

int ShimRuntime::RunningPid(const ContainerRecord& r) const {
  if (fs::exists(r.dir + "/" + kExitFile)) return 0;
  auto shim = ReadIntFile(r.dir + "/" + kShimPidFile);
  auto pid = ReadIntFile(r.dir + "/" + kContainerPidFile);
  if (!shim || !pid || !IsShim(static_cast<int>(*shim))) return 0;
  return ProcessAlive(static_cast<int>(*pid)) ? static_cast<int>(*pid) : 0;
}

bool ShimRuntime::WaitForExit(const ContainerRecord& r,
                              std::chrono::milliseconds timeout) const {
  return PollUntil(
      [&] {
        if (fs::exists(r.dir + "/" + kExitFile)) return true;
        auto shim = ReadIntFile(r.dir + "/" + kShimPidFile);
        return !shim || !IsShim(static_cast<int>(*shim));
      },
      timeout);
}

Status ShimRuntime::StopContainer(const std::string& container_id,
                                  std::chrono::seconds grace) {
  auto r = LoadContainer(container_id);
  if (!r.ok()) return r.status();
  int pid = RunningPid(*r);
  if (pid <= 0) return Status::Ok();
  if (grace.count() > 0) {
    kill(pid, SIGTERM);
    if (WaitForExit(*r, grace)) return Status::Ok();
  }
  // Killing the init of the container's pid namespace ends all of it.
  kill(pid, SIGKILL);
  if (!WaitForExit(*r, std::chrono::seconds(30))) {
    return Status::Timeout("container " + r->name + " did not exit");
  }
  return Status::Ok();
}

Status ShimRuntime::RemoveContainer(const std::string& container_id) {
  auto r = LoadContainer(container_id);
  if (!r.ok()) return r.status().IsNotFound() ? Status::Ok() : r.status();
  Status s = StopContainer(container_id, std::chrono::seconds(0));
  if (!s.ok()) return s;
  std::lock_guard<std::mutex> lock(mu_);
  // A shim that never got to start its container still runs; end it.
  if (auto shim = ReadIntFile(r->dir + "/" + kShimPidFile);
      shim && IsShim(static_cast<int>(*shim))) {
    kill(static_cast<int>(*shim), SIGKILL);
  }
  CleanupContainer(*r);
  return RemoveCgroupAndDir(r->cgroup, r->dir);
}

StatusOr<ContainerStatus> ShimRuntime::GetContainerStatus(
    const std::string& container_id) {
  auto r = LoadContainer(container_id);
  if (!r.ok()) return r.status();
  ContainerStatus st;
  st.id = r->id;
  st.sandbox_id = r->sandbox_id;
  st.name = r->name;
  st.attempt = r->attempt;
  st.created_at = r->created_at;
  st.image = r->image;
  st.image_id = r->image_id;
  st.log_path = r->log_path;
  st.labels = r->labels;
  st.annotations = r->annotations;
  st.state = ContainerState::kCreated;
  if (auto started = ReadIntFile(r->dir + "/" + kStartedFile)) {
    st.started_at = FromUnixNanos(*started);
  }
  auto read_exit = [&]() -> bool {
    auto text = ReadFile(r->dir + "/" + kExitFile);
    if (!text.ok()) return false;
    auto rec = ExitRecordFromJson(*text);
    if (!rec.ok()) return false;
    st.state = ContainerState::kExited;
    st.exit_code = rec->exit_code;
    st.finished_at = rec->finished_at;
    st.message = rec->message;
    st.reason = rec->oom_killed       ? "OOMKilled"
                : rec->exit_code == 0 ? "Completed"
                                      : "Error";
    return true;
  };
  if (read_exit()) return st;
  auto shim = ReadIntFile(r->dir + "/" + kShimPidFile);
  bool shim_alive = shim && IsShim(static_cast<int>(*shim));
  if (shim_alive) {
    if (st.started_at) st.state = ContainerState::kRunning;
    return st;
  }
  // The shim may have finished between the two reads.
  if (read_exit()) return st;
  if (shim || st.started_at) {
    st.state = ContainerState::kExited;
    st.exit_code = 255;
    st.reason = "Error";
    st.message = "the container's shim exited without recording an exit";
    st.finished_at = st.started_at.value_or(st.created_at);
  }
  return st;
}

StatusOr<std::vector<ContainerStatus>> ShimRuntime::ListContainers() {
  std::vector<ContainerStatus> out;
  for (const auto& id : SubdirNames(options_.root + "/containers")) {
    auto st = GetContainerStatus(id);
    if (st.ok()) out.push_back(std::move(st).value());
  }
  return out;
}

Status ShimRuntime::ReopenContainerLog(const std::string& container_id) {
  auto r = LoadContainer(container_id);
  if (!r.ok()) return r.status();
  auto shim = ReadIntFile(r->dir + "/" + kShimPidFile);
  if (!shim || !IsShim(static_cast<int>(*shim)) ||
      fs::exists(r->dir + "/" + kExitFile)) {
    return Status::Conflict("container " + r->name + " is not running");
  }
  kill(static_cast<int>(*shim), SIGUSR1);
  return Status::Ok();
}

StatusOr<ExecSyncResult> ShimRuntime::ExecSync(
    const std::string& container_id, const std::vector<std::string>& cmd,
    std::chrono::seconds timeout) {
  auto r = LoadContainer(container_id);
  if (!r.ok()) return r.status();
  int pid = RunningPid(*r);
  if (pid <= 0) {
    return Status::Conflict("container " + r->name + " is not running");
  }
  ProcessSpec spec;
  spec.argv = ExecArgv(*r, pid, cmd, false, "");
  spec.timeout = timeout;
  auto result = options_.runner->Run(spec);
  if (!result.ok()) return result.status();
  ExecSyncResult out;
  out.exit_code =
      result->exit_code >= 0 ? result->exit_code : 128 + result->signal;
  out.stdout_data = std::move(result->stdout_data);
  out.stderr_data = std::move(result->stderr_data);
  out.timed_out = result->timed_out;
  return out;
}

StatusOr<int> ShimRuntime::Exec(const std::string& container_id,
                                const std::vector<std::string>& cmd,
                                ExecStreams& streams) {
  auto r = LoadContainer(container_id);
  if (!r.ok()) return r.status();
  int pid = RunningPid(*r);
  if (pid <= 0) {
    return Status::Conflict("container " + r->name + " is not running");
  }
  if (!streams.tty()) {
    return RunWithStreams(ExecArgv(*r, pid, cmd, false, ""), streams);
  }
  std::string console;
  if (UsesConsoleSocket()) {
    static std::atomic<int> counter{0};
    console = r->dir + "/console-" + std::to_string(getpid()) + "-" +
              std::to_string(counter++) + ".sock";
  }
  return RunWithTerminal(ExecArgv(*r, pid, cmd, true, console), console,
                         streams);
}

Status ShimRuntime::Attach(const std::string& container_id,
                           ExecStreams& streams) {
  auto r = LoadContainer(container_id);
  if (!r.ok()) return r.status();
  if (RunningPid(*r) <= 0) {
    return Status::Conflict("container " + r->name + " is not running");
  }
  return AttachToShim(r->dir + "/" + kAttachSocket, streams);
}

Status ShimRuntime::PortForward(const std::string& sandbox_id,
                                PortForwardStream& stream) {
  auto r = LoadSandbox(sandbox_id);
  if (!r.ok()) return r.status();
  return ForwardPort(r->netns_path, stream);
}

}  // namespace berth::runtime
