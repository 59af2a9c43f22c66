#include "pod_spec.h"

#include <map>
#include <set>

#include "quantity.h"
#include "validation.h"

namespace berth::core {
namespace {

constexpr int kDefaultFileMode = 0644;  // 420, as Kubernetes shows it
constexpr const char* kContainerListNames[] = {"initContainers", "containers",
                                               "ephemeralContainers"};

void DefaultHttpGet(Json& http, JsonAlloc& a) {
  if (!http.IsObject()) return;
  SetDefaultString(http, "path", "/", a);
  SetDefaultString(http, "scheme", "HTTP", a);
}

void DefaultProbe(Json* probe, JsonAlloc& a) {
  if (!probe || !probe->IsObject()) return;
  SetDefault(*probe, "timeoutSeconds", Json(1), a);
  SetDefault(*probe, "periodSeconds", Json(10), a);
  SetDefault(*probe, "successThreshold", Json(1), a);
  SetDefault(*probe, "failureThreshold", Json(3), a);
  if (Json* http = Member(*probe, "httpGet")) DefaultHttpGet(*http, a);
}

void DefaultLifecycleHandler(Json* handler, JsonAlloc& a) {
  if (!handler) return;
  if (Json* http = Member(*handler, "httpGet")) DefaultHttpGet(*http, a);
}

void DefaultFieldRef(Json* field_ref, JsonAlloc& a) {
  if (field_ref && field_ref->IsObject()) {
    SetDefaultString(*field_ref, "apiVersion", "v1", a);
  }
}

void DefaultContainer(Json& c, bool full, JsonAlloc& a) {
  if (!c.IsObject()) return;
  if (full) {
    SetDefaultString(c, "imagePullPolicy",
                     DefaultPullPolicy(Str(Member(c, "image"))), a);
    SetDefaultString(c, "terminationMessagePath", "/dev/termination-log", a);
    SetDefaultString(c, "terminationMessagePolicy", "File", a);
  }
  if (Json* ports = Member(c, "ports"); ports && ports->IsArray()) {
    for (auto& p : ports->GetArray()) {
      if (p.IsObject()) SetDefaultString(p, "protocol", "TCP", a);
    }
  }
  if (Json* env = Member(c, "env"); env && env->IsArray()) {
    for (auto& e : env->GetArray()) {
      DefaultFieldRef(Find(e, {"valueFrom", "fieldRef"}), a);
    }
  }
  DefaultProbe(Member(c, "livenessProbe"), a);
  DefaultProbe(Member(c, "readinessProbe"), a);
  DefaultProbe(Member(c, "startupProbe"), a);
  if (Json* lc = Member(c, "lifecycle")) {
    DefaultLifecycleHandler(Member(*lc, "postStart"), a);
    DefaultLifecycleHandler(Member(*lc, "preStop"), a);
  }
}

void DefaultVolume(Json& v, JsonAlloc& a) {
  if (!v.IsObject()) return;
  if (v.MemberCount() == 1 && Member(v, "name")) {
    SetMember(v, "emptyDir", Json(rapidjson::kObjectType), a);
    return;
  }
  for (const char* source :
       {"secret", "configMap", "downwardAPI", "projected"}) {
    if (Json* s = Member(v, source); s && s->IsObject()) {
      SetDefault(*s, "defaultMode", Json(kDefaultFileMode), a);
    }
  }
  if (Json* hp = Member(v, "hostPath"); hp && hp->IsObject()) {
    SetDefaultString(*hp, "type", "", a);
  }
  if (Json* items = Find(v, {"downwardAPI", "items"});
      items && items->IsArray()) {
    for (auto& item : items->GetArray())
      DefaultFieldRef(Member(item, "fieldRef"), a);
  }
  if (Json* sources = Find(v, {"projected", "sources"});
      sources && sources->IsArray()) {
    for (auto& s : sources->GetArray()) {
      if (Json* token = Member(s, "serviceAccountToken");
          token && token->IsObject()) {
        SetDefault(*token, "expirationSeconds", Json(3600), a);
      }
      if (Json* items = Find(s, {"downwardAPI", "items"});
          items && items->IsArray()) {
        for (auto& item : items->GetArray()) {
          DefaultFieldRef(Member(item, "fieldRef"), a);
        }
      }
    }
  }
}

bool IsOneOf(const std::string& v, const std::vector<std::string>& valid) {
  for (const auto& s : valid) {
    if (s == v) return true;
  }
  return false;
}

// Checks an enum-valued string member when present.
void CheckEnum(const Json& obj, const char* member, const std::string& path,
               const std::vector<std::string>& valid,
               std::vector<FieldCause>& causes) {
  const Json* v = Member(obj, member);
  if (!v) return;
  std::string s = Str(v);
  if (!IsOneOf(s, valid)) {
    causes.push_back(field::NotSupported(path + "." + member, s, valid));
  }
}

void ValidatePorts(const Json& ports, const std::string& path,
                   std::vector<FieldCause>& causes) {
  if (!ports.IsArray()) return;
  for (size_t i = 0; i < ports.Size(); ++i) {
    const Json& p = ports[i];
    const std::string ip = Index(path, i);
    if (const Json* name = Member(p, "name"); name && !Str(name).empty()) {
      AddInvalid(causes, ip + ".name", Str(name), IsValidPortName(Str(name)));
    }
    const int64_t port = GetInt(p, {"containerPort"});
    if (port == 0) {
      causes.push_back(field::Required(ip + ".containerPort"));
    } else {
      for (auto& m : IsValidPortNum(port)) {
        causes.push_back(field::InvalidNumber(ip + ".containerPort", port, m));
      }
    }
    const int64_t host_port = GetInt(p, {"hostPort"});
    if (host_port != 0) {
      for (auto& m : IsValidPortNum(host_port)) {
        causes.push_back(field::InvalidNumber(ip + ".hostPort", host_port, m));
      }
    }
    const std::string protocol = Str(Member(p, "protocol"));
    if (protocol.empty()) {
      causes.push_back(field::Required(ip + ".protocol"));
    } else if (!IsOneOf(protocol, {"SCTP", "TCP", "UDP"})) {
      causes.push_back(field::NotSupported(ip + ".protocol", protocol,
                                           {"SCTP", "TCP", "UDP"}));
    }
  }
}

void ValidateResources(const Json& res, const std::string& path,
                       std::vector<FieldCause>& causes) {
  std::map<std::string, long double> limits;
  for (const char* part : {"limits", "requests"}) {
    const Json* m = Member(res, part);
    if (!m || !m->IsObject()) continue;
    for (auto it = m->MemberBegin(); it != m->MemberEnd(); ++it) {
      const std::string key = it->name.GetString();
      const std::string fpath = Key(path + "." + part, key);
      auto q = QuantityValue(it->value);
      std::string text =
          it->value.IsString() ? Str(&it->value) : ToJson(it->value);
      if (!q) {
        causes.push_back(field::Invalid(fpath, text, kQuantityError));
        continue;
      }
      if (*q < 0) {
        causes.push_back(
            field::Invalid(fpath, text, "must be greater than or equal to 0"));
        continue;
      }
      if (part == std::string("limits")) {
        limits[key] = *q;
      } else if (auto l = limits.find(key);
                 l != limits.end() && *q > l->second) {
        const Json& lv = Member(res, "limits")->FindMember(key.c_str())->value;
        causes.push_back(field::Invalid(
            fpath, text,
            "must be less than or equal to " + key + " limit of " +
                (lv.IsString() ? Str(&lv) : ToJson(lv))));
      }
    }
  }
}

void ValidateProbe(const Json* probe, const std::string& path,
                   std::vector<FieldCause>& causes) {
  if (!probe || !probe->IsObject()) return;
  int handlers = 0;
  for (const char* h : {"exec", "httpGet", "tcpSocket", "grpc"}) {
    if (Member(*probe, h)) ++handlers;
  }
  if (handlers == 0) {
    causes.push_back(field::Required(path, "must specify a handler type"));
  } else if (handlers > 1) {
    causes.push_back(
        field::Forbidden(path, "may not specify more than 1 handler type"));
  }
}

void ValidateContainer(const Json& c, const std::string& path,
                       const std::set<std::string>& volumes, bool regular,
                       std::vector<FieldCause>& causes) {
  const std::string image = Str(Member(c, "image"));
  if (image.empty()) causes.push_back(field::Required(path + ".image"));
  CheckEnum(c, "imagePullPolicy", path, {"Always", "IfNotPresent", "Never"},
            causes);
  CheckEnum(c, "terminationMessagePolicy", path,
            {"File", "FallbackToLogsOnError"}, causes);
  if (const Json* ports = Member(c, "ports")) {
    ValidatePorts(*ports, path + ".ports", causes);
  }
  if (const Json* env = Member(c, "env"); env && env->IsArray()) {
    for (size_t i = 0; i < env->Size(); ++i) {
      const std::string ep = Index(path + ".env", i);
      const std::string name = Str(Member((*env)[i], "name"));
      if (name.empty()) {
        causes.push_back(field::Required(ep + ".name"));
      } else {
        AddInvalid(causes, ep + ".name", name, IsEnvVarName(name));
      }
    }
  }
  if (const Json* mounts = Member(c, "volumeMounts");
      mounts && mounts->IsArray()) {
    for (size_t i = 0; i < mounts->Size(); ++i) {
      const std::string mp = Index(path + ".volumeMounts", i);
      const std::string name = Str(Member((*mounts)[i], "name"));
      if (name.empty()) {
        causes.push_back(field::Required(mp + ".name"));
      } else if (!volumes.count(name)) {
        causes.push_back({"FieldValueNotFound", mp + ".name",
                          "Not found: \"" + name + "\""});
      }
      if (Str(Member((*mounts)[i], "mountPath")).empty()) {
        causes.push_back(field::Required(mp + ".mountPath"));
      }
    }
  }
  if (const Json* res = Member(c, "resources"); res && res->IsObject()) {
    ValidateResources(*res, path + ".resources", causes);
  }
  if (regular) {
    ValidateProbe(Member(c, "livenessProbe"), path + ".livenessProbe", causes);
    ValidateProbe(Member(c, "readinessProbe"), path + ".readinessProbe",
                  causes);
    ValidateProbe(Member(c, "startupProbe"), path + ".startupProbe", causes);
  }
}

// Required members of the common volume sources.
void ValidateVolumeSource(const Json& v, const std::string& path,
                          std::vector<FieldCause>& causes) {
  struct Need {
    const char* source;
    const char* member;
  };
  static const Need kNeeds[] = {
      {"hostPath", "path"},  {"persistentVolumeClaim", "claimName"},
      {"configMap", "name"}, {"secret", "secretName"},
      {"nfs", "server"},     {"nfs", "path"}};
  int sources = 0;
  for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
    if (std::string_view(it->name.GetString()) != "name") ++sources;
  }
  if (sources > 1) {
    causes.push_back(
        field::Forbidden(path, "may not specify more than 1 volume type"));
  }
  for (const auto& need : kNeeds) {
    const Json* s = Member(v, need.source);
    if (s && s->IsObject() && Str(Member(*s, need.member)).empty()) {
      causes.push_back(
          field::Required(path + "." + need.source + "." + need.member));
    }
  }
}

}  // namespace

