#include "sim_node.h"

#include <cstdio>
#include <functional>

#include "node_conditions.h"
#include "node_object_base.h"

namespace berth::sim {
namespace {

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

}  // namespace

std::string BuildNodeJson(const SimNodeSpec& node) {
  JsonDoc d = kubelet::NodeObjectBase(node.name);
  auto& a = d.GetAllocator();
  Json& labels = d["metadata"]["labels"];
  SetString(labels, "type", "sim", a);
  for (const auto& [k, v] : node.group->labels) SetString(labels, k, v, a);
  Json& spec = d["spec"];
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
  Json conds = kubelet::BuildNodeConditions({}, old_status, now, a);
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

}  // namespace berth::sim
