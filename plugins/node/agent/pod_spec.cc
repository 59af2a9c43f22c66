#include "pod_spec.h"

#include <algorithm>

#include "framework/quantity.h"

namespace berth::node {
namespace {

std::vector<std::string> Strings(const Json* list) {
  std::vector<std::string> out;
  if (!list || !list->IsArray()) return out;
  for (const auto& v : list->GetArray()) {
    if (v.IsString()) out.push_back(v.GetString());
  }
  return out;
}

std::optional<int64_t> Milli(const Json& c, const char* section,
                             const char* resource) {
  const Json* v = Find(c, {"resources", section, resource});
  if (!v) return std::nullopt;
  return scheduler::MilliOf(*v);
}

std::optional<int64_t> Value(const Json& c, const char* section,
                             const char* resource) {
  const Json* v = Find(c, {"resources", section, resource});
  if (!v) return std::nullopt;
  return scheduler::ValueOf(*v);
}

}  // namespace

std::string PodLogDirectory(const std::string& root_dir, const Json& pod) {
  return root_dir + "/pods/" + GetString(pod, {"metadata", "namespace"}) + "_" +
         GetString(pod, {"metadata", "name"}) + "_" +
         GetString(pod, {"metadata", "uid"});
}

std::string ContainerLogPath(const std::string& root_dir, const Json& pod,
                             const std::string& container, uint32_t attempt) {
  return PodLogDirectory(root_dir, pod) + "/" + container + "/" +
         std::to_string(attempt) + ".log";
}

LinuxResources ContainerResources(const Json& container) {
  LinuxResources r;
  auto request_cpu = Milli(container, "requests", "cpu");
  auto limit_cpu = Milli(container, "limits", "cpu");
  const auto cpu = request_cpu ? request_cpu : limit_cpu;
  if (cpu) r.cpu_shares = std::max<int64_t>(2, *cpu * 1024 / 1000);
  if (limit_cpu && *limit_cpu > 0) {
    // The kernel's minimum quota is 1 ms.
    r.cpu_quota_us =
        std::max<int64_t>(1000, *limit_cpu * r.cpu_period_us / 1000);
  }
  if (auto mem = Value(container, "limits", "memory")) {
    r.memory_limit_bytes = *mem;
  }
  return r;
}

PodSandboxConfig SandboxConfigFor(const Json& pod, const NodeSettings& settings,
                                  uint32_t attempt) {
  PodSandboxConfig c;
  c.name = GetString(pod, {"metadata", "name"});
  c.pod_namespace = GetString(pod, {"metadata", "namespace"});
  c.uid = GetString(pod, {"metadata", "uid"});
  c.attempt = attempt;
  const Json* host_network = Find(pod, {"spec", "hostNetwork"});
  c.host_network =
      host_network && host_network->IsBool() && host_network->GetBool();
  for (auto [key, field] :
       {std::pair<const char*, bool*>{"hostPID", &c.host_pid},
        {"hostIPC", &c.host_ipc}}) {
    const Json* v = Find(pod, {"spec", key});
    *field = v && v->IsBool() && v->GetBool();
  }
  // spec.hostname (else the pod name), 63 characters at most.
  c.hostname = GetString(pod, {"spec", "hostname"}, c.name).substr(0, 63);
  if (c.host_network) c.hostname.clear();
  c.cgroup_parent = "/berth/pod" + c.uid;
  const std::string policy =
      GetString(pod, {"spec", "dnsPolicy"}, "ClusterFirst");
  const bool cluster_first = (policy == "ClusterFirst" && !c.host_network) ||
                             policy == "ClusterFirstWithHostNet";
  if (cluster_first && !settings.cluster_dns.empty()) {
    c.dns_servers = settings.cluster_dns;
    const std::string& d = settings.cluster_domain;
    c.dns_searches = {c.pod_namespace + ".svc." + d, "svc." + d, d};
    c.dns_options = {"ndots:5"};
  }
  if (policy == "None" || Find(pod, {"spec", "dnsConfig"})) {
    if (policy == "None") {
      c.dns_servers.clear();
      c.dns_searches.clear();
      c.dns_options.clear();
    }
    for (auto& s : Strings(Find(pod, {"spec", "dnsConfig", "nameservers"}))) {
      c.dns_servers.push_back(s);
    }
    for (auto& s : Strings(Find(pod, {"spec", "dnsConfig", "searches"}))) {
      c.dns_searches.push_back(s);
    }
    if (const Json* opts = Find(pod, {"spec", "dnsConfig", "options"});
        opts && opts->IsArray()) {
      for (const auto& o : opts->GetArray()) {
        std::string opt = GetString(o, {"name"});
        const std::string value = GetString(o, {"value"});
        if (!value.empty()) opt += ":" + value;
        if (!opt.empty()) c.dns_options.push_back(opt);
      }
    }
  }
  if (const Json* aliases = Find(pod, {"spec", "hostAliases"});
      aliases && aliases->IsArray()) {
    for (const auto& a : aliases->GetArray()) {
      std::string line = GetString(a, {"ip"});
      for (auto& h : Strings(Member(a, "hostnames"))) line += "\t" + h;
      c.hosts_entries.push_back(line);
    }
  }
  // The pod cgroup: shares from the sum of requests; cpu and memory limits
  // only when every container has one (else the pod is unbounded), as the
  // kubelet sizes Guaranteed and Burstable pod cgroups.
  if (const Json* cs = Find(pod, {"spec", "containers"}); cs && cs->IsArray()) {
    int64_t milli = 0, quota = 0, memory = 0;
    bool all_cpu = true, all_memory = true;
    for (const auto& container : cs->GetArray()) {
      const auto request = Milli(container, "requests", "cpu");
      const auto limit = Milli(container, "limits", "cpu");
      milli += request ? *request : limit.value_or(0);
      const LinuxResources r = ContainerResources(container);
      all_cpu = all_cpu && r.cpu_quota_us > 0;
      all_memory = all_memory && r.memory_limit_bytes > 0;
      quota += r.cpu_quota_us;
      memory += r.memory_limit_bytes;
    }
    c.pod_resources.cpu_shares = std::max<int64_t>(2, milli * 1024 / 1000);
    if (all_cpu) c.pod_resources.cpu_quota_us = quota;
    if (all_memory) c.pod_resources.memory_limit_bytes = memory;
  }
  c.log_directory = PodLogDirectory(settings.root_dir, pod);
  c.labels[kPodUidLabel] = c.uid;
  c.labels[kPodNameLabel] = c.name;
  c.labels[kPodNamespaceLabel] = c.pod_namespace;
  return c;
}

std::vector<PortMapping> PortMappingsOf(const Json& pod) {
  std::vector<PortMapping> out;
  for (const char* list : {"initContainers", "containers"}) {
    const Json* cs = Find(pod, {"spec", list});
    if (!cs || !cs->IsArray()) continue;
    for (const auto& c : cs->GetArray()) {
      const Json* ports = Member(c, "ports");
      if (!ports || !ports->IsArray()) continue;
      for (const auto& p : ports->GetArray()) {
        const int64_t host_port = GetInt(p, {"hostPort"});
        if (host_port <= 0) continue;
        PortMapping m;
        m.container_port = static_cast<int>(GetInt(p, {"containerPort"}));
        m.host_port = static_cast<int>(host_port);
        m.protocol = GetString(p, {"protocol"}, "TCP");
        m.host_ip = GetString(p, {"hostIP"});
        out.push_back(m);
      }
    }
  }
  return out;
}

ContainerConfig ContainerConfigFor(const Json& pod, const Json& container,
                                   uint32_t attempt, const EnvList& env,
                                   std::vector<Mount> mounts,
                                   const std::string& log_path) {
  ContainerConfig c;
  c.name = GetString(container, {"name"});
  c.attempt = attempt;
  c.image = GetString(container, {"image"});
  c.command = Strings(Member(container, "command"));
  c.args = Strings(Member(container, "args"));
  c.working_dir = GetString(container, {"workingDir"});
  c.env = env;
  c.mounts = std::move(mounts);
  c.resources = ContainerResources(container);
  for (auto [key, field] : {std::pair<const char*, bool*>{"tty", &c.tty},
                            {"stdin", &c.stdin_open},
                            {"stdinOnce", &c.stdin_once}}) {
    const Json* v = Member(container, key);
    *field = v && v->IsBool() && v->GetBool();
  }
  if (const Json* sc = Member(container, "securityContext")) {
    const Json* priv = Member(*sc, "privileged");
    c.security.privileged = priv && priv->IsBool() && priv->GetBool();
    if (const Json* u = Member(*sc, "runAsUser"); u && u->IsInt64()) {
      c.security.run_as_user = u->GetInt64();
    }
    if (const Json* g = Member(*sc, "runAsGroup"); g && g->IsInt64()) {
      c.security.run_as_group = g->GetInt64();
    }
    const Json* ro = Member(*sc, "readOnlyRootFilesystem");
    c.security.read_only_root_filesystem = ro && ro->IsBool() && ro->GetBool();
    c.security.add_capabilities = Strings(Find(*sc, {"capabilities", "add"}));
    c.security.drop_capabilities = Strings(Find(*sc, {"capabilities", "drop"}));
  }
  if (!c.security.run_as_user) {
    if (const Json* u = Find(pod, {"spec", "securityContext", "runAsUser"});
        u && u->IsInt64()) {
      c.security.run_as_user = u->GetInt64();
    }
  }
  c.log_path = log_path;
  c.labels[kPodUidLabel] = GetString(pod, {"metadata", "uid"});
  c.labels[kPodNameLabel] = GetString(pod, {"metadata", "name"});
  c.labels[kPodNamespaceLabel] = GetString(pod, {"metadata", "namespace"});
  c.labels[kContainerNameLabel] = c.name;
  return c;
}

const Json* FindContainerSpec(const Json& pod, const std::string& name,
                              bool* init) {
  for (const char* list : {"initContainers", "containers"}) {
    const Json* cs = Find(pod, {"spec", list});
    if (!cs || !cs->IsArray()) continue;
    for (const auto& c : cs->GetArray()) {
      if (GetString(c, {"name"}) == name) {
        if (init) *init = std::string_view(list) == "initContainers";
        return &c;
      }
    }
  }
  return nullptr;
}

}  // namespace berth::node
