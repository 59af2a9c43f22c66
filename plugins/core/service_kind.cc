#include "service_kind.h"

#include <set>

#include "age.h"
#include "printing.h"
#include "schema_registry.h"
#include "validation.h"

namespace berth::core {
namespace {

constexpr int kDefaultClientIpTimeoutSeconds = 10800;
const ResourceRef kServices{"", "v1", "services"};

bool UsesNodePorts(const std::string& type) {
  return type == "NodePort" || type == "LoadBalancer";
}

std::string TypeOf(const Json& svc) {
  std::string t = Str(Find(svc, {"spec", "type"}));
  return t.empty() ? "ClusterIP" : t;
}

std::string InvalidMessage(const Json& svc, const FieldCause& cause) {
  return "Service \"" + Str(Find(svc, {"metadata", "name"})) +
         "\" is invalid: " + cause.field + ": " + cause.message;
}

std::string PortValueText(const Json& v) {
  return v.IsString() ? Str(&v) : ToJson(v);
}

// loadBalancerStatusStringer: ingress IPs and hostnames, shortened to 16
// characters unless wide.
std::string LoadBalancerAddresses(const Json& svc) {
  std::string out;
  const Json* ingress = Find(svc, {"status", "loadBalancer", "ingress"});
  if (!ingress || !ingress->IsArray()) return out;
  for (const auto& i : ingress->GetArray()) {
    for (const char* k : {"ip", "hostname"}) {
      std::string v = Str(Member(i, k));
      if (v.empty()) continue;
      if (!out.empty()) out += ",";
      out += v;
    }
  }
  return out;
}

std::string JoinStrings(const Json* list) {
  std::string out;
  if (!list || !list->IsArray()) return out;
  for (const auto& v : list->GetArray()) {
    if (!out.empty()) out += ",";
    out += Str(&v);
  }
  return out;
}

std::string ExternalIp(const Json& svc) {
  const std::string type = TypeOf(svc);
  const std::string external = JoinStrings(Find(svc, {"spec", "externalIPs"}));
  if (type == "ClusterIP" || type == "NodePort") {
    return external.empty() ? "<none>" : external;
  }
  if (type == "LoadBalancer") {
    std::string lb = LoadBalancerAddresses(svc);
    if (!external.empty()) return lb.empty() ? external : lb + "," + external;
    return lb.empty() ? "<pending>" : lb;
  }
  if (type == "ExternalName") return Str(Find(svc, {"spec", "externalName"}));
  return "<unknown>";
}

}  // namespace

ServiceKind::ServiceKind(const ServiceNetwork& network, Client* client)
    : network_(network),
      client_(client),
      ips_(std::make_unique<RangeAllocator>(network.FirstIp(), network.LastIp(),
                                            network.StaticBand())),
      ports_(std::make_unique<RangeAllocator>(network.port_first,
                                              network.port_last)) {
  info_.version = "v1";
  info_.kind = "Service";
  info_.plural = "services";
  info_.singular = "service";
  info_.short_names = {"svc"};
  info_.categories = {"all"};
  info_.status_subresource = true;
  info_.schema_name = "io.k8s.api.core.v1.Service";
  schemas_ = SchemaClosureJson({info_.schema_name});
}

void ServiceKind::Default(Json& obj, JsonAlloc& a) const {
  if (!obj.IsObject()) return;
  Json& spec = EnsureObject(obj, "spec", a);
  SetDefaultString(spec, "type", "ClusterIP", a);
  SetDefaultString(spec, "sessionAffinity", "None", a);
  const std::string type = Str(Member(spec, "type"));
  if (Json* ports = Member(spec, "ports"); ports && ports->IsArray()) {
    for (auto& p : ports->GetArray()) {
      if (!p.IsObject()) continue;
      SetDefaultString(p, "protocol", "TCP", a);
      const Json* target = Member(p, "targetPort");
      const bool unset = !target ||
                         (target->IsInt64() && target->GetInt64() == 0) ||
                         (target->IsString() && target->GetStringLength() == 0);
      if (unset) SetMember(p, "targetPort", Json(GetInt(p, {"port"})), a);
    }
  }
  if (UsesNodePorts(type)) {
    SetDefaultString(spec, "externalTrafficPolicy", "Cluster", a);
  }
  if (type == "LoadBalancer") {
    SetDefault(spec, "allocateLoadBalancerNodePorts", Json(true), a);
  }
  if (type != "ExternalName") {
    SetDefaultString(spec, "internalTrafficPolicy", "Cluster", a);
    SetDefaultString(spec, "ipFamilyPolicy", "SingleStack", a);
    if (!Member(spec, "ipFamilies")) {
      Json families(rapidjson::kArrayType);
      families.PushBack(Json("IPv4", a), a);
      SetMember(spec, "ipFamilies", std::move(families), a);
    }
  }
  if (Str(Member(spec, "sessionAffinity")) == "ClientIP") {
    Json& config = EnsureObject(spec, "sessionAffinityConfig", a);
    Json& client_ip = EnsureObject(config, "clientIP", a);
    SetDefault(client_ip, "timeoutSeconds",
               Json(kDefaultClientIpTimeoutSeconds), a);
  }
  Json& status = EnsureObject(obj, "status", a);
  EnsureObject(status, "loadBalancer", a);
}

std::vector<FieldCause> ServiceKind::Validate(const Json& obj,
                                              const Json* old) const {
  // PrepareForCreate may run inside the store's write, where listing would
  // re-enter the store; validation of a create runs before it, outside.
  if (!old) SyncAllocations();
  std::vector<FieldCause> causes;
  const Json empty(rapidjson::kObjectType);
  const Json* spec_p = Member(obj, "spec");
  const Json& spec = spec_p ? *spec_p : empty;
  const std::string type = TypeOf(obj);
  const std::vector<std::string> types = {"ClusterIP", "ExternalName",
                                          "LoadBalancer", "NodePort"};
  bool type_ok = false;
  for (const auto& t : types) type_ok |= t == type;
  if (!type_ok) causes.push_back(field::NotSupported("spec.type", type, types));

  const std::string cluster_ip = Str(Member(spec, "clusterIP"));
  const bool headless = cluster_ip == "None";
  if (!cluster_ip.empty() && !headless && !ParseIpv4(cluster_ip)) {
    causes.push_back(field::Invalid(
        "spec.clusterIPs[0]", cluster_ip,
        "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
  }
  if (type == "ExternalName") {
    if (Str(Member(spec, "externalName")).empty()) {
      causes.push_back(field::Required("spec.externalName"));
    }
  }

  const Json* ports = Member(spec, "ports");
  const size_t nports = ports && ports->IsArray() ? ports->Size() : 0;
  if (nports == 0 && !headless && type != "ExternalName") {
    causes.push_back(field::Required("spec.ports"));
  }
  std::set<std::string> names;
  for (size_t i = 0; i < nports; ++i) {
    const Json& p = (*ports)[i];
    const std::string pp = Index("spec.ports", i);
    const std::string name = Str(Member(p, "name"));
    if (name.empty()) {
      if (nports > 1) causes.push_back(field::Required(pp + ".name"));
    } else if (auto errs = IsDns1123Label(name); !errs.empty()) {
      AddInvalid(causes, pp + ".name", name, errs);
    } else if (!names.insert(name).second) {
      causes.push_back(field::Duplicate(pp + ".name", name));
    }
    const int64_t port = GetInt(p, {"port"});
    for (auto& m : IsValidPortNum(port)) {
      causes.push_back(field::InvalidNumber(pp + ".port", port, m));
    }
    const std::string protocol = Str(Member(p, "protocol"));
    if (protocol != "TCP" && protocol != "UDP" && protocol != "SCTP") {
      causes.push_back(field::NotSupported(pp + ".protocol", protocol,
                                           {"SCTP", "TCP", "UDP"}));
    }
    if (const Json* target = Member(p, "targetPort")) {
      if (target->IsInt64()) {
        for (auto& m : IsValidPortNum(target->GetInt64())) {
          causes.push_back(
              field::InvalidNumber(pp + ".targetPort", target->GetInt64(), m));
        }
      } else if (target->IsString()) {
        AddInvalid(causes, pp + ".targetPort", Str(target),
                   IsValidPortName(Str(target)));
      } else {
        causes.push_back(field::Invalid(pp + ".targetPort",
                                        PortValueText(*target),
                                        "must be an integer or a string"));
      }
    }
    const int64_t node_port = GetInt(p, {"nodePort"});
    if (node_port != 0) {
      if (type == "ClusterIP") {
        causes.push_back(field::Forbidden(
            pp + ".nodePort", "may not be used when `type` is 'ClusterIP'"));
      } else {
        for (auto& m : IsValidPortNum(node_port)) {
          causes.push_back(
              field::InvalidNumber(pp + ".nodePort", node_port, m));
        }
      }
    }
  }
  if (const Json* sa = Member(spec, "sessionAffinity")) {
    const std::string v = Str(sa);
    if (v != "None" && v != "ClientIP") {
      causes.push_back(
          field::NotSupported("spec.sessionAffinity", v, {"ClientIP", "None"}));
    }
  }
  if (const Json* etp = Member(spec, "externalTrafficPolicy")) {
    const std::string v = Str(etp);
    if (v != "Cluster" && v != "Local") {
      causes.push_back(field::NotSupported("spec.externalTrafficPolicy", v,
                                           {"Cluster", "Local"}));
    }
  }
  if (const Json* sel = Member(spec, "selector")) {
    ValidateLabels(*sel, "spec.selector", causes);
  }
  if (old) {
    const std::string old_ip = Str(Find(*old, {"spec", "clusterIP"}));
    if (!cluster_ip.empty() && !old_ip.empty() && cluster_ip != old_ip) {
      causes.push_back(field::Invalid("spec.clusterIPs[0]", cluster_ip,
                                      "may not change once set"));
    }
  }
  return causes;
}

Status ServiceKind::SyncAllocations() const {
  if (!client_) return Status::Ok();
  std::lock_guard<std::mutex> lock(sync_mu_);
  if (synced_) return Status::Ok();
  auto list = client_->List(kServices, "");
  if (!list.ok()) return list.status();
  auto doc = ParseJson(*list);
  if (!doc.ok())
    return Status::Internal("listing services: " + doc.status().message());
  if (const Json* items = Member(*doc, "items"); items && items->IsArray()) {
    for (const auto& svc : items->GetArray()) Mark(svc);
  }
  synced_ = true;
  return Status::Ok();
}

void ServiceKind::Mark(const Json& svc) const {
  if (const Json* ips = Find(svc, {"spec", "clusterIPs"});
      ips && ips->IsArray()) {
    for (const auto& ip : ips->GetArray()) {
      if (auto v = ParseIpv4(Str(&ip))) ips_->Allocate(*v);
    }
  } else if (auto v = ParseIpv4(Str(Find(svc, {"spec", "clusterIP"})))) {
    ips_->Allocate(*v);
  }
  if (const Json* ports = Find(svc, {"spec", "ports"});
      ports && ports->IsArray()) {
    for (const auto& p : ports->GetArray()) {
      const int64_t np = GetInt(p, {"nodePort"});
      if (np > 0 && np <= 65535) ports_->Allocate(static_cast<uint32_t>(np));
    }
  }
}

Status ServiceKind::PrepareForCreate(Json& obj, JsonAlloc& a) const {
  // Normally done by Start or Validate already; a failure here is retried
  // by the next create.
  SyncAllocations();
  Json& spec = EnsureObject(obj, "spec", a);
  const std::string type = TypeOf(obj);
  std::optional<uint32_t> taken_ip;
  std::vector<uint32_t> taken_ports;
  auto rollback = [&] {
    if (taken_ip) ips_->Release(*taken_ip);
    for (uint32_t p : taken_ports) ports_->Release(p);
  };

  if (type != "ExternalName") {
    std::string requested = Str(Member(spec, "clusterIP"));
    if (requested.empty()) {
      if (const Json* ips = Member(spec, "clusterIPs");
          ips && ips->IsArray() && !ips->Empty()) {
        requested = Str(&(*ips)[0]);
      }
    }
    std::string assigned = requested;
    if (requested.empty()) {
      taken_ip = ips_->AllocateNext();
      if (!taken_ip) {
        return Status::Internal(
            "failed to allocate a serviceIP: range is full");
      }
      assigned = FormatIpv4(*taken_ip);
    } else if (requested != "None") {
      auto ip = ParseIpv4(requested);
      const std::string prefix = "Invalid value: [\"" + requested +
                                 "\"]: failed to allocate IP " + requested +
                                 ": ";
      RangeAllocator::Result r =
          ip ? ips_->Allocate(*ip) : RangeAllocator::Result::kOutOfRange;
      if (r != RangeAllocator::Result::kOk) {
        FieldCause cause{
            "FieldValueInvalid", "spec.clusterIPs",
            prefix + (r == RangeAllocator::Result::kTaken
                          ? "provided IP is already allocated"
                          : "the provided IP (" + requested +
                                ") is not in the valid range. The range of "
                                "valid IPs is " +
                                network_.cidr)};
        return Status::Invalid(InvalidMessage(obj, cause), {cause});
      }
      taken_ip = ip;
    }
    SetString(spec, "clusterIP", assigned, a);
    Json ips(rapidjson::kArrayType);
    ips.PushBack(Json(assigned.c_str(), a), a);
    SetMember(spec, "clusterIPs", std::move(ips), a);
  }

  Json* ports = Member(spec, "ports");
  if (UsesNodePorts(type) && ports && ports->IsArray()) {
    for (size_t i = 0; i < ports->Size(); ++i) {
      const int64_t np = GetInt((*ports)[i], {"nodePort"});
      if (np == 0) continue;
      RangeAllocator::Result r =
          np > 0 && np <= 65535 ? ports_->Allocate(static_cast<uint32_t>(np))
                                : RangeAllocator::Result::kOutOfRange;
      if (r != RangeAllocator::Result::kOk) {
        rollback();
        FieldCause cause = field::InvalidNumber(
            Index("spec.ports", i) + ".nodePort", np,
            r == RangeAllocator::Result::kTaken
                ? "provided port is already allocated"
                : "provided port is not in the valid range. The range of "
                  "valid ports is " +
                      network_.port_range);
        return Status::Invalid(InvalidMessage(obj, cause), {cause});
      }
      taken_ports.push_back(static_cast<uint32_t>(np));
    }
    for (auto& p : ports->GetArray()) {
      if (GetInt(p, {"nodePort"}) != 0) continue;
      auto port = ports_->AllocateNext();
      if (!port) {
        rollback();
        return Status::Internal("failed to allocate a nodePort: range is full");
      }
      taken_ports.push_back(*port);
      SetMember(p, "nodePort", Json(static_cast<int64_t>(*port)), a);
    }
  }
  return Status::Ok();
}

void ServiceKind::AfterDelete(const Json& obj) const {
  if (const Json* ips = Find(obj, {"spec", "clusterIPs"});
      ips && ips->IsArray()) {
    for (const auto& ip : ips->GetArray()) {
      if (auto v = ParseIpv4(Str(&ip))) ips_->Release(*v);
    }
  } else if (auto v = ParseIpv4(Str(Find(obj, {"spec", "clusterIP"})))) {
    ips_->Release(*v);
  }
  if (const Json* ports = Find(obj, {"spec", "ports"});
      ports && ports->IsArray()) {
    for (const auto& p : ports->GetArray()) {
      const int64_t np = GetInt(p, {"nodePort"});
      if (np > 0 && np <= 65535) ports_->Release(static_cast<uint32_t>(np));
    }
  }
}

std::vector<PrinterColumn> ServiceKind::Columns() const {
  return {
      NameColumn(),
      StringColumn("Type",
                   "type determines how the Service is exposed. Defaults to "
                   "ClusterIP. Valid options are ExternalName, ClusterIP, "
                   "NodePort, and LoadBalancer."),
      StringColumn("Cluster-IP",
                   "clusterIP is the IP address of the service and is usually "
                   "assigned randomly."),
      StringColumn("External-IP",
                   "externalIPs is a list of IP addresses for which nodes in "
                   "the cluster will also accept traffic for this service."),
      StringColumn("Port(s)",
                   "The list of ports that are exposed by this service."),
      AgeColumn(),
      StringColumn("Selector",
                   "Route service traffic to pods with label keys and values "
                   "matching this selector.",
                   1),
  };
}

void ServiceKind::Cells(const Json& obj,
                        std::chrono::system_clock::time_point now, Json& cells,
                        JsonAlloc& alloc) const {
  std::string cluster_ip = "<none>";
  if (const Json* ips = Find(obj, {"spec", "clusterIPs"});
      ips && ips->IsArray() && !ips->Empty()) {
    cluster_ip = Str(&(*ips)[0]);
  }
  AppendCell(cells, Str(Find(obj, {"metadata", "name"})), alloc);
  AppendCell(cells, Str(Find(obj, {"spec", "type"})), alloc);
  AppendCell(cells, cluster_ip, alloc);
  AppendCell(cells, ExternalIp(obj), alloc);
  AppendCell(cells, ServicePortsString(obj), alloc);
  AppendCell(cells, AgeSince(Find(obj, {"metadata", "creationTimestamp"}), now),
             alloc);
  AppendCell(cells, FormatLabels(Find(obj, {"spec", "selector"})), alloc);
}

std::optional<std::string> ServiceKind::MergeKey(
    const std::string& path) const {
  if (path == "spec.ports") return "port";
  if (path == "status.conditions") return "type";
  return std::nullopt;
}

std::string ServicePortsString(const Json& service) {
  const Json* ports = Find(service, {"spec", "ports"});
  std::string out;
  if (ports && ports->IsArray()) {
    for (const auto& p : ports->GetArray()) {
      if (!out.empty()) out += ",";
      out += std::to_string(GetInt(p, {"port"}));
      const int64_t np = GetInt(p, {"nodePort"});
      if (np > 0) out += ":" + std::to_string(np);
      out += "/" + Str(Member(p, "protocol"));
    }
  }
  return out.empty() ? "<none>" : out;
}

}  // namespace berth::core
