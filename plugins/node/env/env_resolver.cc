#include "env/env_resolver.h"

#include <algorithm>
#include <map>
#include <optional>

#include "base64.h"
#include "env/field_ref.h"
#include "env/service_env.h"

namespace berth::node {
namespace {

const ResourceRef kConfigMaps{"", "v1", "configmaps"};
const ResourceRef kSecrets{"", "v1", "secrets"};

bool Optional(const Json& ref) {
  const Json* o = Member(ref, "optional");
  return o && o->IsBool() && o->GetBool();
}

// ConfigMaps and Secrets of the pod's namespace, each read once.
class SourceCache {
 public:
  SourceCache(Client& client, std::string ns)
      : client_(client), ns_(std::move(ns)) {}

  // The data of the ConfigMap (kind "configmap") or Secret ("secret",
  // decoded). NotFound carries the kubelet's `configmap "x" not found`.
  StatusOr<std::map<std::string, std::string>> Data(const std::string& kind,
                                                    const std::string& name) {
    const std::string key = kind + "/" + name;
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    auto obj =
        client_.Get(kind == "secret" ? kSecrets : kConfigMaps, ns_, name);
    if (!obj.ok()) {
      if (obj.status().IsNotFound()) {
        return Status::NotFound(kind + " \"" + name + "\" not found");
      }
      return obj.status();
    }
    auto doc = ParseJson(*obj);
    if (!doc.ok()) return doc.status();
    std::map<std::string, std::string> data;
    if (const Json* d = Member(*doc, "data"); d && d->IsObject()) {
      for (auto it = d->MemberBegin(); it != d->MemberEnd(); ++it) {
        if (!it->value.IsString()) continue;
        std::string v(it->value.GetString(), it->value.GetStringLength());
        if (kind == "secret") {
          auto decoded = core::Base64Decode(v);
          if (!decoded) continue;
          v = std::move(*decoded);
        }
        data[it->name.GetString()] = std::move(v);
      }
    }
    if (kind == "secret") {
      // stringData is folded into data by the apiserver; accept it from a
      // store that kept it.
      if (const Json* d = Member(*doc, "stringData"); d && d->IsObject()) {
        for (auto it = d->MemberBegin(); it != d->MemberEnd(); ++it) {
          if (it->value.IsString()) {
            data[it->name.GetString()] = it->value.GetString();
          }
        }
      }
    }
    cache_[key] = data;
    return data;
  }

 private:
  Client& client_;
  std::string ns_;
  std::map<std::string, std::map<std::string, std::string>> cache_;
};

// An ordered env where a repeated name replaces the value in place.
class EnvBuilder {
 public:
  void Set(const std::string& name, std::string value) {
    auto it = index_.find(name);
    if (it != index_.end()) {
      list_[it->second].second = std::move(value);
      return;
    }
    index_[name] = list_.size();
    list_.emplace_back(name, std::move(value));
  }
  std::optional<std::string> Get(const std::string& name) const {
    auto it = index_.find(name);
    if (it == index_.end()) return std::nullopt;
    return list_[it->second].second;
  }
  EnvList Take() { return std::move(list_); }

