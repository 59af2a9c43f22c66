#include "proxy_settings.h"

#include <unistd.h>

#include <cstdlib>

#include "berth/json.h"

namespace berth::proxy {

StatusOr<ProxySettings> ParseProxySettings(const std::string& settings_json) {
  auto doc = ParseJson(settings_json.empty() ? "{}" : settings_json);
  if (!doc.ok()) return Status::Invalid("settings: " + doc.status().message());
  if (!doc->IsObject()) return Status::Invalid("settings must be a mapping");
  ProxySettings s;
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
    Status st;
    if (key == "backend") {
      st = text(&s.backend);
      if (st.ok() && s.backend != "auto" && s.backend != "nftables" &&
          s.backend != "iptables") {
        st = Status::Invalid(
            "setting backend must be auto, nftables or iptables");
      }
    } else if (key == "iptables") {
      st = text(&s.iptables);
      if (st.ok() && s.iptables != "iptables" &&
          s.iptables != "iptables-legacy" && s.iptables != "iptables-nft") {
        st = Status::Invalid(
            "setting iptables must be iptables, iptables-nft or "
            "iptables-legacy");
      }
    } else if (key == "clusterCIDR") {
      st = text(&s.rules.cluster_cidr);
    } else if (key == "nodeName") {
      st = text(&s.node_name);
    } else if (key == "minSyncPeriodMillis") {
      if (!v.IsInt64() || v.GetInt64() < 0) {
        st = Status::Invalid(
            "setting minSyncPeriodMillis must be a number >= 0");
      } else {
        s.min_sync_period = std::chrono::milliseconds(v.GetInt64());
      }
    } else if (key == "syncPeriodSeconds") {
      if (!v.IsInt64() || v.GetInt64() < 1) {
        st = Status::Invalid("setting syncPeriodSeconds must be a number >= 1");
      } else {
        s.sync_period = std::chrono::seconds(v.GetInt64());
      }
    } else if (key == "cleanupOnExit") {
      if (!v.IsBool()) {
        st = Status::Invalid("setting cleanupOnExit must be true or false");
      } else {
        s.cleanup_on_exit = v.GetBool();
      }
    } else {
      st = Status::Invalid("unknown setting " + key);
    }
    if (!st.ok()) return st;
  }
  // The name the node agent of this process registers: `berth agent
  // --node-name` ($BERTH_NODE_NAME), else the host name in lower case.
  if (s.node_name.empty()) {
    if (const char* env = std::getenv("BERTH_NODE_NAME"); env && *env) {
      s.node_name = env;
    } else {
      char host[256] = {};
      if (gethostname(host, sizeof(host) - 1) == 0) s.node_name = host;
      for (char& c : s.node_name) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
    }
  }
  return s;
}

}  // namespace berth::proxy
