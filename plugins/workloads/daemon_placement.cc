#include "daemon_placement.h"

#include <algorithm>
#include <vector>

#include "validation.h"

namespace berth::workloads {
namespace {

using core::Str;

std::vector<std::string> Values(const Json& req) {
  std::vector<std::string> out;
  const Json* values = Member(req, "values");
  if (values && values->IsArray()) {
    for (const auto& v : values->GetArray()) out.push_back(Str(&v));
  }
  return out;
}

// One NodeSelectorRequirement against a value that may be absent.
bool RequirementMatches(const Json& req, const Json* value) {
  const std::string op = Str(Member(req, "operator"));
  const std::vector<std::string> values = Values(req);
  const bool in = value && std::find(values.begin(), values.end(),
                                     Str(value)) != values.end();
  if (op == "In") return in;
  if (op == "NotIn") return !in;
  if (op == "Exists") return value != nullptr;
  if (op == "DoesNotExist") return value == nullptr;
  if (op == "Gt" || op == "Lt") {
    if (!value || values.size() != 1) return false;
    try {
      const long long have = std::stoll(Str(value));
      const long long want = std::stoll(values[0]);
      return op == "Gt" ? have > want : have < want;
    } catch (...) {
      return false;
    }
  }
  return false;
}

bool TermMatches(const Json& term, const Json& node) {
  const Json* labels = Find(node, {"metadata", "labels"});
  const Json* exprs = Member(term, "matchExpressions");
  const Json* fields = Member(term, "matchFields");
  const bool has_exprs = exprs && exprs->IsArray() && !exprs->Empty();
  const bool has_fields = fields && fields->IsArray() && !fields->Empty();
  // An empty term matches no objects.
  if (!has_exprs && !has_fields) return false;
  if (has_exprs) {
    for (const auto& req : exprs->GetArray()) {
      const std::string key = Str(Member(req, "key"));
      if (!RequirementMatches(req, labels ? Member(*labels, key) : nullptr)) {
        return false;
      }
    }
  }
  if (has_fields) {
    const Json* name = Find(node, {"metadata", "name"});
    for (const auto& req : fields->GetArray()) {
      if (Str(Member(req, "key")) != "metadata.name") return false;
      if (!RequirementMatches(req, name)) return false;
    }
  }
  return true;
}

bool HasToleration(const Json* tolerations, const std::string& key,
                   const std::string& effect) {
  if (!tolerations || !tolerations->IsArray()) return false;
  for (const auto& t : tolerations->GetArray()) {
    if (Str(Member(t, "key")) == key && Str(Member(t, "effect")) == effect &&
        Str(Member(t, "operator")) == "Exists") {
      return true;
    }
  }
  return false;
}

}  // namespace

bool Tolerates(const Json* tolerations, const Json& taint) {
  if (!tolerations || !tolerations->IsArray()) return false;
  const std::string key = Str(Member(taint, "key"));
  const std::string value = Str(Member(taint, "value"));
  const std::string effect = Str(Member(taint, "effect"));
  for (const auto& t : tolerations->GetArray()) {
    const std::string t_effect = Str(Member(t, "effect"));
    if (!t_effect.empty() && t_effect != effect) continue;
    const std::string t_key = Str(Member(t, "key"));
    std::string op = Str(Member(t, "operator"));
    if (op.empty()) op = "Equal";
    if (op == "Exists") {
      // An empty key with Exists tolerates everything.
      if (t_key.empty() || t_key == key) return true;
    } else if (op == "Equal") {
      if (t_key == key && Str(Member(t, "value")) == value) return true;
    }
  }
  return false;
}

bool NodeSelectorTermsMatch(const Json& terms, const Json& node) {
  if (!terms.IsArray()) return false;
  for (const auto& term : terms.GetArray()) {
    if (TermMatches(term, node)) return true;
  }
  return false;
}

DaemonPlacement PlaceDaemonPod(const Json& node, const Json& pod_spec) {
  DaemonPlacement p;
  if (const Json* selector = Member(pod_spec, "nodeSelector");
      selector && selector->IsObject()) {
    const Json* labels = Find(node, {"metadata", "labels"});
    for (auto it = selector->MemberBegin(); it != selector->MemberEnd(); ++it) {
      const Json* v = labels ? Member(*labels, it->name.GetString()) : nullptr;
      if (!v || Str(v) != Str(&it->value)) return p;
    }
  }
  if (const Json* terms =
          Find(pod_spec, {"affinity", "nodeAffinity",
                          "requiredDuringSchedulingIgnoredDuringExecution",
                          "nodeSelectorTerms"})) {
    if (!NodeSelectorTermsMatch(*terms, node)) return p;
  }
  p.should_run = true;
  p.should_continue_running = true;
  const Json* taints = Find(node, {"spec", "taints"});
  if (!taints || !taints->IsArray()) return p;
  const Json* tolerations = Member(pod_spec, "tolerations");
  for (const auto& taint : taints->GetArray()) {
    const std::string effect = Str(Member(taint, "effect"));
    if (effect != "NoSchedule" && effect != "NoExecute") continue;
    if (Tolerates(tolerations, taint)) continue;
    p.should_run = false;
    if (effect == "NoExecute") p.should_continue_running = false;
  }
  return p;
}

void AddDaemonTolerations(Json& spec, JsonAlloc& a) {
  struct Want {
    const char* key;
    const char* effect;
  };
  std::vector<Want> wants = {
      {"node.kubernetes.io/not-ready", "NoExecute"},
      {"node.kubernetes.io/unreachable", "NoExecute"},
      {"node.kubernetes.io/disk-pressure", "NoSchedule"},
      {"node.kubernetes.io/memory-pressure", "NoSchedule"},
      {"node.kubernetes.io/pid-pressure", "NoSchedule"},
      {"node.kubernetes.io/unschedulable", "NoSchedule"},
  };
  const Json* host_network = Member(spec, "hostNetwork");
  if (host_network && host_network->IsBool() && host_network->GetBool()) {
    wants.push_back({"node.kubernetes.io/network-unavailable", "NoSchedule"});
  }
  Json* tolerations = Member(spec, "tolerations");
  if (!tolerations || !tolerations->IsArray()) {
    SetMember(spec, "tolerations", Json(rapidjson::kArrayType), a);
    tolerations = Member(spec, "tolerations");
  }
  for (const auto& w : wants) {
    if (HasToleration(tolerations, w.key, w.effect)) continue;
    Json t(rapidjson::kObjectType);
    SetString(t, "key", w.key, a);
    SetString(t, "operator", "Exists", a);
    SetString(t, "effect", w.effect, a);
    tolerations->PushBack(std::move(t), a);
  }
}

void PinToNode(Json& spec, const std::string& node, JsonAlloc& a) {
  Json& affinity = EnsureObject(spec, "affinity", a);
  Json& node_affinity = EnsureObject(affinity, "nodeAffinity", a);
  Json& required = EnsureObject(
      node_affinity, "requiredDuringSchedulingIgnoredDuringExecution", a);
  Json values(rapidjson::kArrayType);
  values.PushBack(Json(node.c_str(), a), a);
  Json req(rapidjson::kObjectType);
  SetString(req, "key", "metadata.name", a);
  SetString(req, "operator", "In", a);
  SetMember(req, "values", std::move(values), a);
  Json fields(rapidjson::kArrayType);
  fields.PushBack(std::move(req), a);
  Json term(rapidjson::kObjectType);
  SetMember(term, "matchFields", std::move(fields), a);
  Json terms(rapidjson::kArrayType);
  terms.PushBack(std::move(term), a);
  SetMember(required, "nodeSelectorTerms", std::move(terms), a);
}

std::string TargetNode(const Json& pod) {
  const std::string bound = GetString(pod, {"spec", "nodeName"});
  if (!bound.empty()) return bound;
  const Json* terms =
      Find(pod, {"spec", "affinity", "nodeAffinity",
                 "requiredDuringSchedulingIgnoredDuringExecution",
                 "nodeSelectorTerms"});
  if (!terms || !terms->IsArray()) return "";
  for (const auto& term : terms->GetArray()) {
    const Json* fields = Member(term, "matchFields");
    if (!fields || !fields->IsArray()) continue;
    for (const auto& req : fields->GetArray()) {
      const Json* values = Member(req, "values");
      if (Str(Member(req, "key")) == "metadata.name" &&
          Str(Member(req, "operator")) == "In" && values && values->IsArray() &&
          values->Size() == 1) {
        return Str(&(*values)[0]);
      }
    }
  }
  return "";
}

}  // namespace berth::workloads
