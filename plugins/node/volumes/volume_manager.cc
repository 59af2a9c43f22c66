#include "volumes/volume_manager.h"

#include <errno.h>
#include <spdlog/spdlog.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <optional>
#include <set>
#include <sstream>

#include "base64.h"
#include "env/field_ref.h"
#include "quantity.h"
#include "volumes/atomic_writer.h"
#include "volumes/host_path.h"

namespace berth::node {
namespace {

namespace fs = std::filesystem;

const ResourceRef kConfigMaps{"", "v1", "configmaps"};
const ResourceRef kSecrets{"", "v1", "secrets"};
const ResourceRef kClaims{"", "v1", "persistentvolumeclaims"};
const ResourceRef kVolumes{"", "v1", "persistentvolumes"};

constexpr char kEmptyDir[] = "kubernetes.io~empty-dir";

bool OptionalRef(const Json& ref) {
  const Json* o = Member(ref, "optional");
  return o && o->IsBool() && o->GetBool();
}

mode_t ModeOf(const Json& obj, const char* key, mode_t fallback) {
  const Json* m = Member(obj, key);
  if (m && m->IsInt()) return static_cast<mode_t>(m->GetInt()) & 07777;
  return fallback;
}

// The first member of `volume` naming its source ("emptyDir", "secret"...).
std::string SourceKey(const Json& volume) {
  for (auto it = volume.MemberBegin(); it != volume.MemberEnd(); ++it) {
    std::string key = it->name.GetString();
    if (key != "name") return key;
  }
  return "";
}

bool HasBackstep(const std::string& path) {
  std::stringstream parts(path);
  std::string part;
  while (std::getline(parts, part, '/')) {
    if (part == "..") return true;
  }
  return false;
}

bool IsMountPoint(const std::string& dir) {
  struct stat self, parent;
  if (lstat(dir.c_str(), &self) != 0) return false;
  if (lstat((dir + "/..").c_str(), &parent) != 0) return false;
  return self.st_dev != parent.st_dev;
}

// Removes `path` without following symlinks or entering another file
// system (a mount left behind must not lose its content).
Status RemoveTree(const std::string& path, dev_t dev) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Status::Ok();
    return Status::Internal("lstat " + path + ": " + std::strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) {
    if (st.st_dev != dev) {
      return Status::Internal("cannot remove " + path + ": still mounted");
    }
    std::error_code ec;
    std::vector<std::string> children;
    for (const auto& e : fs::directory_iterator(path, ec)) {
      children.push_back(e.path().string());
    }
    for (const auto& c : children) {
      if (Status s = RemoveTree(c, dev); !s.ok()) return s;
    }
    if (rmdir(path.c_str()) != 0) {
      return Status::Internal("rmdir " + path + ": " + std::strerror(errno));
    }
    return Status::Ok();
  }
  if (unlink(path.c_str()) != 0 && errno != ENOENT) {
    return Status::Internal("unlink " + path + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

// The data of a ConfigMap or Secret (decoded), `found` false when it does
// not exist.
struct SourceData {
  bool found = false;
  std::map<std::string, std::string> data;
};

StatusOr<SourceData> ReadSource(Client& client, bool secret,
                                const std::string& ns,
                                const std::string& name) {
  auto obj = client.Get(secret ? kSecrets : kConfigMaps, ns, name);
  if (!obj.ok()) {
    if (obj.status().IsNotFound()) return SourceData{};
    return obj.status();
  }
  auto doc = ParseJson(*obj);
  if (!doc.ok()) return doc.status();
  SourceData out;
  out.found = true;
  auto take = [&](const char* field, bool decode) {
    const Json* d = Member(*doc, field);
    if (!d || !d->IsObject()) return;
    for (auto it = d->MemberBegin(); it != d->MemberEnd(); ++it) {
      if (!it->value.IsString()) continue;
      std::string v(it->value.GetString(), it->value.GetStringLength());
      if (decode) {
        auto decoded = core::Base64Decode(v);
        if (!decoded) continue;
        v = std::move(*decoded);
      }
      out.data[it->name.GetString()] = std::move(v);
    }
  };
  if (secret) {
    take("data", true);
    take("stringData", false);
  } else {
    take("data", false);
    take("binaryData", true);
  }
  return out;
}

// Adds the files of a configMap or secret source (volume or projection) to
// `payload`. Errors are the kubelet's.
Status AddKeyFiles(Client& client, const std::string& ns, const Json& source,
                   bool secret, mode_t default_mode, Payload& payload) {
  const std::string name = GetString(
      source, {secret && Member(source, "secretName") ? "secretName" : "name"});
  const bool optional = OptionalRef(source);
  auto data = ReadSource(client, secret, ns, name);
  if (!data.ok()) return data.status();
  if (!data->found) {
    if (optional) return Status::Ok();
    return Status::NotFound(std::string(secret ? "secret" : "configmap") +
                            " \"" + name + "\" not found");
  }
  const Json* items = Member(source, "items");
  if (!items || !items->IsArray() || items->Empty()) {
    for (const auto& [key, value] : data->data) {
      payload[key] = FileProjection{value, default_mode};
    }
    return Status::Ok();
  }
  for (const auto& item : items->GetArray()) {
    const std::string key = GetString(item, {"key"});
    auto it = data->data.find(key);
    if (it == data->data.end()) {
      if (optional) continue;
      return Status::NotFound(
          secret ? "secret references non-existent secret key: " + key
                 : "configmap references non-existent config key: " + key);
    }
    payload[GetString(item, {"path"})] =
        FileProjection{it->second, ModeOf(item, "mode", default_mode)};
  }
  return Status::Ok();
}

Status AddDownwardFiles(const Json& pod, const Json& items_owner,
                        mode_t default_mode, const PodFacts& facts,
                        Payload& payload) {
  const Json* items = Member(items_owner, "items");
  if (!items || !items->IsArray()) return Status::Ok();
  for (const auto& item : items->GetArray()) {
    const std::string path = GetString(item, {"path"});
    std::string value;
    if (const Json* f = Member(item, "fieldRef")) {
      auto v = ExtractFieldRef(pod, GetString(*f, {"fieldPath"}), facts);
      if (!v.ok()) return v.status();
      value = *v;
    } else if (const Json* r = Member(item, "resourceFieldRef")) {
      const std::string cname = GetString(*r, {"containerName"});
      const Json* c = FindContainer(pod, cname);
      if (!c) return Status::Invalid("container " + cname + " not found");
      auto v = ExtractResourceFieldRef(*c, *r, facts);
      if (!v.ok()) return v.status();
      value = *v;
    }
    payload[path] = FileProjection{value, ModeOf(item, "mode", default_mode)};
  }
  return Status::Ok();
}

}  // namespace

VolumeManager::VolumeManager(Client& client, std::string pods_root)
    : VolumeManager(client, std::move(pods_root), Options{}) {}

VolumeManager::VolumeManager(Client& client, std::string pods_root,
                             Options options)
    : client_(client),
      pods_root_(std::move(pods_root)),
      options_(options),
      tokens_(client, options_.now) {}

VolumeManager::~VolumeManager() = default;

std::string VolumeManager::PluginDirName(const std::string& source_key) {
  if (source_key == "emptyDir") return kEmptyDir;
  if (source_key == "configMap") return "kubernetes.io~configmap";
  if (source_key == "secret") return "kubernetes.io~secret";
  if (source_key == "downwardAPI") return "kubernetes.io~downward-api";
  if (source_key == "projected") return "kubernetes.io~projected";
  if (source_key == "hostPath") return "kubernetes.io~host-path";
  return "";
}

StatusOr<std::string> VolumeManager::ClaimPath(const std::string& ns,
                                               const std::string& claim) {
  auto pvc_text = client_.Get(kClaims, ns, claim);
  if (!pvc_text.ok()) {
    if (pvc_text.status().IsNotFound()) {
      return Status::NotFound("persistentvolumeclaim \"" + claim +
                              "\" not found");
    }
    return pvc_text.status();
  }
  auto pvc = ParseJson(*pvc_text);
  if (!pvc.ok()) return pvc.status();
  const std::string phase = GetString(*pvc, {"status", "phase"});
  const std::string pv_name = GetString(*pvc, {"spec", "volumeName"});
  if (phase != "Bound" || pv_name.empty()) {
    // The kubelet's desired state populator says it this way.
    return Status::Unavailable(
        "PVC " + ns + "/" + claim + " has non-bound phase (\"" + phase +
        "\") or empty pvc.Spec.VolumeName (\"" + pv_name + "\")");
  }
  auto pv_text = client_.Get(kVolumes, "", pv_name);
  if (!pv_text.ok()) {
    if (pv_text.status().IsNotFound()) {
      return Status::NotFound("persistentvolume \"" + pv_name + "\" not found");
    }
    return pv_text.status();
  }
  auto pv = ParseJson(*pv_text);
  if (!pv.ok()) return pv.status();
  if (const Json* host = Find(*pv, {"spec", "hostPath"})) {
    const std::string path = GetString(*host, {"path"});
    if (HasBackstep(path)) {
      return Status::Invalid("invalid HostPath `" + path +
                             "`: must not contain '..'");
    }
    Status s = CheckHostPathType(path, GetString(*host, {"type"}));
    if (!s.ok()) return s;
    return path;
  }
  if (const Json* local = Find(*pv, {"spec", "local"})) {
    const std::string path = GetString(*local, {"path"});
    struct stat st;
    if (stat(path.c_str(), &st) != 0) {
      return Status::NotFound("path \"" + path + "\" does not exist");
    }
    return path;
  }
  return Status::Invalid("persistentvolume \"" + pv_name +
                         "\" has a volume source this node cannot mount");
}

std::string VolumeManager::VolumeDir(const std::string& uid,
                                     const std::string& plugin,
                                     const std::string& name) const {
  return pods_root_ + "/" + uid + "/volumes/" + plugin + "/" + name;
}

Status VolumeManager::Prepare(const Json& pod, const PodFacts& facts) {
  const Json* volumes = Find(pod, {"spec", "volumes"});
  if (!volumes || !volumes->IsArray()) return Status::Ok();
  std::shared_ptr<std::mutex> lock;
  {
    std::lock_guard<std::mutex> l(mu_);
    auto& p = pod_locks_[GetString(pod, {"metadata", "uid"})];
    if (!p) p = std::make_shared<std::mutex>();
    lock = p;
  }
  std::lock_guard<std::mutex> l(*lock);
  for (const auto& volume : volumes->GetArray()) {
    if (Status s = SetUpVolume(pod, volume, facts, false); !s.ok()) return s;
  }
  return Status::Ok();
}

Status VolumeManager::Refresh(const Json& pod, const PodFacts& facts) {
  const Json* volumes = Find(pod, {"spec", "volumes"});
  if (!volumes || !volumes->IsArray()) return Status::Ok();
  std::shared_ptr<std::mutex> lock;
  {
    std::lock_guard<std::mutex> l(mu_);
    auto& p = pod_locks_[GetString(pod, {"metadata", "uid"})];
    if (!p) p = std::make_shared<std::mutex>();
    lock = p;
  }
  std::lock_guard<std::mutex> l(*lock);
  for (const auto& volume : volumes->GetArray()) {
    if (Status s = SetUpVolume(pod, volume, facts, true); !s.ok()) return s;
  }
  return Status::Ok();
}

Status VolumeManager::SetUpVolume(const Json& pod, const Json& volume,
                                  const PodFacts& facts, bool refresh_only) {
  const std::string uid = GetString(pod, {"metadata", "uid"});
  const std::string ns = GetString(pod, {"metadata", "namespace"}, "default");
  const std::string name = GetString(volume, {"name"});
  const std::string key = SourceKey(volume);
  const Json* source = Member(volume, key);
  auto failed = [&](const Status& s) {
    return Status(s.code(), "MountVolume.SetUp failed for volume \"" + name +
                                "\" : " + s.message());
  };
  if (!source) return failed(Status::Invalid("volume has no source"));
  const std::string dir = VolumeDir(uid, PluginDirName(key), name);

  if (key == "persistentVolumeClaim") {
    if (refresh_only) return Status::Ok();
    auto path = ClaimPath(ns, GetString(*source, {"claimName"}));
    if (!path.ok()) return failed(path.status());
    std::lock_guard<std::mutex> l(mu_);
    claim_paths_[uid][name] = *path;
    return Status::Ok();
  }
  if (key == "emptyDir" || key == "hostPath") {
    if (refresh_only) return Status::Ok();
    if (key == "hostPath") {
      const std::string path = GetString(*source, {"path"});
      if (HasBackstep(path)) {
        return failed(Status::Invalid("invalid HostPath `" + path +
                                      "`: must not contain '..'"));
      }
      Status s = CheckHostPathType(path, GetString(*source, {"type"}));
      return s.ok() ? s : failed(s);
    }
    std::error_code ec;
    if (!fs::exists(dir, ec)) {
      fs::create_directories(dir, ec);
      if (ec)
        return failed(Status::Internal("mkdir " + dir + ": " + ec.message()));
      // emptyDir is world-writable, as the kubelet makes it.
      chmod(dir.c_str(), 0777);
    }
    if (GetString(*source, {"medium"}) == "Memory" &&
        options_.mount_memory_volumes && !IsMountPoint(dir)) {
      std::string opts = "mode=0777";
      if (const Json* limit = Member(*source, "sizeLimit")) {
        if (auto bytes = core::QuantityValue(*limit); bytes && *bytes > 0) {
          opts += ",size=" + std::to_string(static_cast<uint64_t>(
                                 std::ceil(static_cast<double>(*bytes))));
        }
      }
      if (mount("tmpfs", dir.c_str(), "tmpfs", MS_NOSUID | MS_NODEV,
                opts.c_str()) != 0) {
        // Not root: each container gets its own tmpfs (MountsFor).
        spdlog::debug("emptyDir {}: tmpfs mount refused ({}); per-container",
                      dir, std::strerror(errno));
      }
    }
    return Status::Ok();
  }

  if ((key == "secret" || key == "projected") &&
      options_.mount_memory_volumes && !IsMountPoint(dir)) {
    // Secrets stay off the disk: the kubelet backs secret and projected
    // volumes with tmpfs.
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (!ec && mount("tmpfs", dir.c_str(), "tmpfs", MS_NOSUID | MS_NODEV,
                     "mode=0755") != 0) {
      spdlog::debug("volume {}: tmpfs mount refused ({}); files on disk", dir,
                    std::strerror(errno));
    }
  }
  Payload payload;
  if (key == "configMap" || key == "secret") {
    const mode_t mode = ModeOf(*source, "defaultMode", 0644);
    Status s =
        AddKeyFiles(client_, ns, *source, key == "secret", mode, payload);
    if (!s.ok()) return failed(s);
  } else if (key == "downwardAPI") {
    const mode_t mode = ModeOf(*source, "defaultMode", 0644);
    Status s = AddDownwardFiles(pod, *source, mode, facts, payload);
    if (!s.ok()) return failed(s);
  } else if (key == "projected") {
    const mode_t mode = ModeOf(*source, "defaultMode", 0644);
    const Json* sources = Member(*source, "sources");
    if (sources && sources->IsArray()) {
      for (const auto& p : sources->GetArray()) {
        Status s;
        if (const Json* cm = Member(p, "configMap")) {
          s = AddKeyFiles(client_, ns, *cm, false, mode, payload);
        } else if (const Json* sec = Member(p, "secret")) {
          s = AddKeyFiles(client_, ns, *sec, true, mode, payload);
        } else if (const Json* d = Member(p, "downwardAPI")) {
          s = AddDownwardFiles(pod, *d, mode, facts, payload);
        } else if (const Json* t = Member(p, "serviceAccountToken")) {
          const std::string path = GetString(*t, {"path"});
          int64_t seconds = GetInt(*t, {"expirationSeconds"});
          if (seconds <= 0) seconds = 3600;
          auto token = tokens_.Get(pod, GetString(*t, {"audience"}), seconds);
          if (!token.ok()) {
            s = token.status();
          } else if (token->empty()) {
            // No token issuer in this cluster: the file is left out rather
            // than the pod failing to start.
            spdlog::debug(
                "pod {}/{} volume {}: no TokenRequest API; token left out", ns,
                GetString(pod, {"metadata", "name"}), name);
          } else {
            payload[path] = FileProjection{*token, mode};
          }
        }
        if (!s.ok()) return failed(s);
      }
    }
  } else {
    return failed(
        Status::Invalid("volume type " + key + " is not handled by the node"));
  }
  Status s = WriteAtomically(dir, payload);
  return s.ok() ? s : failed(s);
}

StatusOr<std::vector<Mount>> VolumeManager::MountsFor(
    const Json& pod, const Json& container, const EnvList& env) const {
  std::vector<Mount> mounts;
  const Json* vms = Member(container, "volumeMounts");
  if (!vms || !vms->IsArray()) return mounts;
  const std::string uid = GetString(pod, {"metadata", "uid"});
  const Json* volumes = Find(pod, {"spec", "volumes"});
  for (const auto& vm : vms->GetArray()) {
    const std::string name = GetString(vm, {"name"});
    const Json* volume = nullptr;
    if (volumes && volumes->IsArray()) {
      for (const auto& v : volumes->GetArray()) {
        if (GetString(v, {"name"}) == name) volume = &v;
      }
    }
    if (!volume) {
      return Status::Invalid("cannot find volume \"" + name +
                             "\" to mount into container \"" +
                             GetString(container, {"name"}) + "\"");
    }
    const std::string key = SourceKey(*volume);
    const Json* source = Member(*volume, key);
    Mount m;
    m.container_path = GetString(vm, {"mountPath"});
    const Json* ro = Member(vm, "readOnly");
    m.read_only = ro && ro->IsBool() && ro->GetBool();
    m.propagation = GetString(vm, {"mountPropagation"}, "None");
    std::string base;
    if (key == "hostPath") {
      base = GetString(*source, {"path"});
    } else if (key == "persistentVolumeClaim") {
      {
        std::lock_guard<std::mutex> l(mu_);
        auto pod_claims = claim_paths_.find(uid);
        if (pod_claims != claim_paths_.end()) {
          auto it = pod_claims->second.find(name);
          if (it != pod_claims->second.end()) base = it->second;
        }
      }
      if (base.empty()) {
        return Status::Invalid("volume \"" + name + "\" is not prepared");
      }
      const Json* claim_ro = Member(*source, "readOnly");
      if (claim_ro && claim_ro->IsBool() && claim_ro->GetBool()) {
        m.read_only = true;
      }
    } else if (!PluginDirName(key).empty()) {
      base = VolumeDir(uid, PluginDirName(key), name);
      // API data volumes are read-only whatever the mount says (the
      // kubelet's ReadOnlyAPIDataVolumes).
      if (key != "emptyDir") m.read_only = true;
    } else {
      return Status::Invalid("volume type " + key +
                             " is not handled by the node");
    }
    std::string sub_path = GetString(vm, {"subPath"});
    if (const std::string expr = GetString(vm, {"subPathExpr"});
        !expr.empty()) {
      // The kubelet's ExpandContainerVolumeMounts: an unset or empty
      // variable is an error, not a literal.
      std::map<std::string, std::string> values(env.begin(), env.end());
      std::set<std::string> missing;
      sub_path = Expand(expr, [&](const std::string& key) {
        auto it = values.find(key);
        if (it == values.end() || it->second.empty()) {
          missing.insert(key);
          return std::optional<std::string>("");
        }
        return std::optional<std::string>(it->second);
      });
      if (!missing.empty()) {
        std::string keys;
        for (const auto& k : missing) keys += (keys.empty() ? "" : ", ") + k;
        return Status::Invalid("missing value for " + keys);
      }
    }
    if (key == "emptyDir" && source &&
        GetString(*source, {"medium"}) == "Memory" && !IsMountPoint(base) &&
        sub_path.empty()) {
      m.tmpfs = true;
      if (const Json* limit = Member(*source, "sizeLimit")) {
        if (auto bytes = core::QuantityValue(*limit); bytes && *bytes > 0) {
          m.tmpfs_size_bytes =
              static_cast<uint64_t>(std::ceil(static_cast<double>(*bytes)));
        }
      }
    }
    if (!sub_path.empty()) {
      if (sub_path[0] == '/') {
        return Status::Invalid("subPath \"" + sub_path +
                               "\" must be a relative path");
      }
      if (HasBackstep(sub_path)) {
        return Status::Invalid("subPath \"" + sub_path +
                               "\" must not contain '..'");
      }
      const std::string full = base + "/" + sub_path;
      std::error_code ec;
      if (!fs::exists(fs::symlink_status(full, ec))) {
        struct stat st;
        mode_t mode = stat(base.c_str(), &st) == 0 ? st.st_mode & 07777 : 0755;
        fs::create_directories(full, ec);
        if (ec) {
          return Status::Internal(
              "failed to create subPath directory for "
              "volumeMount \"" +
              name + "\": " + ec.message());
        }
        chmod(full.c_str(), mode);
      }
      base = full;
    }
    m.host_path = base;
    mounts.push_back(std::move(m));
  }
  return mounts;
}

Status VolumeManager::Cleanup(const std::string& uid) {
  if (uid.empty() || uid.find('/') != std::string::npos || uid == "." ||
      uid == "..") {
    return Status::Invalid("invalid pod uid \"" + uid + "\"");
  }
  tokens_.Forget(uid);
  const std::string root = pods_root_ + "/" + uid;
  struct stat st;
  if (lstat(root.c_str(), &st) != 0) return Status::Ok();
  // Only the tmpfs mounts of memory emptyDirs, secrets and projections are
  // this manager's own.
  for (const char* plugin :
       {kEmptyDir, "kubernetes.io~secret", "kubernetes.io~projected"}) {
    std::error_code ec;
    for (const auto& e :
         fs::directory_iterator(root + "/volumes/" + plugin, ec)) {
      const std::string dir = e.path().string();
      if (IsMountPoint(dir) && umount2(dir.c_str(), MNT_DETACH) != 0) {
        return Status::Internal("unmount " + dir + ": " + std::strerror(errno));
      }
    }
  }
  Status s = RemoveTree(root, st.st_dev);
  if (s.ok()) {
    std::lock_guard<std::mutex> l(mu_);
    pod_locks_.erase(uid);
    claim_paths_.erase(uid);
  }
  return s;
}

}  // namespace berth::node
