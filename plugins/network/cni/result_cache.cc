#include "result_cache.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base64.h"
#include "berth/json.h"

namespace berth::cni {
namespace {

Json Str(const std::string& s, JsonAlloc& a) {
  return Json(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
}

}  // namespace

ResultCache::ResultCache(std::string cache_dir)
    : dir_(std::move(cache_dir) + "/results") {}

std::string ResultCache::PathFor(const std::string& network,
                                 const std::string& id,
                                 const std::string& ifname) const {
  return dir_ + "/" + network + "-" + id + "-" + ifname;
}

Status ResultCache::Write(const CachedAttachment& e) const {
  JsonDoc doc;
  doc.SetObject();
  JsonAlloc& a = doc.GetAllocator();
  doc.AddMember("kind", "cniCacheV1", a);
  doc.AddMember("containerId", Str(e.container_id, a), a);
  // libcni keeps the config as []byte, which Go's JSON writes as base64.
  doc.AddMember("config", Str(core::Base64Encode(e.config_json), a), a);
  doc.AddMember("ifName", Str(e.ifname, a), a);
  doc.AddMember("networkName", Str(e.network_name, a), a);
  Json args(rapidjson::kArrayType);
  for (const auto& [k, v] : e.cni_args) {
    Json pair(rapidjson::kArrayType);
    pair.PushBack(Str(k, a), a);
    pair.PushBack(Str(v, a), a);
    args.PushBack(pair, a);
  }
  doc.AddMember("cniArgs", args, a);
  auto caps = ParseJson(e.capability_args_json);
  auto result = ParseJson(e.result_json);
  if (!caps.ok() || !result.ok()) {
    return Status::Internal("cni cache: the result to cache is not JSON");
  }
  doc.AddMember("capabilityArgs", Json(*caps, a), a);
  doc.AddMember("result", Json(*result, a), a);

  const std::string path = PathFor(e.network_name, e.container_id, e.ifname);
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return Status::Internal("cni cache: " + dir_ + ": " + ec.message());
  const std::string tmp = path + ".tmp";
  const std::string text = ToJson(doc);
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status::Internal("cni cache: " + tmp + ": " + std::strerror(errno));
  }
  bool ok = write(fd, text.data(), text.size()) == ssize_t(text.size());
  ok = fsync(fd) == 0 && ok;
  ok = close(fd) == 0 && ok;
  if (!ok || rename(tmp.c_str(), path.c_str()) != 0) {
    unlink(tmp.c_str());
    return Status::Internal("cni cache: cannot write " + path);
  }
  return Status::Ok();
}

StatusOr<CachedAttachment> ResultCache::Read(const std::string& network,
                                             const std::string& id,
                                             const std::string& ifname) const {
  const std::string path = PathFor(network, id, ifname);
  std::ifstream in(path);
  if (!in) {
    if (errno == ENOENT) {
      return Status::NotFound("no cached CNI result " + path);
    }
    return Status::Internal("cni cache: cannot read " + path);
  }
  std::stringstream text;
  text << in.rdbuf();
  auto doc = ParseJson(text.str());
  const Json* result = doc.ok() ? Member(*doc, "result") : nullptr;
  auto config = doc.ok() ? core::Base64Decode(GetString(*doc, {"config"}))
                         : std::optional<std::string>();
  if (!result || !result->IsObject() || !config) {
    return Status::Internal("cni cache: " + path + " is not a cached result");
  }
  CachedAttachment e;
  e.network_name = network;
  e.container_id = id;
  e.ifname = ifname;
  e.config_json = *config;
  e.result_json = ToJson(*result);
  if (const Json* caps = Member(*doc, "capabilityArgs"); caps) {
    e.capability_args_json = ToJson(*caps);
  }
  if (const Json* args = Member(*doc, "cniArgs"); args && args->IsArray()) {
    for (const auto& pair : args->GetArray()) {
      if (pair.IsArray() && pair.Size() == 2 && pair[0].IsString() &&
          pair[1].IsString()) {
        e.cni_args.emplace_back(pair[0].GetString(), pair[1].GetString());
      }
    }
  }
  return e;
}

std::vector<std::string> ResultCache::NetworksOf(
    const std::string& id, const std::string& ifname) const {
  const std::string suffix = "-" + id + "-" + ifname;
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() > suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      out.push_back(name.substr(0, name.size() - suffix.size()));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

Status ResultCache::Remove(const std::string& network, const std::string& id,
                           const std::string& ifname) const {
  const std::string path = PathFor(network, id, ifname);
  if (unlink(path.c_str()) != 0 && errno != ENOENT) {
    return Status::Internal("cni cache: cannot remove " + path + ": " +
                            std::strerror(errno));
  }
  return Status::Ok();
}

}  // namespace berth::cni
