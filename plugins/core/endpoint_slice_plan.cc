#include "endpoint_slice_plan.h"

#include <algorithm>
#include <set>

#include "canonical_json.h"
#include "endpoint_pods.h"
#include "validation.h"

namespace berth::core {
namespace {

Json BoolJson(bool b) { return Json(b); }

// The ports `pod` offers for the Service's ports (getEndpointPorts): every
// Service port whose targetPort resolves on it, name always set.
Json EndpointPorts(const Json& service, const Json& pod, JsonAlloc& a) {
  Json out(rapidjson::kArrayType);
  const Json* ports = Find(service, {"spec", "ports"});
  if (!ports || !ports->IsArray()) return out;
  for (const auto& sp : ports->GetArray()) {
    auto number = FindPort(pod, sp);
    if (!number) continue;
    Json p(rapidjson::kObjectType);
    SetString(p, "name", Str(Member(sp, "name")), a);
    SetMember(p, "port", Json(*number), a);
    std::string protocol = Str(Member(sp, "protocol"));
    SetString(p, "protocol", protocol.empty() ? "TCP" : protocol, a);
    if (const Json* app = Member(sp, "appProtocol"); app && app->IsString()) {
      SetString(p, "appProtocol", Str(app), a);
    }
    out.PushBack(std::move(p), a);
  }
  return out;
}

}  // namespace

std::string PortsKey(const Json* ports) {
  if (!ports || !ports->IsArray()) return "[]";
  return CanonicalJson(*ports);
}

std::string EndpointKey(const Json& endpoint) {
  std::string key;
  if (const Json* addrs = Member(endpoint, "addresses");
      addrs && addrs->IsArray()) {
    for (const auto& a : addrs->GetArray()) {
      key += (key.empty() ? "" : ",") + Str(&a);
    }
  }
  return key + "/" + GetString(endpoint, {"targetRef", "namespace"}) + "/" +
         GetString(endpoint, {"targetRef", "name"});
}

DesiredSliceEndpoints BuildDesiredSliceEndpoints(
    const Json& service, const std::vector<const Json*>& pods,
    const std::map<std::string, std::string>& node_zones) {
  JsonDoc doc;
  auto& a = doc.GetAllocator();
  const Json* publish = Find(service, {"spec", "publishNotReadyAddresses"});
  const bool publish_not_ready =
      publish && publish->IsBool() && publish->GetBool();
  DesiredSliceEndpoints out;
  for (const Json* pod : pods) {
    if (!ShouldPodBeInEndpoints(*pod, true)) continue;
    // podToEndpoint: "ready" is never true for a terminating pod unless
    // the Service publishes not-ready addresses.
    const bool serving = IsPodReady(*pod);
    const bool terminating =
        Find(*pod, {"metadata", "deletionTimestamp"}) != nullptr;
    const bool ready = publish_not_ready || (serving && !terminating);
    Json ep(rapidjson::kObjectType);
    Json addrs(rapidjson::kArrayType);
    const std::string ip = PodIpv4(*pod);
    addrs.PushBack(Json(ip.c_str(), a), a);
    SetMember(ep, "addresses", std::move(addrs), a);
    Json conds(rapidjson::kObjectType);
    SetMember(conds, "ready", BoolJson(ready), a);
    SetMember(conds, "serving", BoolJson(serving), a);
    SetMember(conds, "terminating", BoolJson(terminating), a);
    SetMember(ep, "conditions", std::move(conds), a);
    if (ShouldSetHostname(*pod, service)) {
      SetString(ep, "hostname", GetString(*pod, {"spec", "hostname"}), a);
    }
    const std::string node = GetString(*pod, {"spec", "nodeName"});
    if (!node.empty()) {
      SetString(ep, "nodeName", node, a);
      if (auto z = node_zones.find(node); z != node_zones.end()) {
        SetString(ep, "zone", z->second, a);
      }
    }
    Json ref(rapidjson::kObjectType);
    SetString(ref, "kind", "Pod", a);
    SetString(ref, "namespace", GetString(*pod, {"metadata", "namespace"}), a);
    SetString(ref, "name", GetString(*pod, {"metadata", "name"}), a);
    SetString(ref, "uid", GetString(*pod, {"metadata", "uid"}), a);
    SetMember(ep, "targetRef", std::move(ref), a);
    Json ports = EndpointPorts(service, *pod, a);
    out[PortsKey(&ports)].push_back({EndpointKey(ep), CanonicalJson(ep)});
  }
  for (auto& [ports, eps] : out) {
    std::sort(eps.begin(), eps.end(),
              [](const SliceEndpoint& x, const SliceEndpoint& y) {
                return x.key < y.key;
              });
  }
  return out;
}

SlicePlan PlanSlices(const std::vector<ExistingSlice>& existing,
                     const DesiredSliceEndpoints& desired,
                     size_t max_per_slice) {
  SlicePlan plan;
  if (max_per_slice == 0) max_per_slice = 1;

  // No endpoints at all: one empty placeholder slice (no ports) stays.
  size_t total = 0;
  for (const auto& [ports, eps] : desired) total += eps.size();
  if (total == 0) {
    bool kept = false;
    for (const auto& s : existing) {
      if (!kept && s.endpoints.empty() && s.ports == "[]") {
        kept = true;
        if (!s.labels_current) plan.update.push_back({s.name, s.ports, {}});
        continue;
      }
      plan.remove.push_back(s.name);
    }
    if (!kept) plan.create.push_back({"", "[]", {}});
    return plan;
  }

  for (const auto& s : existing) {
    if (desired.find(s.ports) == desired.end()) plan.remove.push_back(s.name);
  }
  for (const auto& [ports, eps] : desired) {
    std::map<std::string, const SliceEndpoint*> wanted;
    for (const auto& ep : eps) wanted.emplace(ep.key, &ep);

    std::vector<PlannedSlice> updating;
    std::vector<PlannedSlice> unchanged;
    for (const auto& s : existing) {
      if (s.ports != ports) continue;
      PlannedSlice next{s.name, s.ports, {}};
      bool changed = !s.labels_current;
      for (const auto& ep : s.endpoints) {
        auto it = wanted.find(ep.key);
        if (it == wanted.end()) {
          changed = true;  // gone, or held twice
          continue;
        }
        if (!(ep == *it->second)) changed = true;
        next.endpoints.push_back(*it->second);
        wanted.erase(it);
      }
      if (next.endpoints.empty()) {
        plan.remove.push_back(s.name);
      } else if (changed) {
        updating.push_back(std::move(next));
      } else {
        unchanged.push_back(std::move(next));
      }
    }

    // What is left, in key order.
    std::vector<const SliceEndpoint*> left;
    for (const auto& ep : eps) {
      if (wanted.count(ep.key)) left.push_back(&ep);
    }
    size_t next_left = 0;
    auto fill = [&](PlannedSlice& s) {
      while (s.endpoints.size() < max_per_slice && next_left < left.size()) {
        s.endpoints.push_back(*left[next_left++]);
      }
    };
    for (auto& s : updating) fill(s);
    while (next_left < left.size()) {
      const size_t remaining = left.size() - next_left;
      // The fullest unchanged slice all of the rest fits in.
      PlannedSlice* target = nullptr;
      size_t target_index = 0;
      for (size_t i = 0; i < unchanged.size(); ++i) {
        auto& s = unchanged[i];
        if (s.endpoints.size() + remaining <= max_per_slice &&
            (!target || s.endpoints.size() > target->endpoints.size())) {
          target = &s;
          target_index = i;
        }
      }
      if (target) {
        fill(*target);
        updating.push_back(std::move(*target));
        unchanged.erase(unchanged.begin() + target_index);
        continue;
      }
      PlannedSlice fresh{"", ports, {}};
      fill(fresh);
      plan.create.push_back(std::move(fresh));
    }
    for (auto& s : updating) plan.update.push_back(std::move(s));
  }
  return plan;
}

}  // namespace berth::core
