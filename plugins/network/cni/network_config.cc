#include "network_config.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "berth/json.h"

namespace berth::cni {
namespace {

std::string JsonString(const std::string& s) {
  Json v(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  return ToJson(v);
}

// Replaces a placeholder subnet in one IPAM range object; true when found.
bool SubstituteRange(Json& range, const std::string& cidr, JsonAlloc& a) {
  Json* subnet = Member(range, "subnet");
  if (!subnet || !subnet->IsString() ||
      std::string_view(subnet->GetString()) != kPodCidrPlaceholder) {
    return false;
  }
  subnet->SetString(cidr.data(), static_cast<rapidjson::SizeType>(cidr.size()),
                    a);
  return true;
}

}  // namespace

StatusOr<NetworkConfig> ParseNetworkConfig(std::string_view text,
                                           const std::string& source) {
  auto doc = ParseJson(text);
  if (!doc.ok()) return Status::Invalid(source + ": " + doc.status().message());
  if (!doc->IsObject()) {
    return Status::Invalid(source + ": a network config must be an object");
  }
  if (!Member(*doc, "plugins")) {
    // A single plugin's config: the list of one libcni makes of it.
    if (!Member(*doc, "type")) {
      return Status::Invalid(source + ": neither \"plugins\" nor \"type\"");
    }
    JsonDoc list;
    list.SetObject();
    JsonAlloc& la = list.GetAllocator();
    if (const Json* v = Member(*doc, "cniVersion")) {
      list.AddMember("cniVersion", Json(*v, la), la);
    }
    if (const Json* n = Member(*doc, "name")) {
      list.AddMember("name", Json(*n, la), la);
    }
    Json plugins(rapidjson::kArrayType);
    plugins.PushBack(Json(*doc, la), la);
    list.AddMember("plugins", plugins, la);
    return ParseNetworkConfig(ToJson(list), source);
  }
  NetworkConfig out;
  out.name = GetString(*doc, {"name"});
  if (out.name.empty()) return Status::Invalid(source + ": no \"name\"");
  const Json* version = Member(*doc, "cniVersion");
  if (version && !version->IsString()) {
    return Status::Invalid(source + ": \"cniVersion\" must be a string");
  }
  out.cni_version = GetString(*doc, {"cniVersion"});
  if (const Json* d = Member(*doc, "disableCheck")) {
    out.disable_check = d->IsBool() && d->GetBool();
  }
  Json* plugins = Member(*doc, "plugins");
  if (!plugins->IsArray() || plugins->Empty()) {
    return Status::Invalid(source + ": \"plugins\" must be a non-empty list");
  }
  for (auto& plugin : plugins->GetArray()) {
    const std::string type = GetString(plugin, {"type"});
    if (!plugin.IsObject() || type.empty() ||
        type.find('/') != std::string::npos || type == "." || type == "..") {
      return Status::Invalid(source + ": network \"" + out.name +
                             "\" has a plugin without a valid \"type\"");
    }
    out.plugin_types.push_back(type);
  }
  out.json = ToJson(*doc);
  return out;
}

StatusOr<NetworkConfig> LoadNetworkConfigDir(const std::string& dir) {
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string ext = entry.path().extension().string();
    if ((ext == ".conflist" || ext == ".conf" || ext == ".json") &&
        entry.is_regular_file(ec)) {
      files.push_back(entry.path());
    }
  }
  if (files.empty()) {
    return Status::NotFound(
        "no network config (*.conflist, *.conf, *.json) in " + dir);
  }
  std::sort(files.begin(), files.end());
  std::ifstream in(files.front());
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return Status::Internal("cannot read " + files.front().string());
  return ParseNetworkConfig(text.str(), files.front().string());
}

std::string DefaultNetworkConfig(const std::string& ipam_data_dir) {
  return std::string(
             R"({"cniVersion":"1.0.0","name":"berth","plugins":[)"
             R"({"type":"bridge","bridge":"cni0","isGateway":true,)"
             R"("ipMasq":true,"hairpinMode":true,"ipam":{"type":"host-local",)"
             R"("ranges":[[{"subnet":")") +
         kPodCidrPlaceholder +
         R"("}]],"routes":[{"dst":"0.0.0.0/0"}],"dataDir":)" +
         JsonString(ipam_data_dir) +
         R"(}},{"type":"portmap","capabilities":{"portMappings":true}}]})";
}

