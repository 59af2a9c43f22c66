#include "endpoints_subsets.h"

#include <map>
#include <set>
#include <string>
#include <tuple>

#include "endpoint_pods.h"
#include "validation.h"

namespace berth::core {
namespace {

struct Address {
  std::string ip;
  std::string hostname;
  std::string node_name;
  std::string pod_ns;
  std::string pod_name;
  std::string pod_uid;
};

// addressKey of RepackSubsets: the same IP from two pods stays two
// addresses.
using AddressKey = std::pair<std::string, std::string>;  // ip, uid

struct Port {
  std::string name;
  int64_t port = -1;  // -1: the "no ports" sentinel of a headless Service
  std::string protocol;
  std::string app_protocol;
  auto Tie() const { return std::tie(name, port, protocol, app_protocol); }
  bool operator<(const Port& o) const { return Tie() < o.Tie(); }
};

void AddString(Json& obj, const char* key, const std::string& value,
               JsonAlloc& a) {
  if (!value.empty()) SetString(obj, key, value, a);
}

Json AddressJson(const Address& addr, JsonAlloc& a) {
  Json out(rapidjson::kObjectType);
  SetString(out, "ip", addr.ip, a);
  AddString(out, "hostname", addr.hostname, a);
  AddString(out, "nodeName", addr.node_name, a);
  Json ref(rapidjson::kObjectType);
  SetString(ref, "kind", "Pod", a);
  SetString(ref, "namespace", addr.pod_ns, a);
  SetString(ref, "name", addr.pod_name, a);
  SetString(ref, "uid", addr.pod_uid, a);
  SetMember(out, "targetRef", std::move(ref), a);
  return out;
}

Json PortJson(const Port& port, JsonAlloc& a) {
  Json out(rapidjson::kObjectType);
  AddString(out, "name", port.name, a);
  SetMember(out, "port", Json(port.port), a);
  SetString(out, "protocol", port.protocol, a);
  AddString(out, "appProtocol", port.app_protocol, a);
  return out;
}

}  // namespace

Json BuildEndpointSubsets(const Json& service,
                          const std::vector<const Json*>& pods, JsonAlloc& a) {
  const bool publish_not_ready =
      Find(service, {"spec", "publishNotReadyAddresses"}) &&
      Find(service, {"spec", "publishNotReadyAddresses"})->IsBool() &&
      Find(service, {"spec", "publishNotReadyAddresses"})->GetBool();
  const Json* svc_ports = Find(service, {"spec", "ports"});
  const bool no_ports =
      !svc_ports || !svc_ports->IsArray() || svc_ports->Empty();

  // port -> address -> ready, as mapAddressByPort accumulates it: an
  // address ready for a port in any subset is ready for it.
  std::map<AddressKey, Address> addresses;
  std::map<Port, std::map<AddressKey, bool>> by_port;
  auto add = [&](const Address& addr, const Port& port, bool ready) {
    AddressKey key{addr.ip, addr.pod_uid};
    addresses.emplace(key, addr);
    auto [it, inserted] = by_port[port].emplace(key, ready);
    if (!inserted && !it->second) it->second = ready;
  };

  for (const Json* pod : pods) {
    if (!ShouldPodBeInEndpoints(*pod, publish_not_ready)) continue;
    Address addr;
    addr.ip = PodIpv4(*pod);
    addr.node_name = GetString(*pod, {"spec", "nodeName"});
    addr.pod_ns = GetString(*pod, {"metadata", "namespace"});
    addr.pod_name = GetString(*pod, {"metadata", "name"});
    addr.pod_uid = GetString(*pod, {"metadata", "uid"});
    if (ShouldSetHostname(*pod, service)) {
      addr.hostname = GetString(*pod, {"spec", "hostname"});
    }
    const bool ready = publish_not_ready || IsPodReady(*pod);
    if (no_ports) {
      // Only a headless Service may have no ports; its addresses are
      // listed without any.
      if (IsHeadless(service)) add(addr, Port{}, ready);
      continue;
    }
    for (const auto& sp : svc_ports->GetArray()) {
      auto number = FindPort(*pod, sp);
      if (!number) continue;
      Port port;
      port.name = Str(Member(sp, "name"));
      port.port = *number;
      port.protocol = Str(Member(sp, "protocol"));
      if (port.protocol.empty()) port.protocol = "TCP";
      port.app_protocol = Str(Member(sp, "appProtocol"));
      add(addr, port, ready);
    }
  }

  // Ports offered by the same addresses (with the same readiness) share a
  // subset.
  std::map<std::map<AddressKey, bool>, std::set<Port>> subsets;
  for (const auto& [port, addrs] : by_port) subsets[addrs].insert(port);

  // Subsets ordered by their addresses (the map's key order).
  Json out(rapidjson::kArrayType);
  for (const auto& [addrs, ports] : subsets) {
    Json subset(rapidjson::kObjectType);
    Json ready(rapidjson::kArrayType);
    Json not_ready(rapidjson::kArrayType);
    for (const auto& [key, is_ready] : addrs) {
      (is_ready ? ready : not_ready)
          .PushBack(AddressJson(addresses.at(key), a), a);
    }
    if (!ready.Empty()) SetMember(subset, "addresses", std::move(ready), a);
    if (!not_ready.Empty()) {
      SetMember(subset, "notReadyAddresses", std::move(not_ready), a);
    }
    Json port_list(rapidjson::kArrayType);
    for (const auto& port : ports) {
      if (port.port >= 0) port_list.PushBack(PortJson(port, a), a);
    }
    if (!port_list.Empty()) SetMember(subset, "ports", std::move(port_list), a);
    out.PushBack(std::move(subset), a);
  }
  return out;
}

}  // namespace berth::core
