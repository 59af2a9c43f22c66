#include "routes_settings.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "berth/json.h"

namespace berth::routes {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace

StatusOr<RoutesSettings> ParseRoutesSettings(const std::string& settings_json) {
  auto doc = ParseJson(settings_json.empty() ? "{}" : settings_json);
  if (!doc.ok()) return Status::Invalid("settings: " + doc.status().message());
  if (!doc->IsObject()) return Status::Invalid("settings must be a mapping");
  RoutesSettings s;
  for (auto it = doc->MemberBegin(); it != doc->MemberEnd(); ++it) {
    const std::string key = it->name.GetString();
    const Json& v = it->value;
    auto text = [&](std::string* out) -> Status {
      if (!v.IsString() || v.GetStringLength() == 0) {
        return Status::Invalid("setting " + key + " must be a string");
      }
      *out = v.GetString();
      return Status::Ok();
    };
    auto number = [&](int* out, int low, int high) -> Status {
      if (!v.IsInt() || v.GetInt() < low || v.GetInt() > high) {
        return Status::Invalid("setting " + key + " must be a number from " +
                               std::to_string(low) + " to " +
                               std::to_string(high));
      }
      *out = v.GetInt();
      return Status::Ok();
    };
    Status st;
    if (key == "mode") {
      std::string mode;
      st = text(&mode);
      if (mode == "auto") {
        s.mode = RouteMode::kAuto;
      } else if (mode == "host-gw") {
        s.mode = RouteMode::kHostGw;
      } else if (mode == "vxlan") {
        s.mode = RouteMode::kVxlan;
      } else if (st.ok()) {
        st = Status::Invalid("setting mode must be auto, host-gw or vxlan");
      }
    } else if (key == "nodeName") {
      st = text(&s.node_name);
      s.node_name = Lower(s.node_name);
    } else if (key == "vxlanDevice") {
      st = text(&s.vxlan_device);
      if (st.ok() && s.vxlan_device.size() > 15) {
        st = Status::Invalid("setting vxlanDevice must be at most 15 bytes");
      }
    } else if (key == "vni") {
      st = number(&s.vni, 1, (1 << 24) - 1);
    } else if (key == "vxlanPort") {
      st = number(&s.vxlan_port, 1, 65535);
    } else if (key == "iptables") {
      st = text(&s.iptables);
      if (st.ok() && s.iptables != "iptables" &&
          s.iptables != "iptables-legacy" && s.iptables != "iptables-nft") {
        st = Status::Invalid(
            "setting iptables must be iptables, iptables-nft or "
            "iptables-legacy");
      }
    } else if (key == "resyncSeconds") {
      int seconds = 0;
      st = number(&seconds, 1, 86400);
      s.resync_period = std::chrono::seconds(seconds);
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
  if (s.node_name.empty()) {
    if (const char* name = std::getenv("BERTH_NODE_NAME"); name && *name) {
      s.node_name = Lower(name);
    } else {
      char host[256] = {};
      if (gethostname(host, sizeof(host) - 1) == 0) s.node_name = Lower(host);
    }
  }
  return s;
}

}  // namespace berth::routes
