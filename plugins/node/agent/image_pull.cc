#include "image_pull.h"

#include "base64.h"

namespace berth::node {
namespace {

// The registry part of a docker config key: "https://index.docker.io/v1/"
// -> "docker.io", "registry:5000" stays.
std::string NormalizeRegistryKey(std::string key) {
  for (const char* scheme : {"https://", "http://"}) {
    if (key.rfind(scheme, 0) == 0) key = key.substr(std::string(scheme).size());
  }
  key = key.substr(0, key.find('/'));
  if (key == "index.docker.io" || key == "registry-1.docker.io" ||
      key == "registry.hub.docker.com") {
    return "docker.io";
  }
  return key;
}

std::optional<ImageAuth> AuthFromEntry(const Json& entry) {
  ImageAuth auth;
  auth.username = GetString(entry, {"username"});
  auth.password = GetString(entry, {"password"});
  auth.identity_token = GetString(entry, {"identitytoken"});
  const std::string encoded = GetString(entry, {"auth"});
  if (!encoded.empty()) {
    auto decoded = core::Base64Decode(encoded);
    if (!decoded) return std::nullopt;
    const size_t colon = decoded->find(':');
    if (colon == std::string::npos) return std::nullopt;
    auth.username = decoded->substr(0, colon);
    auth.password = decoded->substr(colon + 1);
  }
  if (auth.username.empty() && auth.identity_token.empty()) {
    return std::nullopt;
  }
  return auth;
}

}  // namespace

std::string EffectivePullPolicy(const Json& container) {
  const std::string given = GetString(container, {"imagePullPolicy"});
  if (!given.empty()) return given;
  const std::string image = GetString(container, {"image"});
  if (image.find('@') != std::string::npos) return "IfNotPresent";
  const size_t slash = image.rfind('/');
  const size_t colon = image.rfind(':');
  const bool tagged = colon != std::string::npos &&
                      (slash == std::string::npos || colon > slash);
  if (!tagged || image.substr(colon + 1) == "latest") return "Always";
  return "IfNotPresent";
}

std::string RegistryHost(const std::string& image) {
  const size_t slash = image.find('/');
  if (slash == std::string::npos) return "docker.io";
  const std::string first = image.substr(0, slash);
  // Only a first part with a dot or a port, or "localhost", is a host.
  if (first.find('.') == std::string::npos &&
      first.find(':') == std::string::npos && first != "localhost") {
    return "docker.io";
  }
  return NormalizeRegistryKey(first);
}

std::optional<ImageAuth> PullAuthFor(const std::string& image,
                                     const std::vector<std::string>& secrets) {
  const std::string host = RegistryHost(image);
  for (const auto& text : secrets) {
    auto secret = ParseJson(text);
    if (!secret.ok()) continue;
    const std::string type = GetString(*secret, {"type"});
    std::string key;
    if (type == "kubernetes.io/dockerconfigjson") {
      key = ".dockerconfigjson";
    } else if (type == "kubernetes.io/dockercfg") {
      key = ".dockercfg";
    } else {
      continue;
    }
    auto raw = core::Base64Decode(GetString(*secret, {"data", key}));
    if (!raw) continue;
    auto config = ParseJson(*raw);
    if (!config.ok()) continue;
    const Json* auths =
        key == ".dockercfg" ? &*config : Member(*config, "auths");
    if (!auths || !auths->IsObject()) continue;
    for (const auto& m : auths->GetObject()) {
      if (NormalizeRegistryKey(m.name.GetString()) != host) continue;
      if (auto auth = AuthFromEntry(m.value)) return auth;
    }
  }
  return std::nullopt;
}

}  // namespace berth::node
