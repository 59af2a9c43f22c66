#include "env/service_env.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace berth::node {
namespace {

const ResourceRef kServices{"", "v1", "services"};

std::string VarName(std::string s) {
  for (char& c : s) {
    c = c == '-' ? '_' : static_cast<char>(std::toupper(c));
  }
  return s;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(c));
  return s;
}

std::string JoinHostPort(const std::string& host, const std::string& port) {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + port;
  return host + ":" + port;
}

}  // namespace

EnvList ServiceEnvFor(const Json& service) {
  EnvList out;
  const std::string ip = GetString(service, {"spec", "clusterIP"});
  const Json* ports = Find(service, {"spec", "ports"});
  if (ip.empty() || ip == "None" || !ports || !ports->IsArray() ||
      ports->Empty()) {
    return out;
  }
  const std::string prefix = VarName(GetString(service, {"metadata", "name"}));
  out.emplace_back(prefix + "_SERVICE_HOST", ip);
  const std::string first = std::to_string(GetInt((*ports)[0], {"port"}));
  out.emplace_back(prefix + "_SERVICE_PORT", first);
  for (const auto& p : ports->GetArray()) {
    const std::string name = GetString(p, {"name"});
    if (!name.empty()) {
      out.emplace_back(prefix + "_SERVICE_PORT_" + VarName(name),
                       std::to_string(GetInt(p, {"port"})));
    }
  }
  bool first_port = true;
  for (const auto& p : ports->GetArray()) {
    const std::string port = std::to_string(GetInt(p, {"port"}));
    std::string protocol = GetString(p, {"protocol"}, "TCP");
    for (char& c : protocol) c = static_cast<char>(std::toupper(c));
    const std::string url = Lower(protocol) + "://" + JoinHostPort(ip, port);
    if (first_port) {
      // Docker special-cases the first port.
      out.emplace_back(prefix + "_PORT", url);
      first_port = false;
    }
    const std::string port_prefix = prefix + "_PORT_" + port + "_" + protocol;
    out.emplace_back(port_prefix, url);
    out.emplace_back(port_prefix + "_PROTO", Lower(protocol));
    out.emplace_back(port_prefix + "_PORT", port);
    out.emplace_back(port_prefix + "_ADDR", ip);
  }
  return out;
}

StatusOr<EnvList> ServiceEnv(const Json& pod, Client& client) {
  const std::string ns = GetString(pod, {"metadata", "namespace"}, "default");
  const Json* links = Find(pod, {"spec", "enableServiceLinks"});
  const bool service_links = !links || !links->IsBool() || links->GetBool();
  std::map<std::string, JsonDoc> services;  // by name
  auto fail = [](const Status& s) {
    return Status(s.code(),
                  "failed to list services when setting up env "
                  "vars: " +
                      s.message());
  };
  // The master service first, so a namesake in the pod's namespace wins.
  auto master = client.Get(kServices, "default", "kubernetes");
  if (master.ok()) {
    auto doc = ParseJson(*master);
    if (doc.ok()) services["kubernetes"] = std::move(doc).value();
  } else if (!master.status().IsNotFound()) {
    return fail(master.status());
  }
  if (service_links) {
    auto list = client.List(kServices, ns);
    if (!list.ok()) {
      if (!list.status().IsNotFound()) return fail(list.status());
    } else {
      auto doc = ParseJson(*list);
      if (!doc.ok()) return fail(doc.status());
      if (const Json* items = Member(*doc, "items");
          items && items->IsArray()) {
        for (const auto& item : items->GetArray()) {
          JsonDoc copy;
          copy.CopyFrom(item, copy.GetAllocator());
          services[GetString(item, {"metadata", "name"})] = std::move(copy);
        }
      }
    }
  }
  EnvList out;
  for (const auto& [name, service] : services) {
    for (auto& var : ServiceEnvFor(service)) out.push_back(std::move(var));
  }
  return out;
}

}  // namespace berth::node
