#include "node_object.h"

#include "node_object_base.h"

namespace berth::node {

std::string BuildNodeJson(const NodeSettings& settings) {
  return ToJson(kubelet::NodeObjectBase(settings.node_name));
}

std::map<std::string, std::string> NodeCapacity(const NodeSettings& settings,
                                                const HostFacts& facts) {
  std::map<std::string, std::string> cap;
  cap["cpu"] = std::to_string(facts.cpus);
  cap["memory"] = std::to_string(facts.memory_bytes / 1024) + "Ki";
  cap["ephemeral-storage"] =
      std::to_string(facts.ephemeral_bytes / 1024) + "Ki";
  cap["pods"] = std::to_string(settings.max_pods);
  for (const auto& [k, v] : settings.capacity) cap[k] = v;
  return cap;
}

Json BuildNodeStatus(const NodeSettings& settings, const HostFacts& facts,
                     const std::string& runtime_version,
                     const kubelet::NodePressure& pressure,
                     const Json* old_status, kubelet::TimePoint now,
                     JsonAlloc& a) {
  Json status(rapidjson::kObjectType);
  Json capacity(rapidjson::kObjectType);
  for (const auto& [k, v] : NodeCapacity(settings, facts)) {
    SetString(capacity, k, v, a);
  }
  SetMember(status, "capacity", Json(capacity, a), a);
  SetMember(status, "allocatable", std::move(capacity), a);
  SetMember(status, "conditions",
            kubelet::BuildNodeConditions(pressure, old_status, now, a), a);
  Json addresses(rapidjson::kArrayType);
  for (auto [type, address] :
       {std::pair<const char*, std::string>{"InternalIP", facts.internal_ip},
        {"Hostname", settings.node_name}}) {
    Json addr(rapidjson::kObjectType);
    SetString(addr, "type", type, a);
    SetString(addr, "address", address, a);
    addresses.PushBack(addr, a);
  }
  SetMember(status, "addresses", std::move(addresses), a);
  Json endpoints(rapidjson::kObjectType);
  Json kubelet_port(rapidjson::kObjectType);
  SetMember(kubelet_port, "Port", Json(settings.kubelet_port), a);
  SetMember(endpoints, "kubeletEndpoint", std::move(kubelet_port), a);
  SetMember(status, "daemonEndpoints", std::move(endpoints), a);
  Json info(rapidjson::kObjectType);
  SetString(info, "machineID", facts.machine_id, a);
  SetString(info, "systemUUID", facts.machine_id, a);
  SetString(info, "bootID", facts.boot_id, a);
  SetString(info, "kernelVersion", facts.kernel_version, a);
  SetString(info, "osImage", facts.os_image, a);
  SetString(info, "containerRuntimeVersion", runtime_version, a);
  SetString(info, "kubeletVersion", "v1.32.0-berth", a);
  SetString(info, "kubeProxyVersion", "", a);
  SetString(info, "operatingSystem", "linux", a);
  SetString(info, "architecture", "amd64", a);
  SetMember(status, "nodeInfo", std::move(info), a);
  return status;
}

}  // namespace berth::node
