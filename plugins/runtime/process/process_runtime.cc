#include "process_runtime.h"

#include <utility>

namespace berth::runtime {

ProcessRuntime::ProcessRuntime(ShimRuntimeOptions options)
    : ShimRuntime(std::move(options)) {}

StatusOr<ShimSpec> ProcessRuntime::PrepareContainer(
    ContainerRecord& record, const ContainerConfig& config,
    const SandboxRecord& sandbox) {
  ShimSpec spec;
  spec.argv = config.command;
  spec.argv.insert(spec.argv.end(), config.args.begin(), config.args.end());
  if (spec.argv.empty()) {
    return Status::Invalid("container " + config.name +
                           ": the process runtime runs the container's "
                           "command, and it has none");
  }
  spec.env.push_back(
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  spec.env.push_back("HOSTNAME=" + (sandbox.config.hostname.empty()
                                        ? sandbox.config.name
                                        : sandbox.config.hostname));
  for (const auto& [k, v] : config.env) spec.env.push_back(k + "=" + v);
  spec.working_dir = config.working_dir;
  spec.cgroup = record.cgroup;
  spec.host_pid = sandbox.config.host_pid;
  spec.netns = sandbox.netns_path;
  std::string pause_ns = "/proc/" + std::to_string(sandbox.pause_pid) + "/ns/";
  spec.ipc_ns = pause_ns + "ipc";
  spec.uts_ns = pause_ns + "uts";
  for (const auto& m : config.mounts) {
    ShimMount sm;
    sm.source = m.host_path;
    sm.destination = m.container_path;
    sm.read_only = m.read_only;
    sm.tmpfs = m.tmpfs;
    sm.tmpfs_size_bytes = m.tmpfs_size_bytes;
    spec.mounts.push_back(std::move(sm));
  }
  spec.uid = config.security.run_as_user;
  spec.gid = config.security.run_as_group;
  Status s = cgroups().Create(record.cgroup);
  if (!s.ok()) return s;
  s = cgroups().Apply(record.cgroup, config.resources);
  if (!s.ok()) return s;
  return spec;
}

std::vector<std::string> ProcessRuntime::ExecArgv(
    const ContainerRecord& record, int pid, const std::vector<std::string>& cmd,
    bool tty, const std::string& console_socket) const {
  std::vector<std::string> argv = {options().shim_path, "nsexec",
                                   "--target",          std::to_string(pid),
                                   "--cgroup",          record.cgroup};
  if (tty) argv.push_back("--tty");
  argv.push_back("--");
  argv.insert(argv.end(), cmd.begin(), cmd.end());
  return argv;
}

void ProcessRuntime::CleanupContainer(const ContainerRecord& record) {
  (void)cgroups().Remove(record.cgroup);
}

}  // namespace berth::runtime
