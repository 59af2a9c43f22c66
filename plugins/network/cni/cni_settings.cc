#include "cni_settings.h"

#include "berth/json.h"
#include "network_config.h"

namespace berth::cni {
namespace {

Status ReadString(const Json& value, const std::string& key, std::string& out) {
  if (!value.IsString()) {
    return Status::Invalid("setting " + key + " must be a string");
  }
  out.assign(value.GetString(), value.GetStringLength());
  return Status::Ok();
}

}  // namespace

StatusOr<CniSettings> ParseCniSettings(const std::string& settings_json,
                                       const std::string& data_dir) {
  CniSettings out;
  auto doc = ParseJson(settings_json.empty() ? "{}" : settings_json);
  if (!doc.ok()) return Status::Invalid("settings: " + doc.status().message());
  if (!doc->IsObject()) return Status::Invalid("settings must be a mapping");
  for (auto it = doc->MemberBegin(); it != doc->MemberEnd(); ++it) {
    const std::string key = it->name.GetString();
    const Json& value = it->value;
    Status s;
    if (key == "networks") {
      if (value.IsObject()) {
        out.networks_json = ToJson(value);
      } else {
        s = ReadString(value, key, out.networks_json);
      }
    } else if (key == "confDir") {
      s = ReadString(value, key, out.conf_dir);
    } else if (key == "cacheDir") {
      s = ReadString(value, key, out.cache_dir);
      if (s.ok() && out.cache_dir.empty()) {
        s = Status::Invalid("setting cacheDir must not be empty");
      }
    } else if (key == "netnsOfNode") {
      s = ReadString(value, key, out.netns_of_node);
    } else if (key == "binDirs") {
      if (!value.IsArray() || value.Empty()) {
        return Status::Invalid("setting binDirs must be a non-empty list");
      }
      out.bin_dirs.clear();
      for (const auto& dir : value.GetArray()) {
        std::string d;
        if (Status e = ReadString(dir, "binDirs[]", d); !e.ok()) return e;
        out.bin_dirs.push_back(d);
      }
    } else if (key == "loopback") {
      if (!value.IsBool()) {
        return Status::Invalid("setting loopback must be true or false");
      }
      out.loopback = value.GetBool();
    } else if (key == "pluginTimeoutSeconds") {
      if (!value.IsInt64() || value.GetInt64() <= 0) {
        return Status::Invalid(
            "setting pluginTimeoutSeconds must be a positive integer");
      }
      out.plugin_timeout = std::chrono::seconds(value.GetInt64());
    } else {
      return Status::Invalid("unknown setting " + key);
    }
    if (!s.ok()) return s;
  }
  if (out.cache_dir.empty()) out.cache_dir = data_dir + "/cni";
  if (!out.networks_json.empty() && !out.conf_dir.empty()) {
    return Status::Invalid("settings networks and confDir exclude each other");
  }
  if (!out.networks_json.empty()) {
    auto parsed = ParseNetworkConfig(out.networks_json, "setting networks");
    if (!parsed.ok()) return Status::Invalid(parsed.status().message());
  }
  return out;
}

}  // namespace berth::cni