std::string LoopbackNetworkConfig() {
  return R"({"cniVersion":"1.0.0","name":"cni-loopback",)"
         R"("plugins":[{"type":"loopback"}]})";
}

StatusOr<NetworkConfig> SubstitutePodCidr(const NetworkConfig& config,
                                          const std::string& pod_cidr) {
  auto doc = ParseJson(config.json);
  if (!doc.ok()) return Status::Internal("network config: bad JSON");
  JsonAlloc& a = doc->GetAllocator();
  bool found = false;
  for (auto& plugin : (*Member(*doc, "plugins")).GetArray()) {
    Json* ipam = Member(plugin, "ipam");
    if (!ipam || !ipam->IsObject()) continue;
    found |= SubstituteRange(*ipam, pod_cidr, a);
    Json* ranges = Member(*ipam, "ranges");
    if (!ranges || !ranges->IsArray()) continue;
    for (auto& set : ranges->GetArray()) {
      if (!set.IsArray()) continue;
      for (auto& range : set.GetArray()) {
        found |= SubstituteRange(range, pod_cidr, a);
      }
    }
  }
  if (!found) return config;
  if (pod_cidr.empty()) {
    return Status::Unavailable("network \"" + config.name +
                               "\" takes addresses from the node's pod CIDR, "
                               "which is not known yet");
  }
  NetworkConfig out = config;
  out.json = ToJson(*doc);
  return out;
}

StatusOr<std::string> PluginStdin(const NetworkConfig& config, size_t index,
                                  const std::string& prev_result_json,
                                  const std::string& capability_args_json) {
  auto list = ParseJson(config.json);
  if (!list.ok()) return Status::Internal("network config: bad JSON");
  const Json* plugins = Member(*list, "plugins");
  if (!plugins || !plugins->IsArray() || index >= plugins->Size()) {
    return Status::Internal("network config: no plugin " +
                            std::to_string(index));
  }
  JsonDoc out;
  JsonAlloc& a = out.GetAllocator();
  out.CopyFrom((*plugins)[static_cast<rapidjson::SizeType>(index)], a);
  SetString(out, "name", config.name, a);
  SetString(out, "cniVersion", config.cni_version, a);
  if (!prev_result_json.empty()) {
    auto prev = ParseJson(prev_result_json);
    if (!prev.ok()) return Status::Internal("prevResult: bad JSON");
    SetMember(out, "prevResult", Json(*prev, a), a);
  }
  if (const Json* caps = Member(out, "capabilities");
      caps && caps->IsObject() && !capability_args_json.empty()) {
    auto args = ParseJson(capability_args_json);
    if (!args.ok()) return Status::Internal("capability args: bad JSON");
    Json runtime(rapidjson::kObjectType);
    for (auto it = caps->MemberBegin(); it != caps->MemberEnd(); ++it) {
      if (!it->value.IsBool() || !it->value.GetBool()) continue;
      const Json* arg = Member(*args, it->name.GetString());
      if (!arg) continue;
      runtime.AddMember(Json(it->name, a), Json(*arg, a), a);
    }
    if (!runtime.ObjectEmpty())
      SetMember(out, "runtimeConfig", std::move(runtime), a);
  }
  return ToJson(out);
}

int CompareCniVersions(std::string_view a, std::string_view b) {
  if (a.empty()) a = "0.1.0";
  if (b.empty()) b = "0.1.0";
  while (!a.empty() || !b.empty()) {
    auto take = [](std::string_view& s) {
      long n = 0;
      size_t i = 0;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9')
        n = n * 10 + (s[i++] - '0');
      s.remove_prefix(std::min(s.size(), i + 1));
      return n;
    };
    long x = take(a), y = take(b);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

}  // namespace berth::cni
