#include "endpoint_slice_kind.h"

#include <set>

#include "age.h"
#include "printing.h"
#include "schema_registry.h"
#include "service_network.h"
#include "validation.h"

namespace berth::core {
namespace {

// The apiserver's limits (pkg/apis/discovery/validation).
constexpr size_t kMaxEndpoints = 1000;
constexpr size_t kMaxAddresses = 100;
constexpr size_t kMaxPorts = 20000;
constexpr size_t kMaxShown = 3;

std::string TooMany(size_t have, size_t max) {
  return "Too many: " + std::to_string(have) + ": must have at most " +
         std::to_string(max) + " items";
}

// listWithMoreString of kubectl's printers.
std::string ListWithMore(const std::vector<std::string>& list, size_t count) {
  std::string out;
  for (const auto& s : list) out += (out.empty() ? "" : ",") + s;
  if (count > list.size()) {
    return out + " + " + std::to_string(count - kMaxShown) + " more...";
  }
  return out.empty() ? "<unset>" : out;
}

bool IsIpv6(const std::string& s) {
  // Shape only: hex groups and colons, at most one "::"; enough to refuse
  // what is plainly not an IPv6 address.
  if (s.find(':') == std::string::npos || s.size() > 45) return false;
  for (char c : s) {
    if (!isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') {
      return false;
    }
  }
  return true;
}

void ValidateAddress(const std::string& type, const std::string& address,
                     const std::string& path, std::vector<FieldCause>& causes) {
  if (type == "IPv4") {
    auto ip = ParseIpv4(address);
    if (!ip) {
      causes.push_back(
          field::Invalid(path, address, "must be a valid IPv4 address"));
      return;
    }
    // ValidateNonSpecialIP: no address a proxy could not send traffic to.
    if (*ip == 0) {
      causes.push_back(field::Invalid(
          path, address, "may not be unspecified (" + address + ")"));
    } else if ((*ip >> 24) == 127) {
      causes.push_back(field::Invalid(
          path, address,
          "may not be in the loopback range (127.0.0.0/8, ::1/128)"));
    } else if ((*ip >> 16) == 0xA9FE) {
      causes.push_back(field::Invalid(
          path, address,
          "may not be in the link-local range (169.254.0.0/16, fe80::/10)"));
    } else if ((*ip >> 8) == 0xE00000) {
      causes.push_back(field::Invalid(path, address,
                                      "may not be in the link-local multicast "
                                      "range (224.0.0.0/24, ff02::/10)"));
    }
  } else if (type == "IPv6") {
    if (!IsIpv6(address)) {
      causes.push_back(
          field::Invalid(path, address, "must be a valid IPv6 address"));
    }
  } else if (type == "FQDN") {
    AddInvalid(causes, path, address, IsDns1123Subdomain(address));
    if (address.find('.') == std::string::npos && !address.empty()) {
      causes.push_back(field::Invalid(
          path, address, "should be a domain with at least two segments"));
    }
  }
}

}  // namespace

std::string FormatSlicePorts(const Json& slice) {
  const Json* ports = Member(slice, "ports");
  std::vector<std::string> list;
  size_t count = 0;
  if (ports && ports->IsArray()) {
    for (const auto& p : ports->GetArray()) {
      if (list.size() < kMaxShown) {
        const Json* port = Member(p, "port");
        const Json* name = Member(p, "name");
        list.push_back(port && port->IsInt64()
                           ? std::to_string(port->GetInt64())
                       : name && name->IsString() ? Str(name)
                                                  : "*");
      }
      ++count;
    }
  }
  return ListWithMore(list, count);
}

std::string FormatSliceEndpoints(const Json& slice) {
  const Json* endpoints = Member(slice, "endpoints");
  std::vector<std::string> list;
  size_t count = 0;
  if (endpoints && endpoints->IsArray()) {
    for (const auto& ep : endpoints->GetArray()) {
      const Json* addrs = Member(ep, "addresses");
      if (!addrs || !addrs->IsArray()) continue;
      for (const auto& a : addrs->GetArray()) {
        if (list.size() < kMaxShown) list.push_back(Str(&a));
        ++count;
      }
    }
  }
  return ListWithMore(list, count);
}

EndpointSliceKind::EndpointSliceKind() {
  info_.group = "discovery.k8s.io";
  info_.version = "v1";
  info_.kind = "EndpointSlice";
  info_.plural = "endpointslices";
  info_.singular = "endpointslice";
  info_.schema_name = "io.k8s.api.discovery.v1.EndpointSlice";
  schemas_ = SchemaClosureJson({info_.schema_name});
}

// SetDefaults_EndpointPort: a port's name is "" and its protocol TCP.
void EndpointSliceKind::Default(Json& obj, JsonAlloc& a) const {
  Json* ports = Member(obj, "ports");
  if (!ports || !ports->IsArray()) return;
  for (auto& p : ports->GetArray()) {
    if (!p.IsObject()) continue;
    SetDefaultString(p, "name", "", a);
    SetDefaultString(p, "protocol", "TCP", a);
  }
}

// ValidateEndpointSlice and ValidateEndpointSliceUpdate of the apiserver.
std::vector<FieldCause> EndpointSliceKind::Validate(const Json& obj,
                                                    const Json* old) const {
  std::vector<FieldCause> causes;
  const std::string type = Str(Member(obj, "addressType"));
  if (type.empty()) {
    causes.push_back(field::Required("addressType"));
  } else if (type != "IPv4" && type != "IPv6" && type != "FQDN") {
    causes.push_back(
        field::NotSupported("addressType", type, {"FQDN", "IPv4", "IPv6"}));
  }
  if (old) {
    const std::string was = Str(Member(*old, "addressType"));
    if (was != type) {
      causes.push_back(
          field::Invalid("addressType", type, "field is immutable"));
    }
  }

  if (const Json* eps = Member(obj, "endpoints"); eps && eps->IsArray()) {
    if (eps->Size() > kMaxEndpoints) {
      causes.push_back({"FieldValueTooMany", "endpoints",
                        TooMany(eps->Size(), kMaxEndpoints)});
    } else {
      for (size_t i = 0; i < eps->Size(); ++i) {
        const Json& ep = (*eps)[i];
        const std::string path = Index("endpoints", i);
        const Json* addrs = Member(ep, "addresses");
        const size_t n = addrs && addrs->IsArray() ? addrs->Size() : 0;
        if (n == 0) {
          causes.push_back(field::Required(path + ".addresses",
                                           "must contain at least 1 address"));
        } else if (n > kMaxAddresses) {
          causes.push_back({"FieldValueTooMany", path + ".addresses",
                            TooMany(n, kMaxAddresses)});
        }
        for (size_t j = 0; j < n; ++j) {
          ValidateAddress(type, Str(&(*addrs)[j]),
                          Index(path + ".addresses", j), causes);
        }
        if (const Json* node = Member(ep, "nodeName"); node) {
          AddInvalid(causes, path + ".nodeName", Str(node),
                     IsDns1123Subdomain(Str(node)));
        }
        if (const Json* host = Member(ep, "hostname"); host) {
          AddInvalid(causes, path + ".hostname", Str(host),
                     IsDns1123Label(Str(host)));
        }
        if (const Json* topo = Member(ep, "deprecatedTopology");
            topo && topo->IsObject()) {
          ValidateLabels(*topo, path + ".deprecatedTopology", causes);
        }
      }
    }
  }

  if (const Json* ports = Member(obj, "ports"); ports && ports->IsArray()) {
    if (ports->Size() > kMaxPorts) {
      causes.push_back(
          {"FieldValueTooMany", "ports", TooMany(ports->Size(), kMaxPorts)});
      return causes;
    }
    std::set<std::string> names;
    for (size_t i = 0; i < ports->Size(); ++i) {
      const Json& p = (*ports)[i];
      const std::string path = Index("ports", i);
      const std::string name = Str(Member(p, "name"));
      if (!name.empty()) {
        AddInvalid(causes, path + ".name", name, IsDns1123Label(name));
      }
      if (!names.insert(name).second) {
        causes.push_back(field::Duplicate(path + ".name", name));
      }
      const Json* protocol = Member(p, "protocol");
      if (!protocol || !protocol->IsString()) {
        causes.push_back(field::Required(path + ".protocol"));
      } else if (const std::string proto = Str(protocol);
                 proto != "TCP" && proto != "UDP" && proto != "SCTP") {
        causes.push_back(field::NotSupported(path + ".protocol", proto,
                                             {"SCTP", "TCP", "UDP"}));
      }
      if (const Json* app = Member(p, "appProtocol"); app) {
        AddInvalid(causes, path + ".appProtocol", Str(app),
                   IsQualifiedName(Str(app)));
      }
      if (const Json* port = Member(p, "port"); port && port->IsInt64()) {
        for (auto& m : IsValidPortNum(port->GetInt64())) {
          causes.push_back(
              field::InvalidNumber(path + ".port", port->GetInt64(), m));
        }
      }
    }
  }
  return causes;
}

std::vector<PrinterColumn> EndpointSliceKind::Columns() const {
  return {NameColumn(),
          StringColumn("AddressType",
                       "addressType specifies the type of address carried by "
                       "this EndpointSlice. All addresses in this slice must "
                       "be the same type."),
          StringColumn("Ports",
                       "ports specifies the list of network ports exposed by "
                       "each endpoint in this slice."),
          StringColumn("Endpoints",
                       "endpoints is a list of unique endpoints in this "
                       "slice."),
          AgeColumn()};
}

void EndpointSliceKind::Cells(const Json& obj,
                              std::chrono::system_clock::time_point now,
                              Json& cells, JsonAlloc& alloc) const {
  AppendCell(cells, Str(Find(obj, {"metadata", "name"})), alloc);
  AppendCell(cells, Str(Member(obj, "addressType")), alloc);
  AppendCell(cells, FormatSlicePorts(obj), alloc);
  AppendCell(cells, FormatSliceEndpoints(obj), alloc);
  AppendCell(cells, AgeSince(Find(obj, {"metadata", "creationTimestamp"}), now),
             alloc);
}

}  // namespace berth::core
