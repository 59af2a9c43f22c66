#include "cni_network.h"

#include <arpa/inet.h>

#include "berth/json.h"

namespace berth::cni {
namespace {

std::string Who(const PodNetworkRequest& req) {
  return "pod " + req.pod_namespace + "/" + req.pod_name;
}

// CNI_ARGS as Kubernetes runtimes send them. IgnoreUnknown lets plugins
// that parse CNI_ARGS strictly (host-local) accept the K8S_ keys.
std::vector<std::pair<std::string, std::string>> KubernetesArgs(
    const PodNetworkRequest& req) {
  return {{"IgnoreUnknown", "1"},
          {"K8S_POD_NAMESPACE", req.pod_namespace},
          {"K8S_POD_NAME", req.pod_name},
          {"K8S_POD_INFRA_CONTAINER_ID", req.sandbox_id},
          {"K8S_POD_UID", req.pod_uid}};
}

std::string ToLower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(c));
  return s;
}

// {"portMappings":[{hostPort, containerPort, protocol, hostIP}]} for the
// mappings with a host port, protocols lower case as containerd sends them.
std::string CapabilityArgs(const PodNetworkRequest& req) {
  JsonDoc doc;
  doc.SetObject();
  JsonAlloc& a = doc.GetAllocator();
  Json ports(rapidjson::kArrayType);
  for (const auto& pm : req.port_mappings) {
    if (pm.host_port <= 0) continue;
    Json m(rapidjson::kObjectType);
    m.AddMember("hostPort", pm.host_port, a);
    m.AddMember("containerPort", pm.container_port, a);
    SetString(m, "protocol", ToLower(pm.protocol.empty() ? "TCP" : pm.protocol),
              a);
    if (!pm.host_ip.empty()) SetString(m, "hostIP", pm.host_ip, a);
    ports.PushBack(m, a);
  }
  if (!ports.Empty()) doc.AddMember("portMappings", ports, a);
  return ToJson(doc);
}

CniRuntime RuntimeOf(const PodNetworkRequest& req, const std::string& ifname) {
  return {req.sandbox_id, req.netns_path, ifname, KubernetesArgs(req)};
}

bool ValidCidr(const std::string& cidr) {
  const size_t slash = cidr.find('/');
  if (slash == std::string::npos) return false;
  const std::string ip = cidr.substr(0, slash);
  const std::string bits = cidr.substr(slash + 1);
  if (bits.empty() || bits.size() > 3 ||
      bits.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  unsigned char buf[16];
  if (inet_pton(AF_INET, ip.c_str(), buf) == 1) return std::stoi(bits) <= 32;
  if (inet_pton(AF_INET6, ip.c_str(), buf) == 1) return std::stoi(bits) <= 128;
  return false;
}

std::string StripPrefix(const std::string& address) {
  return address.substr(0, address.find('/'));
}

}  // namespace

std::vector<std::string> ResultIps(const std::string& result_json) {
  std::vector<std::string> out;
  auto doc = ParseJson(result_json);
  if (!doc.ok() || !doc->IsObject()) return out;
  if (const Json* ips = Member(*doc, "ips"); ips && ips->IsArray()) {
    const Json* interfaces = Member(*doc, "interfaces");
    for (const auto& ip : ips->GetArray()) {
      // Skip addresses a result puts on a host-side interface.
      if (const Json* idx = Member(ip, "interface");
          idx && idx->IsInt() && interfaces && interfaces->IsArray() &&
          idx->GetInt() >= 0 &&
          static_cast<rapidjson::SizeType>(idx->GetInt()) <
              interfaces->Size() &&
          GetString((*interfaces)[idx->GetInt()], {"sandbox"}).empty()) {
        continue;
      }
      const std::string address = GetString(ip, {"address"});
      if (!address.empty()) out.push_back(StripPrefix(address));
    }
    return out;
  }
  // Results before 0.3.0: ip4 / ip6.
  for (const char* family : {"ip4", "ip6"}) {
    const std::string address = GetString(*doc, {family, "ip"});
    if (!address.empty()) out.push_back(StripPrefix(address));
  }
  return out;
}

CniNetwork::CniNetwork(CniSettings settings, ProcessRunner& runner)
    : settings_(std::move(settings)),
      invoker_(runner, settings_.bin_dirs, settings_.netns_of_node,
               settings_.plugin_timeout),
      cache_(settings_.cache_dir),
      loopback_(*ParseNetworkConfig(LoopbackNetworkConfig(), "loopback")) {}

Status CniNetwork::SetNodePodCidr(const std::string& cidr) {
  if (!cidr.empty() && !ValidCidr(cidr)) {
    return Status::Invalid("pod CIDR \"" + cidr + "\" is not a CIDR");
  }
  std::lock_guard<std::mutex> lock(mu_);
  pod_cidr_ = cidr;
  return Status::Ok();
}