std::string DefaultPullPolicy(std::string_view image) {
  if (image.find('@') != std::string_view::npos) return "IfNotPresent";
  // The tag follows the last ':' after the last '/', so a registry port
  // ("host:5000/app") is not mistaken for one.
  size_t slash = image.rfind('/');
  size_t colon = image.rfind(':');
  if (colon == std::string_view::npos ||
      (slash != std::string_view::npos && colon < slash)) {
    return "Always";
  }
  return image.substr(colon + 1) == "latest" ? "Always" : "IfNotPresent";
}

void DefaultPodSpec(Json& spec, JsonAlloc& a) {
  if (!spec.IsObject()) return;
  SetDefaultString(spec, "dnsPolicy", "ClusterFirst", a);
  SetDefaultString(spec, "restartPolicy", "Always", a);
  SetDefault(spec, "terminationGracePeriodSeconds", Json(30), a);
  SetDefault(spec, "securityContext", Json(rapidjson::kObjectType), a);
  SetDefaultString(spec, "schedulerName", "default-scheduler", a);
  // serviceAccount is the deprecated alias Kubernetes keeps in sync.
  if (Json* sa = Member(spec, "serviceAccountName"); sa && sa->IsString()) {
    SetDefaultString(spec, "serviceAccount", Str(sa), a);
  }
  for (const char* list : kContainerListNames) {
    Json* cs = Member(spec, list);
    if (!cs || !cs->IsArray()) continue;
    const bool full = std::string_view(list) != "ephemeralContainers";
    for (auto& c : cs->GetArray()) DefaultContainer(c, full, a);
  }
  if (Json* vols = Member(spec, "volumes"); vols && vols->IsArray()) {
    for (auto& v : vols->GetArray()) DefaultVolume(v, a);
  }
}

