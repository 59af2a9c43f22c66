#include "service_port_model.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

namespace berth::proxy {
namespace {

std::string Text(const Json* v) {
  return v && v->IsString() ? std::string(v->GetString(), v->GetStringLength())
                            : "";
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(c));
  return s;
}

// A condition as kube-proxy reads it: unset counts as true for ready and
// serving, false for terminating.
bool Condition(const Json& ep, const char* name, bool unset) {
  const Json* v = Find(ep, {"conditions", name});
  return v && v->IsBool() ? v->GetBool() : unset;
}

struct SliceEndpoint {
  ProxyEndpoint ep;
  bool ready = true;
  bool serving = true;
  bool terminating = false;
  std::string node;
};

// CategorizeEndpoints for one traffic policy: the ready endpoints, else the
// serving terminating ones (so connections drain to them instead of
// failing); only this node's when `local`.
std::vector<ProxyEndpoint> Choose(const std::vector<SliceEndpoint>& all,
                                  bool local, const std::string& node) {
  std::set<ProxyEndpoint> ready, fallback;
  for (const auto& e : all) {
    if (local && e.node != node) continue;
    if (e.ready) {
      ready.insert(e.ep);
    } else if (e.serving && e.terminating) {
      fallback.insert(e.ep);
    }
  }
  const auto& chosen = ready.empty() ? fallback : ready;
  return {chosen.begin(), chosen.end()};
}

}  // namespace

std::string ServicePort::Id() const {
  return ns + "/" + name + ":" + port_name + "/" + protocol;
}

std::vector<ProxyEndpoint> AllEndpoints(const ServicePort& sp) {
  std::vector<ProxyEndpoint> all = sp.cluster_endpoints;
  const std::set<ProxyEndpoint> cluster(all.begin(), all.end());
  for (const auto& ep : sp.external_endpoints) {
    if (cluster.count(ep) == 0) all.push_back(ep);
  }
  return all;
}

std::vector<ServicePort> BuildServicePorts(
    const std::vector<const Json*>& services,
    const std::vector<const Json*>& slices, const std::string& node_name) {
  // "ns/service" -> "port name/protocol" -> endpoints.
  std::map<std::string, std::map<std::string, std::vector<SliceEndpoint>>>
      by_service;
  for (const Json* slice : slices) {
    if (Text(Member(*slice, "addressType")) != "IPv4") continue;
    const std::string svc = Text(
        Find(*slice, {"metadata", "labels", "kubernetes.io/service-name"}));
    if (svc.empty()) continue;
    auto& ports =
        by_service[Text(Find(*slice, {"metadata", "namespace"})) + "/" + svc];
    const Json* sp = Member(*slice, "ports");
    const Json* eps = Member(*slice, "endpoints");
    if (!sp || !sp->IsArray() || !eps || !eps->IsArray()) continue;
    for (const auto& p : sp->GetArray()) {
      const Json* number = Member(p, "port");
      if (!number || !number->IsInt64()) continue;
      std::string proto = Text(Member(p, "protocol"));
      const std::string key =
          Text(Member(p, "name")) + "/" + Lower(proto.empty() ? "TCP" : proto);
      for (const auto& e : eps->GetArray()) {
        const Json* addrs = Member(e, "addresses");
        if (!addrs || !addrs->IsArray() || addrs->Empty()) continue;
        SliceEndpoint se;
        se.ep = {Text(&(*addrs)[0]), number->GetInt64()};
        se.ready = Condition(e, "ready", true);
        se.serving = Condition(e, "serving", true);
        se.terminating = Condition(e, "terminating", false);
        se.node = Text(Member(e, "nodeName"));
        ports[key].push_back(std::move(se));
      }
    }
  }

  std::vector<ServicePort> out;
  for (const Json* svc : services) {
    const Json* spec = Member(*svc, "spec");
    if (!spec) continue;
    const std::string type = Text(Member(*spec, "type"));
    const std::string ip = Text(Member(*spec, "clusterIP"));
    if (type == "ExternalName" || ip.empty() || ip == "None") continue;
    const Json* ports = Member(*spec, "ports");
    if (!ports || !ports->IsArray()) continue;
    const std::string ns = Text(Find(*svc, {"metadata", "namespace"}));
    const std::string name = Text(Find(*svc, {"metadata", "name"}));
    const auto& endpoints = by_service[ns + "/" + name];
    int64_t affinity = 0;
    if (Text(Member(*spec, "sessionAffinity")) == "ClientIP") {
      affinity =
          GetInt(*spec, {"sessionAffinityConfig", "clientIP", "timeoutSeconds"},
                 10800);
    }
    const bool external_local =
        Text(Member(*spec, "externalTrafficPolicy")) == "Local";
    const bool internal_local =
        Text(Member(*spec, "internalTrafficPolicy")) == "Local";
    // trafficDistribution PreferSameNode (Kubernetes 1.33+, what kube-dns
    // uses for a node-local resolver): this node's ready endpoints when it
    // has any, else the Service's others.
    const bool prefer_same_node =
        Text(Member(*spec, "trafficDistribution")) == "PreferSameNode";
    for (const auto& p : ports->GetArray()) {
      ServicePort sp;
      sp.ns = ns;
      sp.name = name;
      sp.port_name = Text(Member(p, "name"));
      sp.cluster_ip = ip;
      std::string proto = Text(Member(p, "protocol"));
      sp.protocol = Lower(proto.empty() ? "TCP" : proto);
      sp.port = GetInt(p, {"port"});
      if (type == "NodePort" || type == "LoadBalancer") {
        sp.node_port = GetInt(p, {"nodePort"});
      }
      sp.affinity_seconds = affinity;
      sp.external_local = external_local && sp.node_port != 0;
      if (auto it = endpoints.find(sp.port_name + "/" + sp.protocol);
          it != endpoints.end()) {
        sp.cluster_endpoints = Choose(it->second, internal_local, node_name);
        if (prefer_same_node && !internal_local) {
          auto same_node = Choose(it->second, true, node_name);
          if (!same_node.empty()) sp.cluster_endpoints = std::move(same_node);
        }
        sp.external_endpoints =
            Choose(it->second, sp.external_local, node_name);
      }
      out.push_back(std::move(sp));
    }
  }
  std::sort(out.begin(), out.end(),
            [](const ServicePort& a, const ServicePort& b) {
              return a.Id() < b.Id();
            });
  return out;
}

}  // namespace berth::proxy