StatusOr<NetworkConfig> CniNetwork::CurrentConfig() const {
  StatusOr<NetworkConfig> config = Status::Internal("unset");
  if (!settings_.networks_json.empty()) {
    config = ParseNetworkConfig(settings_.networks_json, "setting networks");
  } else if (!settings_.conf_dir.empty()) {
    config = LoadNetworkConfigDir(settings_.conf_dir);
  } else {
    config = ParseNetworkConfig(
        DefaultNetworkConfig(settings_.cache_dir + "/networks"), "default");
  }
  if (!config.ok()) return config.status();
  std::string cidr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    cidr = pod_cidr_;
  }
  return SubstitutePodCidr(*config, cidr);
}

StatusOr<std::vector<CniNetwork::Attachment>> CniNetwork::Attachments(
    const PodNetworkRequest& req) const {
  auto config = CurrentConfig();
  if (!config.ok()) return config.status();
  std::vector<Attachment> out;
  if (settings_.loopback) out.push_back({loopback_, "lo"});
  out.push_back({*config, req.ifname});
  return out;
}

StatusOr<std::string> CniNetwork::AddAttachment(const Attachment& a,
                                                const CniRuntime& rt,
                                                const std::string& caps,
                                                const std::string& who) const {
  std::string result;
  for (size_t i = 0; i < a.config.plugin_types.size(); ++i) {
    const std::string& type = a.config.plugin_types[i];
    auto input = PluginStdin(a.config, i, result, caps);
    StatusOr<std::string> out = input.ok()
                                    ? invoker_.Exec("ADD", type, *input, rt)
                                    : StatusOr<std::string>(input.status());
    if (out.ok() && !ParseJson(*out).ok()) {
      out = Status::Internal("plugin " + type + ": ADD printed no result");
    }
    if (!out.ok()) {
      std::string message = "CNI ADD of network \"" + a.config.name +
                            "\" for " + who +
                            " failed: " + out.status().message();
      // The failed plugin may have left something half made: DEL it too.
      if (Status del = DelPlugins(a.config, i + 1, rt, caps, "", who);
          !del.ok()) {
        message += "; cleanup: " + del.message();
      }
      return Status(out.status().code(), message);
    }
    if (!out->empty()) result = *out;
  }
  return result;
}

Status CniNetwork::DelPlugins(const NetworkConfig& config, size_t count,
                              const CniRuntime& rt, const std::string& caps,
                              const std::string& prev_result,
                              const std::string& who) const {
  Status first;
  for (size_t i = count; i-- > 0;) {
    const std::string& type = config.plugin_types[i];
    auto input = PluginStdin(config, i, prev_result, caps);
    StatusOr<std::string> out = input.ok()
                                    ? invoker_.Exec("DEL", type, *input, rt)
                                    : StatusOr<std::string>(input.status());
    // A plugin that is not installed cannot have made anything.
    if (!out.ok() && !out.status().IsNotFound() && first.ok()) {
      first = Status(out.status().code(),
                     "CNI DEL of network \"" + config.name + "\" for " + who +
                         " failed: " + out.status().message());
    }
  }
  return first;
}

StatusOr<PodNetworkStatus> CniNetwork::SetUp(const PodNetworkRequest& req) {
  if (req.sandbox_id.empty() || req.ifname.empty() || req.netns_path.empty()) {
    return Status::Invalid("CNI ADD for " + Who(req) +
                           ": sandbox id, netns path and ifname are required");
  }
  auto attachments = Attachments(req);
  if (!attachments.ok()) {
    return Status(
        attachments.status().code(),
        "CNI ADD for " + Who(req) + ": " + attachments.status().message());
  }
  const std::string caps = CapabilityArgs(req);
  const std::string who = Who(req);
  std::string result;
  for (size_t n = 0; n < attachments->size(); ++n) {
    const Attachment& a = (*attachments)[n];
    const CniRuntime rt = RuntimeOf(req, a.ifname);
    auto added = AddAttachment(a, rt, caps, who);
    Status failed = added.status();
    if (added.ok()) {
      failed = cache_.Write({a.config.name, req.sandbox_id, a.ifname,
                             a.config.json, rt.args, caps, *added});
      if (!failed.ok()) {
        (void)DelPlugins(a.config, a.config.plugin_types.size(), rt, caps,
                         *added, who);
      }
    }
    if (!failed.ok()) {
      // Undo the attachments made before this one, newest first.
      std::string message = failed.message();
      for (size_t m = n; m-- > 0;) {
        const Attachment& done = (*attachments)[m];
        const CniRuntime done_rt = RuntimeOf(req, done.ifname);
        auto cached =
            cache_.Read(done.config.name, req.sandbox_id, done.ifname);
        Status del =
            DelPlugins(done.config, done.config.plugin_types.size(), done_rt,
                       caps, cached.ok() ? cached->result_json : "", who);
        if (del.ok()) {
          del = cache_.Remove(done.config.name, req.sandbox_id, done.ifname);
        }
        if (!del.ok()) message += "; cleanup: " + del.message();
      }
      return Status(failed.code(), message);
    }
    result = *added;
  }
  return PodNetworkStatus{ResultIps(result), req.ifname};
}

