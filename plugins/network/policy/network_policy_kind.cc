#include "network_policy_kind.h"

#include "age.h"
#include "cidr.h"
#include "label_selector.h"
#include "network_policy_schemas.h"
#include "printing.h"
#include "validation.h"

namespace berth::policy {
namespace {

using core::Index;
using core::Str;

constexpr char kBadCidr[] =
    "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

// ValidateNetworkPolicyPort.
void ValidatePort(const Json& port, const std::string& path,
                  std::vector<FieldCause>& causes) {
  if (const Json* p = Member(port, "protocol"); p) {
    const std::string proto = Str(p);
    if (proto != "TCP" && proto != "UDP" && proto != "SCTP") {
      causes.push_back(field::NotSupported(path + ".protocol", proto,
                                           {"TCP", "UDP", "SCTP"}));
    }
  }
  const Json* number = Member(port, "port");
  const Json* end = Member(port, "endPort");
  const bool has_end = end && end->IsInt64();
  if (!number || number->IsNull()) {
    if (has_end) {
      causes.push_back(field::InvalidNumber(
          path + ".endPort", end->GetInt64(),
          "may not be specified when `port` is not specified"));
    }
    return;
  }
  if (number->IsInt64()) {
    for (const auto& m : core::IsValidPortNum(number->GetInt64())) {
      causes.push_back(
          field::InvalidNumber(path + ".port", number->GetInt64(), m));
    }
    if (has_end) {
      if (end->GetInt64() < number->GetInt64()) {
        // Kubernetes reports `port`'s value here.
        causes.push_back(
            field::InvalidNumber(path + ".endPort", number->GetInt64(),
                                 "must be greater than or equal to `port`"));
      }
      for (const auto& m : core::IsValidPortNum(end->GetInt64())) {
        causes.push_back(
            field::InvalidNumber(path + ".endPort", end->GetInt64(), m));
      }
    }
    return;
  }
  if (has_end) {
    causes.push_back(field::InvalidNumber(
        path + ".endPort", end->GetInt64(),
        "may not be specified when `port` is non-numeric"));
  }
  core::AddInvalid(causes, path + ".port", Str(number),
                   core::IsValidPortName(Str(number)));
}

// ValidateIPBlock: a valid cidr, and every except a valid CIDR strictly
// inside it.
void ValidateIpBlock(const Json& block, const std::string& path,
                     std::vector<FieldCause>& causes) {
  const std::string cidr_text = Str(Member(block, "cidr"));
  if (cidr_text.empty()) {
    causes.push_back(field::Required(path + ".cidr"));
    return;
  }
  const auto cidr = ParseCidr(cidr_text);
  if (!cidr) {
    causes.push_back(field::Invalid(path + ".cidr", cidr_text, kBadCidr));
    return;
  }
  const Json* except = Member(block, "except");
  if (!except || !except->IsArray()) return;
  for (size_t i = 0; i < except->Size(); ++i) {
    const std::string p = Index(path + ".except", i);
    const std::string text = Str(&(*except)[i]);
    const auto e = ParseCidr(text);
    if (!e) {
      causes.push_back(field::Invalid(p, text, kBadCidr));
      return;
    }
    if (!IsStrictSubset(*e, *cidr)) {
      causes.push_back(
          field::Invalid(p, text, "must be a strict subset of `cidr`"));
    }
  }
}

// ValidateNetworkPolicyPeer.
void ValidatePeer(const Json& peer, const std::string& path,
                  std::vector<FieldCause>& causes) {
  int kinds = 0;
  const Json* block = Member(peer, "ipBlock");
  for (const char* key : {"podSelector", "namespaceSelector"}) {
    if (const Json* s = Member(peer, key); s && s->IsObject()) {
      ++kinds;
      workloads::ValidateLabelSelector(*s, path + "." + key, causes);
    }
  }
  if (block && block->IsObject()) {
    ++kinds;
    ValidateIpBlock(*block, path + ".ipBlock", causes);
  }
  if (kinds == 0) {
    causes.push_back(field::Required(path, "must specify a peer"));
  } else if (kinds > 1 && block && block->IsObject()) {
    causes.push_back(field::Forbidden(
        path, "may not specify both ipBlock and another peer"));
  }
}

void ValidateRules(const Json& spec, const char* direction, const char* peers,
                   std::vector<FieldCause>& causes) {
  const Json* rules = Member(spec, direction);
  if (!rules || !rules->IsArray()) return;
  for (size_t i = 0; i < rules->Size(); ++i) {
    const std::string path = Index(std::string("spec.") + direction, i);
    const Json& rule = (*rules)[i];
    if (const Json* ports = Member(rule, "ports"); ports && ports->IsArray()) {
      for (size_t j = 0; j < ports->Size(); ++j) {
        ValidatePort((*ports)[j], Index(path + ".ports", j), causes);
      }
    }
    if (const Json* list = Member(rule, peers); list && list->IsArray()) {
      for (size_t j = 0; j < list->Size(); ++j) {
        ValidatePeer((*list)[j], Index(path + "." + peers, j), causes);
      }
    }
  }
}

}  // namespace

NetworkPolicyKind::NetworkPolicyKind() {
  info_.group = "networking.k8s.io";
  info_.version = "v1";
  info_.kind = "NetworkPolicy";
  info_.plural = "networkpolicies";
  info_.singular = "networkpolicy";
  info_.short_names = {"netpol"};
  info_.schema_name = "io.k8s.api.networking.v1.NetworkPolicy";
  schemas_ = NetworkPolicySchemasJson();
}

// SetDefaults_NetworkPolicyPort and SetDefaults_NetworkPolicy.
void NetworkPolicyKind::Default(Json& obj, JsonAlloc& a) const {
  Json* spec = Member(obj, "spec");
  if (!spec || !spec->IsObject()) return;
  for (const char* direction : {"ingress", "egress"}) {
    Json* rules = Member(*spec, direction);
    if (!rules || !rules->IsArray()) continue;
    for (auto& rule : rules->GetArray()) {
      Json* ports = rule.IsObject() ? Member(rule, "ports") : nullptr;
      if (!ports || !ports->IsArray()) continue;
      for (auto& p : ports->GetArray()) {
        if (p.IsObject()) SetDefaultString(p, "protocol", "TCP", a);
      }
    }
  }
  Json* types = Member(*spec, "policyTypes");
  if (types && types->IsArray() && types->Size() > 0) return;
  Json list(rapidjson::kArrayType);
  list.PushBack(Json("Ingress", a), a);
  const Json* egress = Member(*spec, "egress");
  if (egress && egress->IsArray() && egress->Size() > 0) {
    list.PushBack(Json("Egress", a), a);
  }
  SetMember(*spec, "policyTypes", std::move(list), a);
}

// ValidateNetworkPolicySpec; the kernel checks metadata.
std::vector<FieldCause> NetworkPolicyKind::Validate(const Json& obj,
                                                    const Json*) const {
  std::vector<FieldCause> causes;
  const Json* spec = Member(obj, "spec");
  if (!spec || !spec->IsObject()) return causes;
  if (const Json* s = Member(*spec, "podSelector"); s && s->IsObject()) {
    workloads::ValidateLabelSelector(*s, "spec.podSelector", causes);
  }
  ValidateRules(*spec, "ingress", "from", causes);
  ValidateRules(*spec, "egress", "to", causes);
  const Json* types = Member(*spec, "policyTypes");
  if (!types || !types->IsArray()) return causes;
  if (types->Size() > 2) {
    std::string shown;
    for (const auto& t : types->GetArray()) {
      shown += (shown.empty() ? "" : " ") + Str(&t);
    }
    causes.push_back(field::Invalid("spec.policyTypes", "[" + shown + "]",
                                    "may not specify more than two "
                                    "policyTypes"));
    return causes;
  }
  for (size_t i = 0; i < types->Size(); ++i) {
    const std::string t = Str(&(*types)[i]);
    if (t != "Ingress" && t != "Egress") {
      causes.push_back(field::NotSupported(Index("spec.policyTypes", i), t,
                                           {"Ingress", "Egress"}));
    }
  }
  return causes;
}

std::vector<PrinterColumn> NetworkPolicyKind::Columns() const {
  return {core::NameColumn(),
          core::StringColumn(
              "Pod-Selector",
              "podSelector selects the pods to which this NetworkPolicy "
              "object applies. The array of ingress rules is applied to any "
              "pods selected by this field. Multiple network policies can "
              "select the same set of pods. In this case, the ingress rules "
              "for each are combined additively. This field is NOT optional "
              "and follows standard label selector semantics. An empty "
              "podSelector matches all pods in this namespace."),
          core::AgeColumn()};
}

// kubectl's printNetworkPolicy: metav1.FormatLabelSelector of the pod
// selector, "<none>" when it is empty.
void NetworkPolicyKind::Cells(const Json& obj,
                              std::chrono::system_clock::time_point now,
                              Json& cells, JsonAlloc& alloc) const {
  core::AppendCell(cells, Str(Find(obj, {"metadata", "name"})), alloc);
  auto selector = workloads::SelectorString(Find(obj, {"spec", "podSelector"}));
  std::string shown = selector.ok() ? *selector : "<error>";
  core::AppendCell(cells, shown.empty() ? "<none>" : shown, alloc);
  core::AppendCell(
      cells, core::AgeSince(Find(obj, {"metadata", "creationTimestamp"}), now),
      alloc);
}

}  // namespace berth::policy
