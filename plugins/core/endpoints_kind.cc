#include "endpoints_kind.h"

#include "age.h"
#include "printing.h"
#include "schema_registry.h"
#include "service_network.h"
#include "validation.h"

namespace berth::core {
namespace {

constexpr int kMaxShown = 3;

std::string HostPort(const std::string& ip, int64_t port) {
  // IPv6 addresses are bracketed as net.JoinHostPort does.
  if (ip.find(':') != std::string::npos) {
    return "[" + ip + "]:" + std::to_string(port);
  }
  return ip + ":" + std::to_string(port);
}

}  // namespace

std::string FormatEndpoints(const Json& endpoints) {
  const Json* subsets = Member(endpoints, "subsets");
  if (!subsets || !subsets->IsArray() || subsets->Empty()) return "<none>";
  std::vector<std::string> list;
  bool more = false;
  int64_t count = 0;
  for (const auto& ss : subsets->GetArray()) {
    const Json* addrs = Member(ss, "addresses");
    const Json* ports = Member(ss, "ports");
    const size_t naddrs = addrs && addrs->IsArray() ? addrs->Size() : 0;
    if (!ports || !ports->IsArray() || ports->Empty()) {
      count += naddrs;
      for (size_t i = 0; i < naddrs; ++i) {
        if (list.size() == kMaxShown) {
          more = true;
          break;
        }
        list.push_back(Str(Member((*addrs)[i], "ip")));
      }
      continue;
    }
    for (const auto& port : ports->GetArray()) {
      count += naddrs;
      for (size_t i = 0; i < naddrs; ++i) {
        if (list.size() == kMaxShown) {
          more = true;
          break;
        }
        list.push_back(
            HostPort(Str(Member((*addrs)[i], "ip")), GetInt(port, {"port"})));
      }
    }
  }
  std::string out;
  for (const auto& s : list) out += (out.empty() ? "" : ",") + s;
  if (more) return out + " + " + std::to_string(count - kMaxShown) + " more...";
  return out.empty() ? "<none>" : out;
}

EndpointsKind::EndpointsKind() {
  info_.version = "v1";
  info_.kind = "Endpoints";
  info_.plural = "endpoints";
  info_.singular = "endpoints";
  info_.short_names = {"ep"};
  info_.schema_name = "io.k8s.api.core.v1.Endpoints";
  schemas_ = SchemaClosureJson({info_.schema_name});
}

void EndpointsKind::Default(Json& obj, JsonAlloc& a) const {
  Json* subsets = Member(obj, "subsets");
  if (!subsets || !subsets->IsArray()) return;
  for (auto& ss : subsets->GetArray()) {
    Json* ports = Member(ss, "ports");
    if (!ports || !ports->IsArray()) continue;
    for (auto& p : ports->GetArray()) {
      if (p.IsObject()) SetDefaultString(p, "protocol", "TCP", a);
    }
  }
}

std::vector<FieldCause> EndpointsKind::Validate(const Json& obj,
                                                const Json* old) const {
  std::vector<FieldCause> causes;
  const Json* subsets = Member(obj, "subsets");
  if (!subsets || !subsets->IsArray()) return causes;
  for (size_t s = 0; s < subsets->Size(); ++s) {
    const Json& ss = (*subsets)[s];
    const std::string sp = Index("subsets", s);
    for (const char* list : {"addresses", "notReadyAddresses"}) {
      const Json* addrs = Member(ss, list);
      if (!addrs || !addrs->IsArray()) continue;
      for (size_t i = 0; i < addrs->Size(); ++i) {
        const std::string ip = Str(Member((*addrs)[i], "ip"));
        const std::string path = Index(sp + "." + list, i) + ".ip";
        if (ip.empty()) {
          causes.push_back(field::Required(path));
        } else if (!ParseIpv4(ip) && ip.find(':') == std::string::npos) {
          causes.push_back(
              field::Invalid(path, ip, "must be a valid IP address"));
        }
      }
    }
    if (const Json* ports = Member(ss, "ports"); ports && ports->IsArray()) {
      for (size_t i = 0; i < ports->Size(); ++i) {
        const std::string pp = Index(sp + ".ports", i);
        const int64_t port = GetInt((*ports)[i], {"port"});
        for (auto& m : IsValidPortNum(port)) {
          causes.push_back(field::InvalidNumber(pp + ".port", port, m));
        }
        const std::string protocol = Str(Member((*ports)[i], "protocol"));
        if (protocol != "TCP" && protocol != "UDP" && protocol != "SCTP") {
          causes.push_back(field::NotSupported(pp + ".protocol", protocol,
                                               {"SCTP", "TCP", "UDP"}));
        }
      }
    }
  }
  return causes;
}

std::vector<PrinterColumn> EndpointsKind::Columns() const {
  return {NameColumn(),
          StringColumn("Endpoints",
                       "Endpoints of the service; up to three are shown."),
          AgeColumn()};
}

void EndpointsKind::Cells(const Json& obj,
                          std::chrono::system_clock::time_point now,
                          Json& cells, JsonAlloc& alloc) const {
  AppendCell(cells, Str(Find(obj, {"metadata", "name"})), alloc);
  AppendCell(cells, FormatEndpoints(obj), alloc);
  AppendCell(cells, AgeSince(Find(obj, {"metadata", "creationTimestamp"}), now),
             alloc);
}

}  // namespace berth::core