void ValidatePodSpec(const Json& spec, const std::string& path,
                     std::vector<FieldCause>& causes) {
  std::set<std::string> volumes;
  if (const Json* vols = Member(spec, "volumes"); vols && vols->IsArray()) {
    for (size_t i = 0; i < vols->Size(); ++i) {
      const Json& v = (*vols)[i];
      const std::string vp = Index(path + ".volumes", i);
      const std::string name = Str(Member(v, "name"));
      if (name.empty()) {
        causes.push_back(field::Required(vp + ".name"));
      } else if (auto errs = IsDns1123Label(name); !errs.empty()) {
        AddInvalid(causes, vp + ".name", name, errs);
      } else if (!volumes.insert(name).second) {
        causes.push_back(field::Duplicate(vp + ".name", name));
      }
      if (v.IsObject()) ValidateVolumeSource(v, vp, causes);
    }
  }

  const Json* containers = Member(spec, "containers");
  if (!containers || !containers->IsArray() || containers->Empty()) {
    causes.push_back(field::Required(path + ".containers"));
  }
  std::set<std::string> names;
  for (const char* list : kContainerListNames) {
    const Json* cs = Member(spec, list);
    if (!cs || !cs->IsArray()) continue;
    const bool regular = std::string_view(list) == "containers";
    for (size_t i = 0; i < cs->Size(); ++i) {
      const Json& c = (*cs)[i];
      const std::string cp = Index(path + "." + list, i);
      const std::string name = Str(Member(c, "name"));
      if (name.empty()) {
        causes.push_back(field::Required(cp + ".name"));
      } else if (auto errs = IsDns1123Label(name); !errs.empty()) {
        AddInvalid(causes, cp + ".name", name, errs);
      } else if (!names.insert(name).second) {
        causes.push_back(field::Duplicate(cp + ".name", name));
      }
      ValidateContainer(c, cp, volumes, regular, causes);
    }
  }

  const std::string restart = Str(Member(spec, "restartPolicy"));
  if (restart.empty()) {
    causes.push_back(field::Required(path + ".restartPolicy"));
  } else {
    CheckEnum(spec, "restartPolicy", path, {"Always", "OnFailure", "Never"},
              causes);
  }
  CheckEnum(spec, "dnsPolicy", path,
            {"ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"},
            causes);
  if (const Json* ads = Member(spec, "activeDeadlineSeconds")) {
    int64_t v = ads->IsInt64() ? ads->GetInt64() : 0;
    if (v < 1 || v > 2147483647) {
      causes.push_back(
          field::InvalidNumber(path + ".activeDeadlineSeconds", v,
                               "must be between 1 and 2147483647, inclusive"));
    }
  }
  if (const Json* tols = Member(spec, "tolerations"); tols && tols->IsArray()) {
    for (size_t i = 0; i < tols->Size(); ++i) {
      const std::string tp = Index(path + ".tolerations", i);
      CheckEnum((*tols)[i], "operator", tp, {"Equal", "Exists"}, causes);
      const Json* effect = Member((*tols)[i], "effect");
      if (effect && !Str(effect).empty()) {
        CheckEnum((*tols)[i], "effect", tp,
                  {"NoExecute", "NoSchedule", "PreferNoSchedule"}, causes);
      }
    }
  }
  if (const Json* sel = Member(spec, "nodeSelector")) {
    ValidateLabels(*sel, path + ".nodeSelector", causes);
  }
}

