#include "oci_spec.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "berth/json.h"
#include "json_util.h"

namespace berth::runtime {
namespace {

constexpr char kDefaultPath[] =
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// Docker's (and containerd's CRI) default capabilities.
const std::vector<std::string>& DefaultCaps() {
  static const std::vector<std::string> caps = {"CAP_CHOWN",
                                                "CAP_DAC_OVERRIDE",
                                                "CAP_FSETID",
                                                "CAP_FOWNER",
                                                "CAP_MKNOD",
                                                "CAP_NET_RAW",
                                                "CAP_SETGID",
                                                "CAP_SETUID",
                                                "CAP_SETFCAP",
                                                "CAP_SETPCAP",
                                                "CAP_NET_BIND_SERVICE",
                                                "CAP_SYS_CHROOT",
                                                "CAP_KILL",
                                                "CAP_AUDIT_WRITE"};
  return caps;
}

const std::vector<std::string>& AllCaps() {
  static const std::vector<std::string> caps = {"CAP_CHOWN",
                                                "CAP_DAC_OVERRIDE",
                                                "CAP_DAC_READ_SEARCH",
                                                "CAP_FOWNER",
                                                "CAP_FSETID",
                                                "CAP_KILL",
                                                "CAP_SETGID",
                                                "CAP_SETUID",
                                                "CAP_SETPCAP",
                                                "CAP_LINUX_IMMUTABLE",
                                                "CAP_NET_BIND_SERVICE",
                                                "CAP_NET_BROADCAST",
                                                "CAP_NET_ADMIN",
                                                "CAP_NET_RAW",
                                                "CAP_IPC_LOCK",
                                                "CAP_IPC_OWNER",
                                                "CAP_SYS_MODULE",
                                                "CAP_SYS_RAWIO",
                                                "CAP_SYS_CHROOT",
                                                "CAP_SYS_PTRACE",
                                                "CAP_SYS_PACCT",
                                                "CAP_SYS_ADMIN",
                                                "CAP_SYS_BOOT",
                                                "CAP_SYS_NICE",
                                                "CAP_SYS_RESOURCE",
                                                "CAP_SYS_TIME",
                                                "CAP_SYS_TTY_CONFIG",
                                                "CAP_MKNOD",
                                                "CAP_LEASE",
                                                "CAP_AUDIT_WRITE",
                                                "CAP_AUDIT_CONTROL",
                                                "CAP_SETFCAP",
                                                "CAP_MAC_OVERRIDE",
                                                "CAP_MAC_ADMIN",
                                                "CAP_SYSLOG",
                                                "CAP_WAKE_ALARM",
                                                "CAP_BLOCK_SUSPEND",
                                                "CAP_AUDIT_READ"};
  return caps;
}

std::string CapName(std::string name) {
  std::transform(name.begin(), name.end(), name.begin(), ::toupper);
  return name.rfind("CAP_", 0) == 0 ? name : "CAP_" + name;
}

// "uid[:gid]" with numbers or names (names looked up in the image's
// /etc/passwd and /etc/group).
Status ResolveUser(const std::string& user, const std::string& rootfs,
                   int64_t& uid, int64_t& gid) {
  if (user.empty()) return Status::Ok();
  std::string u = user, g;
  if (auto colon = user.find(':'); colon != std::string::npos) {
    u = user.substr(0, colon);
    g = user.substr(colon + 1);
  }
  auto lookup = [&](const std::string& file, const std::string& name,
                    int64_t& id, int64_t* primary_gid) -> bool {
    if (!name.empty() &&
        name.find_first_not_of("0123456789") == std::string::npos) {
      id = std::stoll(name);
      return true;
    }
    std::ifstream in(rootfs + file);
    std::string line;
    while (std::getline(in, line)) {
      std::vector<std::string> f;
      std::stringstream ss(line);
      std::string part;
      while (std::getline(ss, part, ':')) f.push_back(part);
      if (f.size() >= 3 && f[0] == name) {
        id = std::stoll(f[2]);
        if (primary_gid && f.size() >= 4) *primary_gid = std::stoll(f[3]);
        return true;
      }
    }
    return false;
  };
  int64_t primary = gid;
  if (!lookup("/etc/passwd", u, uid, &primary)) {
    return Status::Invalid("unable to find user " + u + " in the image");
  }
  if (g.empty()) {
    gid = primary;
  } else if (!lookup("/etc/group", g, gid, nullptr)) {
    return Status::Invalid("unable to find group " + g + " in the image");
  }
  return Status::Ok();
}

Json Strings(std::initializer_list<const char*> values, JsonAlloc& a) {
  Json arr(rapidjson::kArrayType);
  for (const char* v : values) arr.PushBack(MakeString(v, a), a);
  return arr;
}

Json MountEntry(const std::string& dest, const std::string& type,
                const std::string& source, const std::vector<std::string>& opts,
                JsonAlloc& a) {
  Json m(rapidjson::kObjectType);
  m.AddMember("destination", MakeString(dest, a), a);
  m.AddMember("type", MakeString(type, a), a);
  m.AddMember("source", MakeString(source, a), a);
  m.AddMember("options", MakeStrings(opts, a), a);
  return m;
}

}  // namespace

StatusOr<std::vector<std::string>> ContainerArgv(
    const ContainerConfig& c, const oci::ImageRunConfig& image) {
  std::vector<std::string> argv;
  if (!c.command.empty()) {
    argv = c.command;
    argv.insert(argv.end(), c.args.begin(), c.args.end());
  } else {
    argv = image.entrypoint;
    const auto& rest = c.args.empty() ? image.cmd : c.args;
    argv.insert(argv.end(), rest.begin(), rest.end());
  }
  if (argv.empty()) {
    return Status::Invalid("container " + c.name +
                           ": no command specified (neither in the pod nor "
                           "in the image)");
  }
  return argv;
}

std::vector<std::string> ContainerCapabilities(const SecurityContext& sc) {
  if (sc.privileged) return AllCaps();
  std::set<std::string> drop;
  bool drop_all = false;
  for (const auto& d : sc.drop_capabilities) {
    if (CapName(d) == "CAP_ALL") drop_all = true;
    drop.insert(CapName(d));
  }
  std::vector<std::string> caps;
  if (!drop_all) {
    for (const auto& c : DefaultCaps()) {
      if (!drop.count(c)) caps.push_back(c);
    }
  }
  for (const auto& add : sc.add_capabilities) {
    if (CapName(add) == "CAP_ALL") return AllCaps();
    std::string name = CapName(add);
    if (std::find(caps.begin(), caps.end(), name) == caps.end()) {
      caps.push_back(name);
    }
  }
  return caps;
}

StatusOr<std::string> BuildOciSpec(const OciSpecInput& in) {
  const ContainerConfig& c = *in.container;
  const oci::ImageRunConfig& image = *in.image;
  auto argv = ContainerArgv(c, image);
  if (!argv.ok()) return argv.status();

  int64_t uid = 0, gid = 0;
  Status s = ResolveUser(image.user, in.rootfs, uid, gid);
  if (!s.ok()) return s;
  if (c.security.run_as_user) {
    uid = *c.security.run_as_user;
    if (!c.security.run_as_group && image.user.find(':') == std::string::npos) {
      gid = 0;
    }
  }
  if (c.security.run_as_group) gid = *c.security.run_as_group;

  // The image's environment, then the pod's (a later key wins).
  std::vector<std::pair<std::string, std::string>> env;
  auto set_env = [&](const std::string& k, const std::string& v) {
    for (auto& e : env) {
      if (e.first == k) {
        e.second = v;
        return;
      }
    }
    env.emplace_back(k, v);
  };
  for (const auto& kv : image.env) {
    auto eq = kv.find('=');
    if (eq == std::string::npos) continue;
    set_env(kv.substr(0, eq), kv.substr(eq + 1));
  }
  bool has_path = false;
  for (const auto& e : env) has_path = has_path || e.first == "PATH";
  if (!has_path) {
    env.insert(env.begin(), {"PATH", std::string(kDefaultPath).substr(5)});
  }
  set_env("HOSTNAME", in.hostname);
  for (const auto& [k, v] : c.env) set_env(k, v);
  std::vector<std::string> env_lines;
  for (const auto& [k, v] : env) env_lines.push_back(k + "=" + v);

  JsonDoc d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  d.AddMember("ociVersion", "1.0.2", a);

  Json process(rapidjson::kObjectType);
  process.AddMember("terminal", c.tty, a);
  Json user(rapidjson::kObjectType);
  user.AddMember("uid", Json(uid), a);
  user.AddMember("gid", Json(gid), a);
  if (!c.security.supplemental_groups.empty()) {
    Json groups(rapidjson::kArrayType);
    for (int64_t g : c.security.supplemental_groups)
      groups.PushBack(Json(g), a);
    user.AddMember("additionalGids", groups, a);
  }
  process.AddMember("user", user, a);
  process.AddMember("args", MakeStrings(*argv, a), a);
  process.AddMember("env", MakeStrings(env_lines, a), a);
  std::string cwd = !c.working_dir.empty()       ? c.working_dir
                    : !image.working_dir.empty() ? image.working_dir
                                                 : "/";
  process.AddMember("cwd", MakeString(cwd, a), a);
  auto caps = ContainerCapabilities(c.security);
  Json capabilities(rapidjson::kObjectType);
  for (const char* set : {"bounding", "effective", "permitted"}) {
    capabilities.AddMember(Json(set, a), MakeStrings(caps, a), a);
  }
  // Root keeps its capabilities across exec only through the ambient set
  // when it is not uid 0; Kubernetes does not do that, neither do we.
  process.AddMember("capabilities", capabilities, a);
  process.AddMember(
      "noNewPrivileges",
      !c.security.allow_privilege_escalation && !c.security.privileged, a);
  d.AddMember("process", process, a);

  Json root(rapidjson::kObjectType);
  root.AddMember("path", MakeString(in.rootfs, a), a);
  root.AddMember("readonly", c.security.read_only_root_filesystem, a);
  d.AddMember("root", root, a);

  Json mounts(rapidjson::kArrayType);
  mounts.PushBack(
      MountEntry("/proc", "proc", "proc", {"nosuid", "noexec", "nodev"}, a), a);
  mounts.PushBack(
      MountEntry("/dev", "tmpfs", "tmpfs",
                 {"nosuid", "strictatime", "mode=755", "size=65536k"}, a),
      a);
  mounts.PushBack(MountEntry("/dev/pts", "devpts", "devpts",
                             {"nosuid", "noexec", "newinstance",
                              "ptmxmode=0666", "mode=0620", "gid=5"},
                             a),
                  a);
  mounts.PushBack(
      MountEntry("/dev/shm", "tmpfs", "shm",
                 {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}, a),
      a);
  mounts.PushBack(MountEntry("/dev/mqueue", "mqueue", "mqueue",
                             {"nosuid", "noexec", "nodev"}, a),
                  a);
  mounts.PushBack(MountEntry("/sys", "sysfs", "sysfs",
                             {"nosuid", "noexec", "nodev",
                              c.security.privileged ? "rw" : "ro"},
                             a),
                  a);
  mounts.PushBack(
      MountEntry("/sys/fs/cgroup", "cgroup", "cgroup",
                 {"nosuid", "noexec", "nodev", "relatime", "ro"}, a),
      a);
  // The pod's files (writable, as the kubelet mounts them).
  std::vector<std::pair<std::string, std::string>> pod_files = {
      {"/etc/hosts", in.pod_files.hosts},
      {"/etc/hostname", in.pod_files.hostname},
      {"/etc/resolv.conf", in.pod_files.resolv_conf}};
  for (const auto& [dest, src] : pod_files) {
    if (src.empty()) continue;
    bool user_mounted = false;
    for (const auto& m : c.mounts) user_mounted |= m.container_path == dest;
    if (user_mounted) continue;
    mounts.PushBack(
        MountEntry(dest, "bind", src, {"rbind", "rprivate", "rw"}, a), a);
  }
  bool bidirectional = false;
  for (const auto& m : c.mounts) {
    if (m.tmpfs) {
      std::vector<std::string> opts = {"nosuid", "nodev"};
      if (m.tmpfs_size_bytes) {
        opts.push_back("size=" + std::to_string(m.tmpfs_size_bytes));
      }
      if (m.read_only) opts.push_back("ro");
      mounts.PushBack(MountEntry(m.container_path, "tmpfs", "tmpfs", opts, a),
                      a);
      continue;
    }
    std::string propagation = "rprivate";
    if (m.propagation == "HostToContainer") propagation = "rslave";
    if (m.propagation == "Bidirectional") {
      propagation = "rshared";
      bidirectional = true;
    }
    mounts.PushBack(
        MountEntry(m.container_path, "bind", m.host_path,
                   {"rbind", propagation, m.read_only ? "ro" : "rw"}, a),
        a);
  }
  d.AddMember("mounts", mounts, a);

  Json linux(rapidjson::kObjectType);
  Json namespaces(rapidjson::kArrayType);
  auto ns = [&](const char* type, const std::string& path) {
    Json n(rapidjson::kObjectType);
    n.AddMember("type", Json(type, a), a);
    if (!path.empty()) n.AddMember("path", MakeString(path, a), a);
    namespaces.PushBack(n, a);
  };
  if (!in.host_pid) ns("pid", "");
  ns("mount", "");
  if (in.cgroup_namespace) ns("cgroup", "");
  if (!in.netns_path.empty()) ns("network", in.netns_path);
  if (in.infra_pid > 0) {
    std::string base = "/proc/" + std::to_string(in.infra_pid) + "/ns/";
    ns("ipc", base + "ipc");
    ns("uts", base + "uts");
  } else {
    ns("ipc", "");
  }
  linux.AddMember("namespaces", namespaces, a);
  linux.AddMember("cgroupsPath", MakeString(in.cgroups_path, a), a);

  Json resources(rapidjson::kObjectType);
  Json devices(rapidjson::kArrayType);
  Json dev(rapidjson::kObjectType);
  dev.AddMember("allow", c.security.privileged, a);
  dev.AddMember("access", "rwm", a);
  devices.PushBack(dev, a);
  resources.AddMember("devices", devices, a);
  const LinuxResources& r = c.resources;
  Json cpu(rapidjson::kObjectType);
  cpu.AddMember("shares",
                Json(static_cast<uint64_t>(std::max<int64_t>(2, r.cpu_shares))),
                a);
  if (r.cpu_quota_us > 0) {
    cpu.AddMember("quota", Json(r.cpu_quota_us), a);
    cpu.AddMember("period", Json(static_cast<uint64_t>(r.cpu_period_us)), a);
  }
  resources.AddMember("cpu", cpu, a);
  if (r.memory_limit_bytes > 0) {
    Json mem(rapidjson::kObjectType);
    mem.AddMember("limit", Json(r.memory_limit_bytes), a);
    resources.AddMember("memory", mem, a);
  }
  if (r.pids_limit > 0) {
    Json pids(rapidjson::kObjectType);
    pids.AddMember("limit", Json(r.pids_limit), a);
    resources.AddMember("pids", pids, a);
  }
  linux.AddMember("resources", resources, a);
  if (bidirectional) linux.AddMember("rootfsPropagation", "rshared", a);
  if (!c.security.privileged) {
    linux.AddMember(
        "maskedPaths",
        Strings({"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
                 "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
                 "/proc/sched_debug", "/proc/scsi", "/sys/firmware"},
                a),
        a);
    linux.AddMember("readonlyPaths",
                    Strings({"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
                             "/proc/sysrq-trigger"},
                            a),
                    a);
  }
  d.AddMember("linux", linux, a);
  return ToJson(d);
}

}  // namespace berth::runtime
