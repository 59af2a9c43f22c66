#include "sim_settings.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <set>

#include "berth/json.h"

namespace berth::sim {
namespace {

// Node addresses come from 172.16.0.0/12, in node order from .0.2.
constexpr uint32_t kNodeNetwork = 0xac100000;
constexpr uint32_t kNodeNetworkSize = 1u << 20;

Status Bad(const std::string& key, const std::string& why) {
  return Status::Invalid("sim: " + key + ": " + why);
}

std::optional<uint32_t> ParseIpv4(const std::string& s) {
  unsigned a, b, c, d;
  char tail;
  if (std::sscanf(s.c_str(), "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) != 4 ||
      a > 255 || b > 255 || c > 255 || d > 255) {
    return std::nullopt;
  }
  return (a << 24) | (b << 16) | (c << 8) | d;
}

// A quantity given as a string or a number, as text.
std::optional<std::string> QuantityText(const Json& v) {
  if (v.IsString()) return std::string(v.GetString());
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  return std::nullopt;
}

Status ParseGroup(const Json& g, size_t i, NodeGroup& out) {
  const std::string at = "nodes[" + std::to_string(i) + "]";
  if (!g.IsObject()) return Bad(at, "must be an object");
  if (const Json* v = Member(g, "count")) {
    if (!v->IsInt() || v->GetInt() < 0) {
      return Bad(at + ".count", "must be an integer >= 0");
    }
    out.count = v->GetInt();
  }
  if (const Json* v = Member(g, "namePrefix")) {
    if (!v->IsString()) return Bad(at + ".namePrefix", "must be a string");
    out.name_prefix = v->GetString();
  }
  if (const Json* v = Member(g, "capacity")) {
    if (!v->IsObject()) return Bad(at + ".capacity", "must be a mapping");
    for (auto it = v->MemberBegin(); it != v->MemberEnd(); ++it) {
      const std::string name = it->name.GetString();
      auto text = QuantityText(it->value);
      if (!text || text->empty()) {
        return Bad(at + ".capacity." + name, "must be a quantity");
      }
      bool replaced = false;
      for (auto& [k, val] : out.capacity) {
        if (k == name) {
          val = *text;
          replaced = true;
        }
      }
      if (!replaced) out.capacity.emplace_back(name, *text);
    }
  }
  if (const Json* v = Member(g, "labels")) {
    if (!v->IsObject()) return Bad(at + ".labels", "must be a mapping");
    for (auto it = v->MemberBegin(); it != v->MemberEnd(); ++it) {
      if (!it->value.IsString()) {
        return Bad(at + ".labels." + it->name.GetString(), "must be a string");
      }
      out.labels.emplace_back(it->name.GetString(), it->value.GetString());
    }
  }
  if (const Json* v = Member(g, "taints")) {
    if (!v->IsArray()) return Bad(at + ".taints", "must be a list");
    out.taints_json = ToJson(*v);
  }
  return Status::Ok();
}

}  // namespace

std::string FormatIpv4(uint32_t ip) {
  return std::to_string(ip >> 24) + "." + std::to_string((ip >> 16) & 255) +
         "." + std::to_string((ip >> 8) & 255) + "." + std::to_string(ip & 255);
}

std::vector<SimNodeSpec> SimSettings::Nodes() const {
  std::vector<SimNodeSpec> out;
  for (const auto& g : groups) {
    for (int i = 0; i < g.count; ++i) {
      SimNodeSpec n;
      n.name = g.name_prefix + std::to_string(i);
      n.index = out.size();
      n.group = &g;
      n.pod_cidr = cluster_network + (static_cast<uint32_t>(n.index) << 8);
      n.node_ip = kNodeNetwork + 2 + static_cast<uint32_t>(n.index);
      out.push_back(std::move(n));
    }
  }
  return out;
}

StatusOr<SimSettings> ParseSimSettings(const std::string& settings_json) {
  SimSettings out;
  auto doc = ParseJson(settings_json.empty() ? "{}" : settings_json);
  if (!doc.ok()) return Bad("settings", doc.status().message());
  if (!doc->IsObject()) return Bad("settings", "must be a mapping");
  if (const Json* v = Member(*doc, "nodes")) {
    if (!v->IsArray()) return Bad("nodes", "must be a list of node groups");
    out.groups.clear();
    for (size_t i = 0; i < v->Size(); ++i) {
      NodeGroup g;
      if (Status s = ParseGroup((*v)[i], i, g); !s.ok()) return s;
      out.groups.push_back(std::move(g));
    }
  }
  auto positive = [&](const char* key, int64_t& field) -> Status {
    const Json* v = Member(*doc, key);
    if (!v) return Status::Ok();
    if (!v->IsInt64() || v->GetInt64() <= 0) {
      return Bad(key, "must be an integer > 0");
    }
    field = v->GetInt64();
    return Status::Ok();
  };
  int64_t heartbeat = out.heartbeat.count();
  int64_t report = out.status_report.count();
  int64_t workers = out.workers;
  if (Status s = positive("heartbeatSeconds", heartbeat); !s.ok()) return s;
  if (Status s = positive("statusReportSeconds", report); !s.ok()) return s;
  if (Status s = positive("workers", workers); !s.ok()) return s;
  if (const Json* v = Member(*doc, "podRunSeconds")) {
    if (!v->IsInt64() || v->GetInt64() < 0) {
      return Bad("podRunSeconds", "must be an integer >= 0");
    }
    out.pod_run_seconds = v->GetInt64();
  }
  out.heartbeat = std::chrono::seconds(heartbeat);
  out.status_report = std::chrono::seconds(report);
  out.workers = static_cast<int>(std::min<int64_t>(workers, 64));
  if (const Json* v = Member(*doc, "clusterCIDR")) {
    if (!v->IsString()) return Bad("clusterCIDR", "must be an IPv4 CIDR");
    out.cluster_cidr = v->GetString();
  }
  const size_t slash = out.cluster_cidr.find('/');
  auto ip = ParseIpv4(out.cluster_cidr.substr(0, slash));
  int prefix = -1;
  if (slash != std::string::npos) {
    prefix = std::atoi(out.cluster_cidr.c_str() + slash + 1);
  }
  if (!ip || prefix < 8 || prefix > 24) {
    return Bad("clusterCIDR", "invalid value \"" + out.cluster_cidr +
                                  "\": must be an IPv4 CIDR from /8 to /24");
  }
  out.cluster_prefix = prefix;
  out.cluster_network = *ip & (~uint32_t(0) << (32 - prefix));

  size_t total = 0;
  std::set<std::string> names;
  for (const auto& g : out.groups) {
    for (int i = 0; i < g.count; ++i) {
      if (!names.insert(g.name_prefix + std::to_string(i)).second) {
        return Bad("nodes", "two nodes are named \"" + g.name_prefix +
                                std::to_string(i) + "\"");
      }
    }
    total += static_cast<size_t>(g.count);
  }
  const size_t slots = size_t(1) << (24 - prefix);
  if (total > slots) {
    return Bad("clusterCIDR", out.cluster_cidr + " holds " +
                                  std::to_string(slots) + " node /24s; " +
                                  std::to_string(total) +
                                  " nodes need a wider range");
  }
  if (total > kNodeNetworkSize - 4) {
    return Bad("nodes",
               "at most " + std::to_string(kNodeNetworkSize - 4) + " nodes");
  }
  return out;
}

}  // namespace berth::sim
