#include "policy_settings.h"

#include <unistd.h>

#include <cstdlib>

#include "berth/json.h"

namespace berth::policy {

StatusOr<PolicySettings> ParsePolicySettings(const std::string& settings_json) {
  auto doc = ParseJson(settings_json.empty() ? "{}" : settings_json);
  if (!doc.ok()) return Status::Invalid("settings: " + doc.status().message());
  if (!doc->IsObject()) return Status::Invalid("settings must be a mapping");
  PolicySettings s;
  for (auto it = doc->MemberBegin(); it != doc->MemberEnd(); ++it) {
    const std::string key = it->name.GetString();
    const Json& v = it->value;
    if (key == "backend" || key == "iptables") {
      const bool backend = key == "backend";
      const std::string value = v.IsString() ? v.GetString() : "";
      const bool ok =
          backend
              ? value == "auto" || value == "nftables" || value == "iptables"
              : value == "iptables" || value == "iptables-nft" ||
                    value == "iptables-legacy";
      if (!ok) {
        return Status::Invalid(
            backend ? "setting backend must be auto, nftables or iptables"
                    : "setting iptables must be iptables, iptables-nft or "
                      "iptables-legacy");
      }
      (backend ? s.backend : s.iptables) = value;
    } else if (key == "nodeName") {
      if (!v.IsString()) {
        return Status::Invalid("setting nodeName must be a string");
      }
      s.node_name = v.GetString();
    } else if (key == "minSyncPeriodMillis") {
      if (!v.IsInt64() || v.GetInt64() < 0) {
        return Status::Invalid(
            "setting minSyncPeriodMillis must be a number >= 0");
      }
      s.min_sync_period = std::chrono::milliseconds(v.GetInt64());
    } else if (key == "cleanupOnExit") {
      if (!v.IsBool()) {
        return Status::Invalid("setting cleanupOnExit must be true or false");
      }
      s.cleanup_on_exit = v.GetBool();
    } else {
      return Status::Invalid("unknown setting " + key);
    }
  }
  if (s.node_name.empty()) {
    if (const char* env = std::getenv("BERTH_NODE_NAME"); env && *env) {
      s.node_name = env;
    }
  }
  if (s.node_name.empty()) {
    char host[256] = {};
    if (gethostname(host, sizeof(host) - 1) == 0) s.node_name = host;
  }
  return s;
}

}  // namespace berth::policy
