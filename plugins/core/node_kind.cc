#include "node_kind.h"

#include <set>

#include "age.h"
#include "printing.h"
#include "schema_registry.h"
#include "validation.h"

namespace berth::core {
namespace {

constexpr std::string_view kRolePrefix = "node-role.kubernetes.io/";

std::string AddressOf(const Json& node, const char* type) {
  if (const Json* addrs = Find(node, {"status", "addresses"});
      addrs && addrs->IsArray()) {
    for (const auto& a : addrs->GetArray()) {
      if (Str(Member(a, "type")) == type) return Str(Member(a, "address"));
    }
  }
  return "<none>";
}

std::string OrUnknown(std::string s) { return s.empty() ? "<unknown>" : s; }

}  // namespace

NodeKind::NodeKind() {
  info_.version = "v1";
  info_.kind = "Node";
  info_.plural = "nodes";
  info_.singular = "node";
  info_.namespaced = false;
  info_.short_names = {"no"};
  info_.status_subresource = true;
  info_.schema_name = "io.k8s.api.core.v1.Node";
  schemas_ = SchemaClosureJson({info_.schema_name});
}

void NodeKind::Default(Json& obj, JsonAlloc& a) const {
  if (!obj.IsObject()) return;
  EnsureObject(obj, "spec", a);
  Json& status = EnsureObject(obj, "status", a);
  const Json* capacity = Member(status, "capacity");
  if (capacity && capacity->IsObject() && !Member(status, "allocatable")) {
    SetMember(status, "allocatable", Json(*capacity, a), a);
  }
}

std::vector<FieldCause> NodeKind::Validate(const Json& obj,
                                           const Json* old) const {
  std::vector<FieldCause> causes;
  if (const Json* taints = Find(obj, {"spec", "taints"});
      taints && taints->IsArray()) {
    for (size_t i = 0; i < taints->Size(); ++i) {
      const Json& t = (*taints)[i];
      const std::string tp = Index("spec.taints", i);
      const std::string key = Str(Member(t, "key"));
      if (key.empty()) {
        causes.push_back(field::Required(tp + ".key"));
      } else {
        AddInvalid(causes, tp + ".key", key, IsQualifiedName(key));
      }
      const std::string effect = Str(Member(t, "effect"));
      if (effect != "NoSchedule" && effect != "PreferNoSchedule" &&
          effect != "NoExecute") {
        causes.push_back(field::NotSupported(
            tp + ".effect", effect,
            {"NoExecute", "NoSchedule", "PreferNoSchedule"}));
      }
    }
  }
  if (old) {
    // ValidateNodeUpdate: node IPAM may assign a pod CIDR once, and a
    // provider ID may be set once; neither changes after.
    auto cidrs = [](const Json& node) {
      std::vector<std::string> out;
      if (const Json* list = Find(node, {"spec", "podCIDRs"});
          list && list->IsArray()) {
        for (const auto& c : list->GetArray()) out.push_back(Str(&c));
      }
      const std::string one = GetString(node, {"spec", "podCIDR"});
      if (out.empty() && !one.empty()) out.push_back(one);
      return out;
    };
    const std::vector<std::string> before = cidrs(*old);
    if (!before.empty() && cidrs(obj) != before) {
      causes.push_back(field::Forbidden(
          "spec.podCIDRs",
          "node updates may not change podCIDR except from \"\" to valid"));
    }
    const std::string provider = GetString(*old, {"spec", "providerID"});
    if (!provider.empty() &&
        GetString(obj, {"spec", "providerID"}) != provider) {
      causes.push_back(field::Forbidden(
          "spec.providerID",
          "node updates may not change providerID except from \"\" to "
          "valid"));
    }
  }
  return causes;
}

std::vector<PrinterColumn> NodeKind::Columns() const {
  return {
      NameColumn(),
      StringColumn("Status", "The status of the node"),
      StringColumn("Roles", "The roles of the node"),
      AgeColumn(),
      StringColumn("Version", "Kubelet Version reported by the node."),
      StringColumn("Internal-IP", "List of addresses reachable to the node.",
                   1),
      StringColumn("External-IP", "List of addresses reachable to the node.",
                   1),
      StringColumn("OS-Image",
                   "OS Image reported by the node from /etc/os-release (e.g. "
                   "Debian GNU/Linux 7 (wheezy)).",
                   1),
      StringColumn("Kernel-Version",
                   "Kernel Version reported by the node from 'uname -r' (e.g. "
                   "3.16.0-0.bpo.4-amd64).",
                   1),
      StringColumn("Container-Runtime",
                   "ContainerRuntime Version reported by the node through "
                   "runtime remote API (e.g. containerd://1.4.2).",
                   1),
  };
}

void NodeKind::Cells(const Json& obj, std::chrono::system_clock::time_point now,
                     Json& cells, JsonAlloc& alloc) const {
  std::string status;
  if (const Json* conds = Find(obj, {"status", "conditions"});
      conds && conds->IsArray()) {
    for (const auto& c : conds->GetArray()) {
      if (Str(Member(c, "type")) != "Ready") continue;
      status = Str(Member(c, "status")) == "True" ? "Ready" : "NotReady";
    }
  }
  if (status.empty()) status = "Unknown";
  if (BoolField(Find(obj, {"spec", "unschedulable"})) == "true") {
    status += ",SchedulingDisabled";
  }
  std::set<std::string> roles;
  if (const Json* labels = Find(obj, {"metadata", "labels"});
      labels && labels->IsObject()) {
    for (auto it = labels->MemberBegin(); it != labels->MemberEnd(); ++it) {
      std::string_view key = it->name.GetString();
      if (key.substr(0, kRolePrefix.size()) == kRolePrefix) {
        std::string_view role = key.substr(kRolePrefix.size());
        if (!role.empty()) roles.insert(std::string(role));
      } else if (key == "kubernetes.io/role") {
        std::string role = Str(&it->value);
        if (!role.empty()) roles.insert(role);
      }
    }
  }
  std::string role_text;
  for (const auto& r : roles) role_text += (role_text.empty() ? "" : ",") + r;
  const Json empty(rapidjson::kObjectType);
  const Json* info_p = Find(obj, {"status", "nodeInfo"});
  const Json& info = info_p ? *info_p : empty;

  AppendCell(cells, Str(Find(obj, {"metadata", "name"})), alloc);
  AppendCell(cells, status, alloc);
  AppendCell(cells, role_text.empty() ? "<none>" : role_text, alloc);
  AppendCell(cells, AgeSince(Find(obj, {"metadata", "creationTimestamp"}), now),
             alloc);
  AppendCell(cells, Str(Member(info, "kubeletVersion")), alloc);
  AppendCell(cells, AddressOf(obj, "InternalIP"), alloc);
  AppendCell(cells, AddressOf(obj, "ExternalIP"), alloc);
  AppendCell(cells, OrUnknown(Str(Member(info, "osImage"))), alloc);
  AppendCell(cells, OrUnknown(Str(Member(info, "kernelVersion"))), alloc);
  AppendCell(cells, OrUnknown(Str(Member(info, "containerRuntimeVersion"))),
             alloc);
}

std::vector<std::string> NodeKind::SelectableFields() const {
  return {"spec.unschedulable"};
}

std::map<std::string, std::string> NodeKind::FieldValues(
    const Json& obj) const {
  return {
      {"spec.unschedulable", BoolField(Find(obj, {"spec", "unschedulable"}))}};
}

std::optional<std::string> NodeKind::MergeKey(const std::string& path) const {
  if (path == "status.addresses" || path == "status.conditions") return "type";
  if (path == "spec.taints") return "key";
  return std::nullopt;
}

}  // namespace berth::core
