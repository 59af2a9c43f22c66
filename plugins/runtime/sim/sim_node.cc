#include "sim_node.h"

#include <cstdio>
#include <functional>

namespace berth::sim {
namespace {

struct ConditionSpec {
  const char* type;
  const char* status;
  const char* reason;
  const char* message;
};

// In the order kubelet's setters produce them.
constexpr ConditionSpec kConditions[] = {
    {"MemoryPressure", "False", "KubeletHasSufficientMemory",
     "kubelet has sufficient memory available"},
    {"DiskPressure", "False", "KubeletHasNoDiskPressure",
     "kubelet has no disk pressure"},
    {"PIDPressure", "False", "KubeletHasSufficientPID",
     "kubelet has sufficient PID available"},
    {"Ready", "True", "KubeletReady", "kubelet is posting ready status"},
};

Json Str(const std::string& s, JsonAlloc& a) {
  return Json(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
}

// A stable hex id derived from `seed`, `digits` long.
std::string HexId(const std::string& seed, size_t digits) {
  std::string out;
  uint64_t h = std::hash<std::string>{}(seed);
  while (out.size() < digits) {
    char buf[17];
    std::snprintf(buf, sizeof(buf), "%016llx",
                  static_cast<unsigned long long>(h));
    out += buf;
    h = h * 6364136223846793005ULL + 1442695040888963407ULL;
  }
  return out.substr(0, digits);
}

const Json* OldCondition(const Json* old_status, const char* type) {
  if (!old_status) return nullptr;
  const Json* conds = Member(*old_status, "conditions");
  if (!conds || !conds->IsArray()) return nullptr;
  for (const auto& c : conds->GetArray()) {
    const Json* t = Member(c, "type");
    if (t && t->IsString() && std::string_view(t->GetString()) == type) {
      return &c;
    }
  }
  return nullptr;
}

}  // namespace

std::string BuildNodeJson(const SimNodeSpec& node) {
  JsonDoc d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  SetString(d, "apiVersion", "v1", a);
  SetString(d, "kind", "Node", a);
  Json& meta = EnsureObject(d, "metadata", a);
  SetString(meta, "name", node.name, a);
  Json& labels = EnsureObject(meta, "labels", a);
  SetString(labels, "beta.kubernetes.io/arch", "amd64", a);
  SetString(labels, "beta.kubernetes.io/os", "linux", a);
  SetString(labels, "kubernetes.io/arch", "amd64", a);
  SetString(labels, "kubernetes.io/hostname", node.name, a);
  SetString(labels, "kubernetes.io/os", "linux", a);
  SetString(labels, "type", "sim", a);
  for (const auto& [k, v] : node.group->labels) SetString(labels, k, v, a);
  Json& annotations = EnsureObject(meta, "annotations", a);
  SetString(annotations, "node.alpha.kubernetes.io/ttl", "0", a);
  Json& spec = EnsureObject(d, "spec", a);
  const std::string cidr = FormatIpv4(node.pod_cidr) + "/24";
  SetString(spec, "podCIDR", cidr, a);
  Json cidrs(rapidjson::kArrayType);
  cidrs.PushBack(Str(cidr, a), a);
  SetMember(spec, "podCIDRs", std::move(cidrs), a);
  SetString(spec, "providerID", "sim://" + node.name, a);
  auto taints = ParseJson(node.group->taints_json);
  if (taints.ok() && taints->IsArray() && !taints->Empty()) {
    SetMember(spec, "taints", Json(*taints, a), a);
  }
  return ToJson(d);
}

Json BuildNodeStatus(const SimNodeSpec& node, const Json* old_status,
                     TimePoint now, JsonAlloc& a) {
  const std::string stamp = FormatTime(now);
  Json status(rapidjson::kObjectType);
  Json capacity(rapidjson::kObjectType);
  for (const auto& [k, v] : node.group->capacity) SetString(capacity, k, v, a);
  SetMember(status, "capacity", Json(capacity, a), a);
  SetMember(status, "allocatable", std::move(capacity), a);
  Json conds(rapidjson::kArrayType);
  for (const auto& spec : kConditions) {
    Json c(rapidjson::kObjectType);
    SetString(c, "type", spec.type, a);
    SetString(c, "status", spec.status, a);
    SetString(c, "lastHeartbeatTime", stamp, a);
    std::string since = stamp;
    if (const Json* old = OldCondition(old_status, spec.type)) {
      const Json* s = Member(*old, "status");
      const Json* t = Member(*old, "lastTransitionTime");
      if (s && s->IsString() &&
          std::string_view(s->GetString()) == spec.status && t &&
          t->IsString()) {
        since = t->GetString();
      }
    }
    SetString(c, "lastTransitionTime", since, a);
    SetString(c, "reason", spec.reason, a);
    SetString(c, "message", spec.message, a);
    conds.PushBack(c, a);
  }
  SetMember(status, "conditions", std::move(conds), a);
  Json addresses(rapidjson::kArrayType);
  for (auto [type, address] :
       {std::pair<const char*, std::string>{"InternalIP",
                                            FormatIpv4(node.node_ip)},
        std::pair<const char*, std::string>{"Hostname", node.name}}) {
    Json addr(rapidjson::kObjectType);
    SetString(addr, "type", type, a);
    SetString(addr, "address", address, a);
    addresses.PushBack(addr, a);
  }
  SetMember(status, "addresses", std::move(addresses), a);
  Json endpoints(rapidjson::kObjectType);
  Json kubelet(rapidjson::kObjectType);
  SetMember(kubelet, "Port", Json(10250), a);
  SetMember(endpoints, "kubeletEndpoint", std::move(kubelet), a);
  SetMember(status, "daemonEndpoints", std::move(endpoints), a);
  Json info(rapidjson::kObjectType);
  SetString(info, "machineID", HexId("machine/" + node.name, 32), a);
  SetString(info, "systemUUID", HexId("system/" + node.name, 32), a);
  SetString(info, "bootID", HexId("boot/" + node.name, 32), a);
  SetString(info, "kernelVersion", "sim", a);
  SetString(info, "osImage", "Berth sim node", a);
  SetString(info, "containerRuntimeVersion", "sim://0.1.0", a);
  SetString(info, "kubeletVersion", "v1.32.0-sim", a);
  SetString(info, "kubeProxyVersion", "", a);
  SetString(info, "operatingSystem", "linux", a);
  SetString(info, "architecture", "amd64", a);
  SetMember(status, "nodeInfo", std::move(info), a);
  return status;
}

std::string BuildLeaseJson(const std::string& node_name,
                           const std::string& node_uid, TimePoint now) {
  JsonDoc d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  SetString(d, "apiVersion", "coordination.k8s.io/v1", a);
  SetString(d, "kind", "Lease", a);
  Json& meta = EnsureObject(d, "metadata", a);
  SetString(meta, "name", node_name, a);
  SetString(meta, "namespace", kNodeLeaseNamespace, a);
  if (!node_uid.empty()) {
    Json owners(rapidjson::kArrayType);
    Json owner(rapidjson::kObjectType);
    SetString(owner, "apiVersion", "v1", a);
    SetString(owner, "kind", "Node", a);
    SetString(owner, "name", node_name, a);
    SetString(owner, "uid", node_uid, a);
    owners.PushBack(owner, a);
    SetMember(meta, "ownerReferences", std::move(owners), a);
  }
  Json& spec = EnsureObject(d, "spec", a);
  SetString(spec, "holderIdentity", node_name, a);
  SetMember(spec, "leaseDurationSeconds", Json(kLeaseDurationSeconds), a);
  SetString(spec, "renewTime", FormatMicroTime(now), a);
  return ToJson(d);
}

}  // namespace berth::sim
