#include "endpoint_pods.h"

#include <map>

#include "service_network.h"
#include "validation.h"

namespace berth::core {
namespace {

const Json* ReadyCondition(const Json& pod) {
  const Json* conds = Find(pod, {"status", "conditions"});
  if (!conds || !conds->IsArray()) return nullptr;
  for (const auto& c : conds->GetArray()) {
    if (Str(Member(c, "type")) == "Ready") return &c;
  }
  return nullptr;
}

std::optional<int64_t> NamedPort(const Json* containers,
                                 const std::string& name,
                                 const std::string& protocol,
                                 bool sidecars_only) {
  if (!containers || !containers->IsArray()) return std::nullopt;
  for (const auto& c : containers->GetArray()) {
    if (sidecars_only && Str(Member(c, "restartPolicy")) != "Always") continue;
    const Json* ports = Member(c, "ports");
    if (!ports || !ports->IsArray()) continue;
    for (const auto& p : ports->GetArray()) {
      std::string proto = Str(Member(p, "protocol"));
      if (proto.empty()) proto = "TCP";
      if (Str(Member(p, "name")) == name && proto == protocol) {
        return GetInt(p, {"containerPort"});
      }
    }
  }
  return std::nullopt;
}

}  // namespace

bool HasSelector(const Json& service) {
  const Json* sel = Find(service, {"spec", "selector"});
  return sel && sel->IsObject() && sel->MemberCount() > 0;
}

std::string SelectorString(const Json& service) {
  const Json* sel = Find(service, {"spec", "selector"});
  if (!sel || !sel->IsObject()) return "";
  std::map<std::string, std::string> sorted;
  for (auto it = sel->MemberBegin(); it != sel->MemberEnd(); ++it) {
    sorted[it->name.GetString()] = Str(&it->value);
  }
  std::string out;
  for (const auto& [k, v] : sorted) {
    out += (out.empty() ? "" : ",") + k + "=" + v;
  }
  return out;
}

bool SelectorMatches(const Json& service, const Json* labels) {
  if (!HasSelector(service)) return false;
  const Json* sel = Find(service, {"spec", "selector"});
  for (auto it = sel->MemberBegin(); it != sel->MemberEnd(); ++it) {
    const Json* have = labels ? Member(*labels, it->name.GetString()) : nullptr;
    if (!have || !have->IsString() || Str(have) != Str(&it->value)) {
      return false;
    }
  }
  return true;
}

bool IsHeadless(const Json& service) {
  const std::string ip = GetString(service, {"spec", "clusterIP"});
  return ip.empty() || ip == "None";
}

bool IsExternalName(const Json& service) {
  return GetString(service, {"spec", "type"}) == "ExternalName";
}

bool IsPodReady(const Json& pod) {
  const Json* ready = ReadyCondition(pod);
  return ready && Str(Member(*ready, "status")) == "True";
}

bool ShouldPodBeInEndpoints(const Json& pod, bool include_terminating) {
  const std::string phase = GetString(pod, {"status", "phase"});
  if (phase == "Succeeded" || phase == "Failed") return false;
  if (PodIpv4(pod).empty()) return false;
  if (!include_terminating &&
      Find(pod, {"metadata", "deletionTimestamp"}) != nullptr) {
    return false;
  }
  return true;
}

std::string PodIpv4(const Json& pod) {
  if (const Json* ips = Find(pod, {"status", "podIPs"});
      ips && ips->IsArray()) {
    for (const auto& ip : ips->GetArray()) {
      const std::string s = Str(Member(ip, "ip"));
      if (ParseIpv4(s)) return s;
    }
  }
  const std::string ip = GetString(pod, {"status", "podIP"});
  return ParseIpv4(ip) ? ip : "";
}

std::optional<int64_t> FindPort(const Json& pod, const Json& service_port) {
  const Json* target = Member(service_port, "targetPort");
  if (!target || (target->IsString() && target->GetStringLength() == 0)) {
    return GetInt(service_port, {"port"});
  }
  if (target->IsInt64()) return target->GetInt64();
  if (!target->IsString()) return std::nullopt;
  std::string protocol = Str(Member(service_port, "protocol"));
  if (protocol.empty()) protocol = "TCP";
  const std::string name = Str(target);
  if (auto p =
          NamedPort(Find(pod, {"spec", "containers"}), name, protocol, false)) {
    return p;
  }
  return NamedPort(Find(pod, {"spec", "initContainers"}), name, protocol, true);
}

bool ShouldSetHostname(const Json& pod, const Json& service) {
  return !GetString(pod, {"spec", "hostname"}).empty() &&
         GetString(pod, {"spec", "subdomain"}) ==
             GetString(service, {"metadata", "name"}) &&
         GetString(pod, {"metadata", "namespace"}) ==
             GetString(service, {"metadata", "namespace"});
}

std::string PodTriggerTime(const Json& pod) {
  const Json* ready = ReadyCondition(pod);
  return ready ? Str(Member(*ready, "lastTransitionTime")) : "";
}

}  // namespace berth::core