std::optional<std::string> PodSpecMergeKey(std::string_view list_path,
                                           std::string_view spec_path) {
  if (list_path.size() <= spec_path.size() + 1 ||
      list_path.substr(0, spec_path.size()) != spec_path ||
      list_path[spec_path.size()] != '.') {
    return std::nullopt;
  }
  std::string_view rel = list_path.substr(spec_path.size() + 1);
  static const std::map<std::string_view, std::string> kSpecKeys = {
      {"containers", "name"},
      {"initContainers", "name"},
      {"ephemeralContainers", "name"},
      {"volumes", "name"},
      {"imagePullSecrets", "name"},
      {"hostAliases", "ip"},
      {"readinessGates", "conditionType"}};
  if (auto it = kSpecKeys.find(rel); it != kSpecKeys.end()) return it->second;
  size_t dot = rel.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  std::string_view owner = rel.substr(0, dot);
  if (owner != "containers" && owner != "initContainers" &&
      owner != "ephemeralContainers") {
    return std::nullopt;
  }
  static const std::map<std::string_view, std::string> kContainerKeys = {
      {"ports", "containerPort"},
      {"env", "name"},
      {"volumeMounts", "mountPath"},
      {"volumeDevices", "devicePath"}};
  if (auto it = kContainerKeys.find(rel.substr(dot + 1));
      it != kContainerKeys.end()) {
    return it->second;
  }
  return std::nullopt;
}

}  // namespace berth::core
