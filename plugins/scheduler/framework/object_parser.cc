#include "object_parser.h"

#include <algorithm>
#include <string>

#include "quantity.h"

namespace berth::scheduler {
namespace {

constexpr int64_t kDefaultMilliCpuRequest = 100;                // 0.1 core
constexpr int64_t kDefaultMemoryRequest = 200LL * 1024 * 1024;  // 200Mi

std::string Str(const Json* v) {
  return v && v->IsString() ? std::string(v->GetString(), v->GetStringLength())
                            : std::string();
}

std::map<std::string, std::string> StringMap(const Json* v) {
  std::map<std::string, std::string> out;
  if (!v || !v->IsObject()) return out;
  for (auto it = v->MemberBegin(); it != v->MemberEnd(); ++it) {
    out.emplace(Str(&it->name), Str(&it->value));
  }
  return out;
}

std::vector<std::string> Strings(const Json* v) {
  std::vector<std::string> out;
  if (!v || !v->IsArray()) return out;
  for (const auto& s : v->GetArray()) out.push_back(Str(&s));
  return out;
}

template <typename F>
void ForEach(const Json* v, F&& f) {
  if (!v || !v->IsArray()) return;
  for (const auto& e : v->GetArray()) f(e);
}

// Adds one resource amount to `r`.
void AddOne(const std::string& name, const Json& value, Resources& r) {
  if (name == "cpu") {
    r.milli_cpu += MilliOf(value).value_or(0);
  } else if (name == "memory") {
    r.memory += ValueOf(value).value_or(0);
  } else if (name == "ephemeral-storage") {
    r.ephemeral_storage += ValueOf(value).value_or(0);
  } else if (name == "pods") {
    r.pods += ValueOf(value).value_or(0);
  } else {
    r.scalar[name] += ValueOf(value).value_or(0);
  }
}

// Adds a resource list ({"cpu": "1", "memory": "1Gi", ...}) to `r`.
void AddList(const Json* list, Resources& r) {
  if (!list || !list->IsObject()) return;
  for (auto it = list->MemberBegin(); it != list->MemberEnd(); ++it) {
    AddOne(Str(&it->name), it->value, r);
  }
}

void MaxInto(const Resources& from, Resources& into) {
  into.milli_cpu = std::max(into.milli_cpu, from.milli_cpu);
  into.memory = std::max(into.memory, from.memory);
  into.ephemeral_storage =
      std::max(into.ephemeral_storage, from.ephemeral_storage);
  for (const auto& [k, v] : from.scalar) {
    into.scalar[k] = std::max(into.scalar[k], v);
  }
}

void AddInto(const Resources& from, Resources& into) {
  into.milli_cpu += from.milli_cpu;
  into.memory += from.memory;
  into.ephemeral_storage += from.ephemeral_storage;
  for (const auto& [k, v] : from.scalar) into.scalar[k] += v;
}

// A container's requests; requests default to limits as the API server's
// defaulting does.
Resources ContainerRequests(const Json& c) {
  Resources r;
  const Json* requests = Find(c, {"resources", "requests"});
  const Json* limits = Find(c, {"resources", "limits"});
  AddList(requests, r);
  if (limits && limits->IsObject()) {
    for (auto it = limits->MemberBegin(); it != limits->MemberEnd(); ++it) {
      std::string name = Str(&it->name);
      if (requests && Member(*requests, name)) continue;
      AddOne(name, it->value, r);
    }
  }
  return r;
}

NodeSelectorTerm ParseNodeSelectorTerm(const Json& t) {
  NodeSelectorTerm term;
  auto reqs = [](const Json* list) {
    std::vector<NodeSelectorTerm::Requirement> out;
    ForEach(list, [&](const Json& e) {
      out.push_back({Str(Member(e, "key")), Str(Member(e, "operator")),
                     Strings(Member(e, "values"))});
    });
    return out;
  };
  term.match_expressions = reqs(Member(t, "matchExpressions"));
  term.match_fields = reqs(Member(t, "matchFields"));
  return term;
}

PodAffinityTerm ParseAffinityTerm(const Json& t, const std::string& pod_ns) {
  PodAffinityTerm term;
  if (const Json* sel = Member(t, "labelSelector"); sel && sel->IsObject()) {
    term.label_selector = ParseLabelSelector(*sel);
    term.has_label_selector = true;
  }
  term.namespaces = Strings(Member(t, "namespaces"));
  if (const Json* sel = Member(t, "namespaceSelector");
      sel && sel->IsObject()) {
    term.namespace_selector = ParseLabelSelector(*sel);
  }
  if (term.namespaces.empty() && !term.namespace_selector) {
    term.namespaces.push_back(pod_ns);
  }
  term.topology_key = Str(Member(t, "topologyKey"));
  return term;
}

void ParsePodAffinity(const Json* a, const std::string& ns,
                      std::vector<PodAffinityTerm>& required,
                      std::vector<WeightedPodAffinityTerm>& preferred) {
  if (!a) return;
  ForEach(Member(*a, "requiredDuringSchedulingIgnoredDuringExecution"),
          [&](const Json& t) { required.push_back(ParseAffinityTerm(t, ns)); });
  ForEach(Member(*a, "preferredDuringSchedulingIgnoredDuringExecution"),
          [&](const Json& t) {
            const Json* term = Member(t, "podAffinityTerm");
            if (!term) return;
            preferred.push_back({static_cast<int32_t>(GetInt(t, {"weight"})),
                                 ParseAffinityTerm(*term, ns)});
          });
}

}  // namespace

LabelSelector ParseLabelSelector(const Json& selector) {
  LabelSelector s;
  s.match_labels = StringMap(Member(selector, "matchLabels"));
  ForEach(Member(selector, "matchExpressions"), [&](const Json& e) {
    s.match_expressions.push_back({Str(Member(e, "key")),
                                   Str(Member(e, "operator")),
                                   Strings(Member(e, "values"))});
  });
  return s;
}

bool PodIsTerminal(const Json& pod) {
  std::string phase = GetString(pod, {"status", "phase"});
  return phase == "Succeeded" || phase == "Failed";
}

std::shared_ptr<PodInfo> ParsePod(const Json& pod) {
  auto p = std::make_shared<PodInfo>();
  const Json* meta = Member(pod, "metadata");
  static const Json kEmpty(rapidjson::kObjectType);
  const Json& m = meta ? *meta : kEmpty;
  p->ns = Str(Member(m, "namespace"));
  p->name = Str(Member(m, "name"));
  p->uid = Str(Member(m, "uid"));
  p->resource_version = Str(Member(m, "resourceVersion"));
  p->terminating = Member(m, "deletionTimestamp") != nullptr &&
                   !Member(m, "deletionTimestamp")->IsNull();
  p->labels = StringMap(Member(m, "labels"));
  ForEach(Member(m, "ownerReferences"), [&](const Json& o) {
    const Json* c = Member(o, "controller");
    if (c && c->IsBool() && c->GetBool())
      p->controller_uid = Str(Member(o, "uid"));
  });

  const Json* spec_p = Member(pod, "spec");
  const Json& spec = spec_p ? *spec_p : kEmpty;
  p->node_name = Str(Member(spec, "nodeName"));
  std::string scheduler = Str(Member(spec, "schedulerName"));
  if (!scheduler.empty()) p->scheduler_name = scheduler;
  p->priority = static_cast<int32_t>(GetInt(spec, {"priority"}));

  // Effective request: max(sum of containers, largest init container), plus
  // the pod overhead, as k8s.io/component-helpers resource.PodRequests.
  Resources sum, non_zero;
  ForEach(Member(spec, "containers"), [&](const Json& c) {
    Resources r = ContainerRequests(c);
    AddInto(r, sum);
    Resources nz = r;
    if (nz.milli_cpu == 0) nz.milli_cpu = kDefaultMilliCpuRequest;
    if (nz.memory == 0) nz.memory = kDefaultMemoryRequest;
    AddInto(nz, non_zero);
  });
  ForEach(Member(spec, "initContainers"), [&](const Json& c) {
    Resources r = ContainerRequests(c);
    MaxInto(r, sum);
    MaxInto(r, non_zero);
  });
  Resources overhead;
  AddList(Member(spec, "overhead"), overhead);
  AddInto(overhead, sum);
  AddInto(overhead, non_zero);
  sum.pods = 1;
  non_zero.pods = 1;
  p->requests = std::move(sum);
  p->non_zero_requests = std::move(non_zero);

  p->node_selector = StringMap(Member(spec, "nodeSelector"));
  const Json* affinity = Member(spec, "affinity");
  if (affinity) {
    if (const Json* na = Member(*affinity, "nodeAffinity")) {
      ForEach(Find(*na, {"requiredDuringSchedulingIgnoredDuringExecution",
                         "nodeSelectorTerms"}),
              [&](const Json& t) {
                p->required_node_affinity.push_back(ParseNodeSelectorTerm(t));
              });
      ForEach(Member(*na, "preferredDuringSchedulingIgnoredDuringExecution"),
              [&](const Json& t) {
                const Json* pref = Member(t, "preference");
                if (!pref) return;
                p->preferred_node_affinity.push_back(
                    {static_cast<int32_t>(GetInt(t, {"weight"})),
                     ParseNodeSelectorTerm(*pref)});
              });
    }
    ParsePodAffinity(Member(*affinity, "podAffinity"), p->ns,
                     p->required_affinity, p->preferred_affinity);
    ParsePodAffinity(Member(*affinity, "podAntiAffinity"), p->ns,
                     p->required_anti_affinity, p->preferred_anti_affinity);
  }
  ForEach(Member(spec, "tolerations"), [&](const Json& t) {
    Toleration tol;
    tol.key = Str(Member(t, "key"));
    std::string op = Str(Member(t, "operator"));
    if (!op.empty()) tol.op = op;
    tol.value = Str(Member(t, "value"));
    tol.effect = Str(Member(t, "effect"));
    if (const Json* s = Member(t, "tolerationSeconds"); s && s->IsInt64()) {
      tol.toleration_seconds = s->GetInt64();
    }
    p->tolerations.push_back(std::move(tol));
  });
  ForEach(Member(spec, "topologySpreadConstraints"), [&](const Json& c) {
    TopologySpreadConstraint tsc;
    tsc.max_skew = static_cast<int32_t>(GetInt(c, {"maxSkew"}, 1));
    tsc.topology_key = Str(Member(c, "topologyKey"));
    std::string when = Str(Member(c, "whenUnsatisfiable"));
    if (!when.empty()) tsc.when_unsatisfiable = when;
    if (const Json* sel = Member(c, "labelSelector")) {
      tsc.label_selector = ParseLabelSelector(*sel);
    }
    tsc.min_domains = static_cast<int32_t>(GetInt(c, {"minDomains"}, 1));
    p->topology_spread_constraints.push_back(std::move(tsc));
  });
  return p;
}

NodeInfo ParseNode(const Json& node) {
  NodeInfo n;
  n.name = GetString(node, {"metadata", "name"});
  n.labels = StringMap(Find(node, {"metadata", "labels"}));
  const Json* spec = Member(node, "spec");
  if (spec) {
    const Json* u = Member(*spec, "unschedulable");
    n.unschedulable = u && u->IsBool() && u->GetBool();
    ForEach(Member(*spec, "taints"), [&](const Json& t) {
      n.taints.push_back({Str(Member(t, "key")), Str(Member(t, "value")),
                          Str(Member(t, "effect"))});
    });
  }
  const Json* alloc = Find(node, {"status", "allocatable"});
  if (!alloc || !alloc->IsObject() || alloc->MemberCount() == 0) {
    alloc = Find(node, {"status", "capacity"});
  }
  AddList(alloc, n.allocatable);
  return n;
}

}  // namespace berth::scheduler
