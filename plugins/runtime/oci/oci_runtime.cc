#include "oci_runtime.h"

#include <signal.h>
#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "files.h"
#include "oci_spec.h"
#include "pod_files.h"

namespace berth::runtime {
namespace fs = std::filesystem;

OciRuntime::OciRuntime(OciRuntimeOptions options)
    : ShimRuntime(options.base),
      oci_(std::move(options)),
      state_root_(oci_.base.root + "/" + oci_.base.name + "-state") {}

std::vector<std::string> OciRuntime::Cli(std::vector<std::string> args) const {
  std::vector<std::string> argv = {oci_.binary, "--root", state_root_};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

std::string OciRuntime::Version() const {
  std::call_once(version_once_, [this] { version_ = ReadVersion(); });
  return version_;
}

std::string OciRuntime::ReadVersion() const {
  std::string v = oci_.base.name;
  if (options().runner) {
    ProcessSpec spec;
    spec.argv = {oci_.binary, "--version"};
    spec.timeout = std::chrono::seconds(10);
    auto r = options().runner->Run(spec);
    if (r.ok() && r->exit_code == 0) {
      // "runc version 1.1.5+ds1" / "crun version 1.8.1"
      std::string first = r->stdout_data.substr(0, r->stdout_data.find('\n'));
      auto sp = first.rfind(' ');
      if (sp != std::string::npos) v += " " + first.substr(sp + 1);
    }
  }
  return v;
}

StatusOr<ImageInfo> OciRuntime::PullImage(
    const std::string& image, const std::optional<ImageAuth>& auth) {
  if (!oci_.images) return Status::Unavailable("no image store");
  auto r = oci_.images->Pull(image, auth);
  if (!r.ok()) return r.status();
  return r->info;
}

StatusOr<ImageInfo> OciRuntime::ImageStatus(const std::string& image) {
  if (!oci_.images) return Status::Unavailable("no image store");
  auto r = oci_.images->Resolve(image);
  if (!r.ok()) return r.status();
  return r->info;
}

StatusOr<std::vector<ImageInfo>> OciRuntime::ListImages() {
  if (!oci_.images) return Status::Unavailable("no image store");
  auto list = oci_.images->List();
  if (!list.ok()) return list.status();
  std::vector<ImageInfo> out;
  for (auto& r : *list) out.push_back(std::move(r.info));
  return out;
}

Status OciRuntime::RemoveImage(const std::string& image) {
  if (!oci_.images) return Status::Unavailable("no image store");
  return oci_.images->Remove(image);
}

StatusOr<ImageFsUsage> OciRuntime::ImageFsInfo() {
  if (!oci_.images) return Status::Unavailable("no image store");
  return oci_.images->FsUsage();
}

StatusOr<ShimSpec> OciRuntime::PrepareContainer(ContainerRecord& record,
                                                const ContainerConfig& config,
                                                const SandboxRecord& sandbox) {
  if (!oci_.images) return Status::Unavailable("no image store");
  auto image = oci_.images->Resolve(config.image);
  if (!image.ok()) return image.status();
  if (image->layer_dirs.empty()) {
    return Status::Invalid("image " + config.image + " has no layers");
  }
  record.image_id = image->info.id;

  // overlayfs lists lower dirs topmost first; the store lists base first.
  std::string lower;
  for (auto it = image->layer_dirs.rbegin(); it != image->layer_dirs.rend();
       ++it) {
    if (!lower.empty()) lower += ":";
    lower += *it;
  }
  std::string rootfs = record.dir + "/rootfs";
  std::string upper = record.dir + "/overlay/upper";
  std::string work = record.dir + "/overlay/work";
  for (const auto& d : {rootfs, upper, work}) {
    std::error_code ec;
    fs::create_directories(d, ec);
    if (ec) return Status::Internal("cannot create " + d + ": " + ec.message());
  }
  std::string opts =
      "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work;
  if (mount("overlay", rootfs.c_str(), "overlay", 0, opts.c_str()) != 0) {
    return Status::Internal("cannot mount the root filesystem of " +
                            config.name + ": " + strerror(errno));
  }

  OciSpecInput in;
  in.container = &config;
  in.image = &image->run;
  in.rootfs = rootfs;
  in.cgroups_path = record.cgroup;
  in.hostname = sandbox.config.hostname.empty() ? sandbox.config.name
                                                : sandbox.config.hostname;
  in.netns_path = sandbox.netns_path;
  in.infra_pid = sandbox.pause_pid;
  in.host_pid = sandbox.config.host_pid;
  in.cgroup_namespace = oci_.cgroup_namespace;
  in.pod_files = PodFilePaths{sandbox.dir + "/hosts", sandbox.dir + "/hostname",
                              sandbox.dir + "/resolv.conf"};
  auto config_json = BuildOciSpec(in);
  if (!config_json.ok()) return config_json.status();
  Status s = WriteFileAtomic(record.dir + "/config.json", *config_json);
  if (!s.ok()) return s;

  ShimSpec spec;
  spec.pid_file = record.dir + "/init.pid";
  std::vector<std::string> create = {"create", "--bundle", record.dir,
                                     "--pid-file", spec.pid_file};
  if (config.tty) {
    // The runtime makes the container's pty and sends us its master.
    spec.console_socket = record.dir + "/console.sock";
    create.insert(create.end(), {"--console-socket", spec.console_socket});
  }
  create.push_back(record.id);
  spec.create_argv = Cli(create);
  spec.start_argv = Cli({"start", record.id});
  spec.hide_unified_cgroup = oci_.hide_unified_cgroup;
  return spec;
}

StatusOr<ExecSyncResult> OciRuntime::ExecSync(
    const std::string& container_id, const std::vector<std::string>& cmd,
    std::chrono::seconds timeout) {
  auto r = LoadContainer(container_id);
  if (!r.ok()) return r.status();
  if (RunningPid(*r) <= 0) {
    return Status::Conflict("container " + r->name + " is not running");
  }
  static std::atomic<uint64_t> counter{0};
  std::string pid_file = r->dir + "/exec-" + std::to_string(getpid()) + "-" +
                         std::to_string(counter++) + ".pid";
  std::vector<std::string> args = {"exec", "--pid-file", pid_file, r->id};
  args.insert(args.end(), cmd.begin(), cmd.end());
  ProcessSpec spec;
  spec.argv = Cli(args);
  spec.timeout = timeout;
  auto result = options().runner->Run(spec);
  if (result.ok() && result->timed_out) {
    if (auto pid = ReadIntFile(pid_file)) kill(static_cast<int>(*pid), SIGKILL);
  }
  unlink(pid_file.c_str());
  if (!result.ok()) return result.status();
  ExecSyncResult out;
  out.exit_code =
      result->exit_code >= 0 ? result->exit_code : 128 + result->signal;
  out.stdout_data = std::move(result->stdout_data);
  out.stderr_data = std::move(result->stderr_data);
  out.timed_out = result->timed_out;
  return out;
}

std::vector<std::string> OciRuntime::ExecArgv(
    const ContainerRecord& record, int pid, const std::vector<std::string>& cmd,
    bool tty, const std::string& console_socket) const {
  std::vector<std::string> args = {"exec"};
  if (tty) args.push_back("--tty");
  if (tty && !console_socket.empty()) {
    args.insert(args.end(), {"--console-socket", console_socket});
  }
  args.push_back(record.id);
  args.insert(args.end(), cmd.begin(), cmd.end());
  return Cli(args);
}

void OciRuntime::CleanupContainer(const ContainerRecord& record) {
  if (options().runner) {
    ProcessSpec spec;
    spec.argv = Cli({"delete", "--force", record.id});
    spec.timeout = std::chrono::seconds(30);
    (void)options().runner->Run(spec);
  }
  std::string rootfs = record.dir + "/rootfs";
  umount2(rootfs.c_str(), MNT_DETACH);
}

}  // namespace berth::runtime
