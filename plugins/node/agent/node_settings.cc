#include "node_settings.h"

#include <unistd.h>

#include <cstdlib>

#include "berth/json.h"

namespace berth::node {
namespace {

Status ReadInt(const Json& s, const char* key, int64_t min, int64_t* out) {
  const Json* v = Member(s, key);
  if (!v) return {};
  if (!v->IsInt64() || v->GetInt64() < min) {
    return Status::Invalid("node settings: " + std::string(key) +
                           " must be an integer >= " + std::to_string(min));
  }
  *out = v->GetInt64();
  return {};
}

Status ReadString(const Json& s, const char* key, std::string* out) {
  const Json* v = Member(s, key);
  if (!v) return {};
  if (!v->IsString() || v->GetStringLength() == 0) {
    return Status::Invalid("node settings: " + std::string(key) +
                           " must be a non-empty string");
  }
  *out = v->GetString();
  return {};
}

std::string HostName() {
  char buf[256] = {};
  if (gethostname(buf, sizeof(buf) - 1) != 0) return "localhost";
  std::string name = buf;
  for (char& c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return name;
}

}  // namespace

StatusOr<NodeSettings> ParseNodeSettings(const std::string& settings_json,
                                         const std::string& data_dir) {
  auto doc = ParseJson(settings_json.empty() ? "{}" : settings_json);
  if (!doc.ok())
    return Status::Invalid("node settings: " + doc.status().message());
  if (!doc->IsObject()) return Status::Invalid("node settings must be a map");
  const Json& s = *doc;
  NodeSettings out;
  out.node_name = HostName();
  out.root_dir = data_dir + "/node";
  for (auto [key, field] :
       {std::pair<const char*, std::string*>{"nodeName", &out.node_name},
        {"runtime", &out.runtime},
        {"network", &out.network},
        {"rootDir", &out.root_dir},
        {"clusterDomain", &out.cluster_domain}}) {
    if (Status st = ReadString(s, key, field); !st.ok()) return st;
  }
  int64_t heartbeat = out.heartbeat.count();
  int64_t report = out.status_report.count();
  int64_t high = out.image_gc_high_percent;
  int64_t low = out.image_gc_low_percent;
  int64_t workers = out.workers;
  int64_t gc_age = out.image_minimum_gc_age.count();
  int64_t gc_period = out.image_gc_period.count();
  int64_t max_files = out.log_max_files;
  for (auto [key, min, field] :
       {std::tuple<const char*, int64_t, int64_t*>{"maxPods", 1, &out.max_pods},
        {"heartbeatSeconds", 1, &heartbeat},
        {"statusReportSeconds", 1, &report},
        {"imageGCHighThresholdPercent", 0, &high},
        {"imageGCLowThresholdPercent", 0, &low},
        {"imageMinimumGCAgeSeconds", 0, &gc_age},
        {"imageGCPeriodSeconds", 1, &gc_period},
        {"workers", 1, &workers},
        {"containerLogMaxBytes", 1024, &out.log_max_bytes},
        {"containerLogMaxFiles", 1, &max_files}}) {
    if (Status st = ReadInt(s, key, min, field); !st.ok()) return st;
  }
  if (high > 100 || low > high) {
    return Status::Invalid(
        "node settings: image GC thresholds need low <= high <= 100");
  }
  out.heartbeat = std::chrono::seconds(heartbeat);
  out.status_report = std::chrono::seconds(report);
  out.image_gc_high_percent = static_cast<int>(high);
  out.image_gc_low_percent = static_cast<int>(low);
  out.workers = static_cast<int>(workers);
  out.image_minimum_gc_age = std::chrono::seconds(gc_age);
  out.image_gc_period = std::chrono::seconds(gc_period);
  out.log_max_files = static_cast<int>(max_files);
  if (const Json* local = Member(s, "serveConnectLocally")) {
    if (!local->IsBool()) {
      return Status::Invalid(
          "node settings: serveConnectLocally must be true or false");
    }
    out.serve_connect_locally = local->GetBool();
  }
  if (const Json* cap = Member(s, "capacity")) {
    if (!cap->IsObject()) {
      return Status::Invalid("node settings: capacity must be a map");
    }
    for (const auto& m : cap->GetObject()) {
      std::string value;
      if (m.value.IsString()) {
        value = m.value.GetString();
      } else if (m.value.IsInt64()) {
        value = std::to_string(m.value.GetInt64());
      } else {
        return Status::Invalid("node settings: capacity." +
                               std::string(m.name.GetString()) +
                               " must be a quantity");
      }
      out.capacity[m.name.GetString()] = value;
    }
  }
  if (const Json* dns = Member(s, "clusterDNS")) {
    if (!dns->IsArray()) {
      return Status::Invalid("node settings: clusterDNS must be a list");
    }
    for (const auto& ip : dns->GetArray()) {
      if (!ip.IsString()) {
        return Status::Invalid("node settings: clusterDNS entries are IPs");
      }
      out.cluster_dns.push_back(ip.GetString());
    }
  }
  return out;
}

}  // namespace berth::node
