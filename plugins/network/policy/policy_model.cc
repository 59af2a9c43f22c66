#include "policy_model.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "label_selector.h"

namespace berth::policy {
namespace {

// The label every namespace carries (the apiserver sets it; added here too
// so a namespace object the cache has not seen yet still matches).
constexpr char kNamespaceNameLabel[] = "kubernetes.io/metadata.name";

std::string S(const Json* v) {
  return v && v->IsString() ? std::string(v->GetString(), v->GetStringLength())
                            : std::string();
}

bool IsIpv4(const std::string& ip) {
  return !ip.empty() && ip.find(':') == std::string::npos;
}

struct PodView {
  std::string ns;
  std::string name;
  std::string ip;
  std::string node;
  const Json* labels = nullptr;
  const Json* obj = nullptr;
};

std::optional<PodView> ViewPod(const Json& pod) {
  PodView v;
  v.ns = S(Find(pod, {"metadata", "namespace"}));
  v.name = S(Find(pod, {"metadata", "name"}));
  v.ip = S(Find(pod, {"status", "podIP"}));
  v.node = S(Find(pod, {"spec", "nodeName"}));
  v.labels = Find(pod, {"metadata", "labels"});
  v.obj = &pod;
  const Json* host = Find(pod, {"spec", "hostNetwork"});
  const std::string phase = S(Find(pod, {"status", "phase"}));
  if (!IsIpv4(v.ip) || (host && host->IsBool() && host->GetBool()) ||
      phase == "Succeeded" || phase == "Failed") {
    return std::nullopt;
  }
  return v;
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(tolower(c));
  return s;
}

// The containerPort a pod names `name` for `protocol` ("TCP"), if any.
std::optional<int> NamedPort(const PodView& pod, const std::string& name,
                             const std::string& protocol) {
  const Json* containers = Find(*pod.obj, {"spec", "containers"});
  if (!containers || !containers->IsArray()) return std::nullopt;
  for (const auto& c : containers->GetArray()) {
    const Json* ports = Member(c, "ports");
    if (!ports || !ports->IsArray()) continue;
    for (const auto& p : ports->GetArray()) {
      std::string proto = S(Member(p, "protocol"));
      if (proto.empty()) proto = "TCP";
      const Json* number = Member(p, "containerPort");
      if (S(Member(p, "name")) == name && proto == protocol && number &&
          number->IsInt64()) {
        return static_cast<int>(number->GetInt64());
      }
    }
  }
  return std::nullopt;
}

// One entry of a rule's ports: numeric (or no port), or a name to resolve.
struct PortClause {
  std::string protocol;  // "TCP"
  std::string name;      // set for a named port
  PortMatch match;       // set otherwise (protocol lowercased)
};

std::vector<PortClause> Clauses(const Json* ports) {
  std::vector<PortClause> out;
  if (!ports || !ports->IsArray()) return out;
  for (const auto& p : ports->GetArray()) {
    PortClause c;
    c.protocol = S(Member(p, "protocol"));
    if (c.protocol.empty()) c.protocol = "TCP";
    c.match.protocol = Lower(c.protocol);
    const Json* port = Member(p, "port");
    if (port && port->IsString()) {
      c.name = S(port);
    } else if (port && port->IsInt64()) {
      c.match.port = static_cast<int>(port->GetInt64());
      const Json* end = Member(p, "endPort");
      if (end && end->IsInt64() && end->GetInt64() > port->GetInt64()) {
        c.match.end_port = static_cast<int>(end->GetInt64());
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

struct Cluster {
  std::vector<PodView> pods;
  std::map<std::string, JsonDoc> ns_labels;  // namespace -> labels object

  const Json* NamespaceLabels(const std::string& ns) {
    auto it = ns_labels.find(ns);
    if (it == ns_labels.end()) {
      JsonDoc d;
      d.SetObject();
      d.AddMember(Json(kNamespaceNameLabel, d.GetAllocator()),
                  Json(ns.c_str(), d.GetAllocator()), d.GetAllocator());
      it = ns_labels.emplace(ns, std::move(d)).first;
    }
    return &it->second;
  }
};

// The pods a peer with selectors (no ipBlock) selects, for a policy in
// `policy_ns`.
std::vector<const PodView*> PeerPods(Cluster& cluster, const Json& peer,
                                     const std::string& policy_ns) {
  const Json* pod_sel = Member(peer, "podSelector");
  const Json* ns_sel = Member(peer, "namespaceSelector");
  const bool has_ns = ns_sel && ns_sel->IsObject();
  std::vector<const PodView*> out;
  for (const auto& pod : cluster.pods) {
    if (has_ns) {
      if (!PolicySelectorMatches(ns_sel, cluster.NamespaceLabels(pod.ns))) {
        continue;
      }
    } else if (pod.ns != policy_ns) {
      continue;
    }
    if (pod_sel && pod_sel->IsObject() &&
        !PolicySelectorMatches(pod_sel, pod.labels)) {
      continue;
    }
    out.push_back(&pod);
  }
  return out;
}

std::vector<std::string> SortedIps(const std::vector<const PodView*>& pods) {
  std::set<std::string> ips;
  for (const auto* p : pods) ips.insert(p->ip);
  return {ips.begin(), ips.end()};
}

// Appends what one ingress or egress rule allows the local pod `self`.
void AddRule(Cluster& cluster, const Json& rule, bool ingress,
             const PodView& self, const std::string& policy_ns,
             const std::string& policy, std::vector<Allow>& out) {
  const Json* peers = Member(rule, ingress ? "from" : "to");
  const Json* ports = Member(rule, "ports");
  const bool any_port = !ports || !ports->IsArray() || ports->Empty();
  const bool any_peer = !peers || !peers->IsArray() || peers->Empty();

  // Who: the selected pods, the ipBlocks, or everyone.
  std::vector<const PodView*> pods;
  std::vector<Allow> blocks;
  if (any_peer) {
    for (const auto& p : cluster.pods) pods.push_back(&p);
  } else {
    for (const auto& peer : peers->GetArray()) {
      const Json* block = Member(peer, "ipBlock");
      if (block && block->IsObject()) {
        Allow a;
        a.peers.push_back(S(Member(*block, "cidr")));
        if (const Json* e = Member(*block, "except"); e && e->IsArray()) {
          for (const auto& x : e->GetArray()) a.except.push_back(S(&x));
        }
        blocks.push_back(std::move(a));
      } else {
        for (const auto* p : PeerPods(cluster, peer, policy_ns)) {
          pods.push_back(p);
        }
      }
    }
  }
  auto emit = [&](Allow a) {
    a.policy = policy;
    out.push_back(std::move(a));
  };
  // Everything that needs no per-peer resolution shares one port list.
  std::vector<PortMatch> common;
  std::map<std::pair<std::string, int>, std::vector<const PodView*>> named;
  for (const auto& c : Clauses(ports)) {
    if (c.name.empty()) {
      common.push_back(c.match);
    } else if (ingress) {
      if (auto n = NamedPort(self, c.name, c.protocol)) {
        common.push_back({c.match.protocol, *n, 0});
      }
    } else {
      // An egress named port is the destination pod's.
      for (const auto* p : pods) {
        if (auto n = NamedPort(*p, c.name, c.protocol)) {
          named[{c.match.protocol, *n}].push_back(p);
        }
      }
    }
  }
  if (any_port || !common.empty()) {
    if (any_peer) {
      Allow a;
      a.any_peer = true;
      a.ports = common;
      emit(std::move(a));
    } else {
      if (!pods.empty()) {
        Allow a;
        a.peers = SortedIps(pods);
        a.ports = common;
        emit(std::move(a));
      }
      for (auto& b : blocks) {
        b.ports = common;
        emit(std::move(b));
      }
    }
  }
  for (const auto& [port, targets] : named) {
    Allow a;
    a.peers = SortedIps(targets);
    a.ports.push_back({port.first, port.second, 0});
    emit(std::move(a));
  }
}

bool HasType(const Json& spec, const char* type) {
  const Json* types = Member(spec, "policyTypes");
  if (types && types->IsArray() && !types->Empty()) {
    for (const auto& t : types->GetArray()) {
      if (S(&t) == type) return true;
    }
    return false;
  }
  // The apiserver's defaulting, for objects stored without it.
  if (std::string(type) == "Ingress") return true;
  const Json* egress = Member(spec, "egress");
  return egress && egress->IsArray() && !egress->Empty();
}

}  // namespace

bool PolicySelectorMatches(const Json* selector, const Json* labels) {
  if (!selector || !selector->IsObject()) return true;
  const Json* ml = Member(*selector, "matchLabels");
  const Json* me = Member(*selector, "matchExpressions");
  const bool has_labels = ml && ml->IsObject() && ml->MemberCount() > 0;
  const bool has_exprs = me && me->IsArray() && !me->Empty();
  if (!has_labels && !has_exprs) return true;
  return workloads::SelectorMatches(selector, labels);
}

std::vector<PodRules> ComputePodRules(
    const std::vector<const Json*>& policies,
    const std::vector<const Json*>& pods,
    const std::vector<const Json*>& namespaces, const std::string& node_name) {
  Cluster cluster;
  for (const Json* p : pods) {
    if (auto v = ViewPod(*p)) cluster.pods.push_back(*v);
  }
  for (const Json* n : namespaces) {
    const std::string name = S(Find(*n, {"metadata", "name"}));
    JsonDoc d;
    d.SetObject();
    if (const Json* l = Find(*n, {"metadata", "labels"}); l && l->IsObject()) {
      d.CopyFrom(*l, d.GetAllocator());
    }
    if (!Member(d, kNamespaceNameLabel)) {
      d.AddMember(Json(kNamespaceNameLabel, d.GetAllocator()),
                  Json(name.c_str(), d.GetAllocator()), d.GetAllocator());
    }
    cluster.ns_labels[name] = std::move(d);
  }

  // Policies in name order, so the same cluster gives the same rules.
  std::vector<std::pair<std::string, const Json*>> sorted;
  for (const Json* p : policies) {
    sorted.emplace_back(S(Find(*p, {"metadata", "namespace"})) + "/" +
                            S(Find(*p, {"metadata", "name"})),
                        p);
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });

  std::map<std::string, PodRules> by_ip;
  for (const auto& [id, policy] : sorted) {
    const Json* spec = Member(*policy, "spec");
    if (!spec || !spec->IsObject()) continue;
    const std::string ns = S(Find(*policy, {"metadata", "namespace"}));
    const bool ingress = HasType(*spec, "Ingress");
    const bool egress = HasType(*spec, "Egress");
    const Json* selector = Member(*spec, "podSelector");
    for (const auto& pod : cluster.pods) {
      if (pod.node != node_name || pod.ns != ns ||
          !PolicySelectorMatches(selector, pod.labels)) {
        continue;
      }
      PodRules& r = by_ip[pod.ip];
      r.pod = pod.ns + "/" + pod.name;
      r.ip = pod.ip;
      for (const auto& [on, key, list] :
           {std::tuple{ingress, "ingress", &r.ingress},
            std::tuple{egress, "egress", &r.egress}}) {
        if (!on) continue;
        (std::string(key) == "ingress" ? r.ingress_isolated
                                       : r.egress_isolated) = true;
        const Json* rules = Member(*spec, key);
        if (!rules || !rules->IsArray()) continue;
        for (const auto& rule : rules->GetArray()) {
          AddRule(cluster, rule, std::string(key) == "ingress", pod, ns, id,
                  *list);
        }
      }
    }
  }
  std::vector<PodRules> out;
  for (auto& [ip, r] : by_ip) out.push_back(std::move(r));
  return out;
}

}  // namespace berth::policy
