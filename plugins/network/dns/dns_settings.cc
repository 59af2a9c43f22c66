#include "dns_settings.h"

#include <unistd.h>

#include <cstdlib>
#include <sstream>

#include "berth/json.h"
#include "dns_message.h"

namespace berth::dns {

StatusOr<DnsSettings> ParseDnsSettings(const std::string& settings_json) {
  auto doc = ParseJson(settings_json.empty() ? "{}" : settings_json);
  if (!doc.ok()) return Status::Invalid("settings: " + doc.status().message());
  if (!doc->IsObject()) return Status::Invalid("settings must be a mapping");
  DnsSettings s;
  for (auto it = doc->MemberBegin(); it != doc->MemberEnd(); ++it) {
    const std::string key = it->name.GetString();
    const Json& v = it->value;
    auto text = [&](std::string* out) -> Status {
      if (!v.IsString()) {
        return Status::Invalid("setting " + key + " must be a string");
      }
      *out = v.GetString();
      return Status::Ok();
    };
    auto number = [&](int64_t lo, int64_t hi, int64_t* out) -> Status {
      if (!v.IsInt64() || v.GetInt64() < lo || v.GetInt64() > hi) {
        return Status::Invalid("setting " + key + " must be a number from " +
                               std::to_string(lo) + " to " +
                               std::to_string(hi));
      }
      *out = v.GetInt64();
      return Status::Ok();
    };
    Status st;
    int64_t n = 0;
    if (key == "zone") {
      st = text(&s.zone);
      if (st.ok()) {
        s.zone = LowerName(s.zone);
        if (s.zone.empty() || EncodeName(s.zone).empty()) {
          st = Status::Invalid("setting zone must be a domain name");
        }
      }
    } else if (key == "ttl") {
      st = number(0, 86400, &n);
      s.ttl = static_cast<uint32_t>(n);
    } else if (key == "bindAddress") {
      st = text(&s.bind_address);
    } else if (key == "port") {
      st = number(0, 65535, &n);
      s.port = static_cast<int>(n);
    } else if (key == "serviceIP") {
      st = text(&s.service_ip);
    } else if (key == "advertiseAddress") {
      st = text(&s.advertise_address);
    } else if (key == "nodeName") {
      st = text(&s.node_name);
    } else if (key == "resolvConf") {
      st = text(&s.resolv_conf);
    } else if (key == "upstreamTimeoutMillis") {
      st = number(1, 60000, &n);
      s.upstream_timeout_ms = static_cast<int>(n);
    } else if (key == "cacheSeconds") {
      st = number(0, 3600, &n);
      s.cache_seconds = static_cast<uint32_t>(n);
    } else if (key == "upstreams") {
      if (!v.IsArray()) {
        st = Status::Invalid("setting upstreams must be a list of addresses");
      } else {
        for (const auto& u : v.GetArray()) {
          if (!u.IsString()) {
            st = Status::Invalid("setting upstreams must be a list of strings");
            break;
          }
          s.upstreams.emplace_back(u.GetString());
        }
      }
    } else {
      st = Status::Invalid("unknown setting " + key);
    }
    if (!st.ok()) return st;
  }
  if (s.node_name.empty()) {
    if (const char* env = std::getenv("BERTH_NODE_NAME"); env && *env) {
      s.node_name = env;
    } else {
      char host[256] = {};
      if (gethostname(host, sizeof(host) - 1) == 0) s.node_name = host;
    }
  }
  return s;
}

std::vector<std::string> ResolvConfNameservers(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string key, value;
    if (words >> key >> value && key == "nameserver") out.push_back(value);
  }
  return out;
}

}  // namespace berth::dns