 private:
  EnvList list_;
  std::map<std::string, size_t> index_;
};

}  // namespace

bool IsEnvVarName(const std::string& name) {
  if (name.empty()) return false;
  auto ok = [](char c, bool first) {
    return c == '-' || c == '.' || c == '_' || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
  };
  for (size_t i = 0; i < name.size(); ++i) {
    if (!ok(name[i], i == 0)) return false;
  }
  return true;
}

StatusOr<ResolvedEnv> ResolveEnv(const Json& pod, const Json& container,
                                 Client& client, const PodFacts& facts) {
  const std::string ns = GetString(pod, {"metadata", "namespace"}, "default");
  SourceCache sources(client, ns);
  EnvBuilder env;
  ResolvedEnv out;
  auto service_env = ServiceEnv(pod, client);
  if (!service_env.ok()) return service_env.status();
  std::map<std::string, std::string> service_values(service_env->begin(),
                                                    service_env->end());

  if (const Json* env_from = Member(container, "envFrom");
      env_from && env_from->IsArray()) {
    for (const auto& source : env_from->GetArray()) {
      const std::string prefix = GetString(source, {"prefix"});
      const Json* ref = Member(source, "configMapRef");
      std::string kind = "configmap", kind_word = "configMap";
      if (!ref) {
        ref = Member(source, "secretRef");
        kind = "secret";
        kind_word = "secret";
      }
      if (!ref) continue;
      const std::string name = GetString(*ref, {"name"});
      auto data = sources.Data(kind, name);
      if (!data.ok()) {
        if (data.status().IsNotFound() && Optional(*ref)) continue;
        return data.status();
      }
      std::vector<std::string> invalid;
      for (const auto& [key, value] : *data) {
        const std::string var = prefix + key;
        if (!IsEnvVarName(var)) {
          invalid.push_back(var);
          continue;
        }
        env.Set(var, value);
      }
      if (!invalid.empty()) {
        std::sort(invalid.begin(), invalid.end());
        std::string keys;
        for (const auto& k : invalid) keys += (keys.empty() ? "" : ", ") + k;
        out.invalid_name_warnings.push_back(
            "Keys [" + keys + "] from the EnvFrom " + kind_word + " " + ns +
            "/" + name +
            " were skipped since they are considered invalid environment "
            "variable names.");
      }
    }
  }

  const Json* vars = Member(container, "env");
  if (vars && vars->IsArray()) {
    for (const auto& var : vars->GetArray()) {
      const std::string name = GetString(var, {"name"});
      std::string value = GetString(var, {"value"});
      const Json* from = Member(var, "valueFrom");
      if (!value.empty()) {
        value = Expand(value, [&](const std::string& ref) {
          // Earlier variables first, then the service variables.
          auto v = env.Get(ref);
          if (!v) {
            auto it = service_values.find(ref);
            if (it != service_values.end()) v = it->second;
          }
          return v;
        });
      } else if (from && from->IsObject()) {
        if (const Json* f = Member(*from, "fieldRef")) {
          auto v = ExtractFieldRef(pod, GetString(*f, {"fieldPath"}), facts);
          if (!v.ok()) return v.status();
          value = *v;
        } else if (const Json* r = Member(*from, "resourceFieldRef")) {
          const std::string cname = GetString(*r, {"containerName"});
          const Json* target = &container;
          if (!cname.empty()) {
            target = FindContainer(pod, cname);
            if (!target) {
              return Status::Invalid("container " + cname + " not found");
            }
          }
          auto v = ExtractResourceFieldRef(*target, *r, facts);
          if (!v.ok()) return v.status();
          value = *v;
        } else if (const Json* c = Member(*from, "configMapKeyRef")) {
          const std::string cm = GetString(*c, {"name"});
          const std::string key = GetString(*c, {"key"});
          auto data = sources.Data("configmap", cm);
          if (!data.ok()) {
            if (data.status().IsNotFound() && Optional(*c)) continue;
            return data.status();
          }
          auto it = data->find(key);
          if (it == data->end()) {
            if (Optional(*c)) continue;
            return Status::NotFound("couldn't find key " + key +
                                    " in ConfigMap " + ns + "/" + cm);
          }
          value = it->second;
        } else if (const Json* s = Member(*from, "secretKeyRef")) {
          const std::string secret = GetString(*s, {"name"});
          const std::string key = GetString(*s, {"key"});
          auto data = sources.Data("secret", secret);
          if (!data.ok()) {
            if (data.status().IsNotFound() && Optional(*s)) continue;
            return data.status();
          }
          auto it = data->find(key);
          if (it == data->end()) {
            if (Optional(*s)) continue;
            return Status::NotFound("couldn't find key " + key + " in Secret " +
                                    ns + "/" + secret);
          }
          value = it->second;
        }
      }
      env.Set(name, std::move(value));
    }
  }
  // Service variables last, unless the container defines them itself.
  for (const auto& [name, value] : *service_env) {
    if (!env.Get(name)) env.Set(name, value);
  }
  out.env = env.Take();
  return out;
}

}  // namespace berth::node