Status CniNetwork::Check(const PodNetworkRequest& req) {
  std::vector<std::pair<std::string, std::string>> keys;  // network, ifname
  if (settings_.loopback) keys.emplace_back(loopback_.name, "lo");
  const auto networks = cache_.NetworksOf(req.sandbox_id, req.ifname);
  if (networks.empty()) {
    return Status::NotFound("CNI CHECK: " + Who(req) + " is not attached");
  }
  for (const auto& n : networks) keys.emplace_back(n, req.ifname);
  for (const auto& [network, ifname] : keys) {
    auto cached = cache_.Read(network, req.sandbox_id, ifname);
    if (!cached.ok()) {
      return Status(cached.status().code(), "CNI CHECK for " + Who(req) + ": " +
                                                cached.status().message());
    }
    auto config = ParseNetworkConfig(cached->config_json, "cached config");
    if (!config.ok()) return config.status();
    // CHECK exists since 0.4.0; a list may also turn it off.
    if (CompareCniVersions(config->cni_version, "0.4.0") < 0 ||
        config->disable_check) {
      continue;
    }
    CniRuntime rt{req.sandbox_id, req.netns_path, ifname, cached->cni_args};
    for (size_t i = 0; i < config->plugin_types.size(); ++i) {
      auto input = PluginStdin(*config, i, cached->result_json,
                               cached->capability_args_json);
      if (!input.ok()) return input.status();
      auto out = invoker_.Exec("CHECK", config->plugin_types[i], *input, rt);
      if (!out.ok()) {
        return Status(out.status().code(),
                      "CNI CHECK of network \"" + network + "\" for " +
                          Who(req) + " failed: " + out.status().message());
      }
    }
  }
  return Status::Ok();
}

StatusOr<PodNetworkStatus> CniNetwork::Inspect(const PodNetworkRequest& req) {
  const auto networks = cache_.NetworksOf(req.sandbox_id, req.ifname);
  if (networks.empty()) {
    return Status::NotFound(Who(req) + " is not attached to a CNI network");
  }
  auto cached = cache_.Read(networks.front(), req.sandbox_id, req.ifname);
  if (!cached.ok()) return cached.status();
  return PodNetworkStatus{ResultIps(cached->result_json), req.ifname};
}

Status CniNetwork::TearDownAttachment(const StatusOr<NetworkConfig>& current,
                                      const std::string& ifname,
                                      const PodNetworkRequest& req) const {
  const std::string who = Who(req);
  const auto networks = cache_.NetworksOf(req.sandbox_id, ifname);
  if (networks.empty()) {
    // No record: SetUp never finished (or a teardown did). DEL anyway, so a
    // crash between ADD and the cache write leaks nothing.
    if (!current.ok()) {
      if (current.status().IsNotFound()) return Status::Ok();
      return Status(current.status().code(),
                    "CNI DEL for " + who + ": " + current.status().message());
    }
    const CniRuntime rt = RuntimeOf(req, ifname);
    return DelPlugins(*current, current->plugin_types.size(), rt,
                      CapabilityArgs(req), "", who);
  }
  for (const auto& network : networks) {
    auto cached = cache_.Read(network, req.sandbox_id, ifname);
    if (!cached.ok()) return cached.status();
    auto config = ParseNetworkConfig(cached->config_json, "cached config");
    if (!config.ok()) return config.status();
    const CniRuntime rt{req.sandbox_id, req.netns_path, ifname,
                        cached->cni_args};
    if (Status s =
            DelPlugins(*config, config->plugin_types.size(), rt,
                       cached->capability_args_json, cached->result_json, who);
        !s.ok()) {
      return s;
    }
    if (Status s = cache_.Remove(network, req.sandbox_id, ifname); !s.ok()) {
      return s;
    }
  }
  return Status::Ok();
}

Status CniNetwork::TearDown(const PodNetworkRequest& req) {
  if (req.sandbox_id.empty() || req.ifname.empty()) {
    return Status::Invalid("CNI DEL for " + Who(req) +
                           ": sandbox id and ifname are required");
  }
  if (Status s = TearDownAttachment(CurrentConfig(), req.ifname, req);
      !s.ok()) {
    return s;
  }
  if (!settings_.loopback) return Status::Ok();
  return TearDownAttachment(loopback_, "lo", req);
}

}  // namespace berth::cni
