#include "service_account_admission.h"

#include <random>
#include <thread>
#include <utility>

#include "berth/json.h"

namespace berth::core {
namespace {

constexpr char kDefaultAccount[] = "default";
constexpr char kVolumePrefix[] = "kube-api-access-";
constexpr char kMirrorAnnotation[] = "kubernetes.io/config.mirror";
// kube-apiserver's WarnOnlyBoundTokenExpirationSeconds.
constexpr int kTokenSeconds = 3607;
constexpr int kProjectedDefaultMode = 0644;

// names.SimpleNameGenerator's alphabet and length: no vowels, no
// look-alike digits.
std::string RandomSuffix() {
  static constexpr char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";
  thread_local std::mt19937 rng{std::random_device{}()};
  std::uniform_int_distribution<size_t> pick(0, sizeof(kAlphabet) - 2);
  std::string out;
  for (int i = 0; i < 5; ++i) out += kAlphabet[pick(rng)];
  return out;
}

Json Str(const std::string& s, JsonAlloc& a) {
  return Json(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
}

// The kube-api-access volume, as the apiserver's plugin builds it.
Json ApiAccessVolume(const std::string& name, JsonAlloc& a) {
  Json token(rapidjson::kObjectType);
  token.AddMember("expirationSeconds", kTokenSeconds, a);
  token.AddMember("path", "token", a);
  Json token_source(rapidjson::kObjectType);
  token_source.AddMember("serviceAccountToken", token, a);

  Json item(rapidjson::kObjectType);
  item.AddMember("key", "ca.crt", a);
  item.AddMember("path", "ca.crt", a);
  Json items(rapidjson::kArrayType);
  items.PushBack(item, a);
  Json config_map(rapidjson::kObjectType);
  config_map.AddMember("items", items, a);
  config_map.AddMember("name", "kube-root-ca.crt", a);
  Json ca_source(rapidjson::kObjectType);
  ca_source.AddMember("configMap", config_map, a);

  Json field_ref(rapidjson::kObjectType);
  field_ref.AddMember("apiVersion", "v1", a);
  field_ref.AddMember("fieldPath", "metadata.namespace", a);
  Json ns_item(rapidjson::kObjectType);
  ns_item.AddMember("fieldRef", field_ref, a);
  ns_item.AddMember("path", "namespace", a);
  Json ns_items(rapidjson::kArrayType);
  ns_items.PushBack(ns_item, a);
  Json downward(rapidjson::kObjectType);
  downward.AddMember("items", ns_items, a);
  Json ns_source(rapidjson::kObjectType);
  ns_source.AddMember("downwardAPI", downward, a);

  Json sources(rapidjson::kArrayType);
  sources.PushBack(token_source, a);
  sources.PushBack(ca_source, a);
  sources.PushBack(ns_source, a);
  Json projected(rapidjson::kObjectType);
  projected.AddMember("defaultMode", kProjectedDefaultMode, a);
  projected.AddMember("sources", sources, a);
  Json volume(rapidjson::kObjectType);
  volume.AddMember("name", Str(name, a), a);
  volume.AddMember("projected", projected, a);
  return volume;
}

// Whether a token is mounted: the pod's own setting, else its
// ServiceAccount's, else yes.
bool ShouldAutomount(const Json& account, const Json& spec) {
  if (const Json* v = Member(spec, "automountServiceAccountToken");
      v && v->IsBool()) {
    return v->GetBool();
  }
  if (const Json* v = Member(account, "automountServiceAccountToken");
      v && v->IsBool()) {
    return v->GetBool();
  }
  return true;
}

// Mounts the kube-api-access volume in every container and init container
// that has nothing at the mount path, adding the volume when one of them
// needs it and the pod has none yet.
void MountApiAccess(Json& spec, JsonAlloc& a) {
  std::string volume_name;
  bool has_volume = false;
  if (Json* volumes = Member(spec, "volumes"); volumes && volumes->IsArray()) {
    for (const auto& v : volumes->GetArray()) {
      const std::string name = GetString(v, {"name"});
      if (name.rfind(kVolumePrefix, 0) == 0) {
        volume_name = name;
        has_volume = true;
        break;
      }
    }
  }
  if (volume_name.empty()) volume_name = kVolumePrefix + RandomSuffix();
  bool needs_volume = false;
  for (const char* list : {"initContainers", "containers"}) {
    Json* containers = Member(spec, list);
    if (!containers || !containers->IsArray()) continue;
    for (auto& c : containers->GetArray()) {
      if (!c.IsObject()) continue;
      bool mounted = false;
      if (const Json* mounts = Member(c, "volumeMounts");
          mounts && mounts->IsArray()) {
        for (const auto& m : mounts->GetArray()) {
          mounted |= GetString(m, {"mountPath"}) == kServiceAccountMountPath;
        }
      }
      if (mounted) continue;
      Json mount(rapidjson::kObjectType);
      mount.AddMember("mountPath", kServiceAccountMountPath, a);
      mount.AddMember("name", Str(volume_name, a), a);
      mount.AddMember("readOnly", true, a);
      Json* mounts = Member(c, "volumeMounts");
      if (!mounts || !mounts->IsArray()) {
        SetMember(c, "volumeMounts", Json(rapidjson::kArrayType), a);
        mounts = Member(c, "volumeMounts");
      }
      mounts->PushBack(mount, a);
      needs_volume = true;
    }
  }
  if (has_volume || !needs_volume) return;
  Json* volumes = Member(spec, "volumes");
  if (!volumes || !volumes->IsArray()) {
    SetMember(spec, "volumes", Json(rapidjson::kArrayType), a);
    volumes = Member(spec, "volumes");
  }
  volumes->PushBack(ApiAccessVolume(volume_name, a), a);
}

}  // namespace

ServiceAccountAdmission::ServiceAccountAdmission(Client* client, Sleep sleep)
    : client_(client), sleep_(std::move(sleep)) {
  if (!sleep_) {
    sleep_ = [](std::chrono::milliseconds d) {
      std::this_thread::sleep_for(d);
    };
  }
}

StatusOr<std::string> ServiceAccountAdmission::Lookup(
    const std::string& ns, const std::string& name) const {
  // The default ServiceAccount is made by a controller just after its
  // namespace; Kubernetes asks ten times, 100-200 ms apart, before giving
  // up on it.
  const int attempts = name == kDefaultAccount ? 10 : 1;
  thread_local std::mt19937 rng{std::random_device{}()};
  const std::chrono::milliseconds interval(
      std::uniform_int_distribution<int>(100, 199)(rng));
  for (int i = 0; i < attempts; ++i) {
    if (i != 0) sleep_(interval);
    auto got = client_->Get({"", "v1", "serviceaccounts"}, ns, name);
    if (got.ok() || !got.status().IsNotFound()) return got;
  }
  return Status::NotFound("serviceaccount \"" + name + "\" not found");
}

Status ServiceAccountAdmission::Admit(const AdmissionRequest& req, Json& obj,
                                      JsonAlloc& alloc) {
  if (req.operation != AdmissionRequest::Operation::kCreate ||
      !req.resource.group.empty() || req.resource.resource != "pods" ||
      !req.subresource.empty()) {
    return {};
  }
  if (Find(obj, {"metadata", "annotations", kMirrorAnnotation})) return {};
  Json& spec = EnsureObject(obj, "spec", alloc);
  std::string account = GetString(spec, {"serviceAccountName"});
  if (account.empty()) {
    account = kDefaultAccount;
    SetString(spec, "serviceAccountName", account, alloc);
  }
  // The deprecated alias, as the apiserver's conversion writes it.
  SetString(spec, "serviceAccount", account, alloc);
  auto found = Lookup(req.ns, account);
  if (!found.ok()) {
    if (!found.status().IsNotFound()) return found.status();
    return Status::Forbidden("pods \"" + req.name +
                             "\" is forbidden: error looking up service "
                             "account " +
                             req.ns + "/" + account + ": " +
                             found.status().message());
  }
  auto parsed = ParseJson(*found);
  if (!parsed.ok()) return parsed.status();
  const JsonDoc& sa = *parsed;
  if (ShouldAutomount(sa, spec)) MountApiAccess(spec, alloc);
  const Json* pull = Member(spec, "imagePullSecrets");
  const Json* sa_pull = Member(sa, "imagePullSecrets");
  if ((!pull || !pull->IsArray() || pull->Empty()) && sa_pull &&
      sa_pull->IsArray() && !sa_pull->Empty()) {
    Json copy;
    copy.CopyFrom(*sa_pull, alloc);
    SetMember(spec, "imagePullSecrets", std::move(copy), alloc);
  }
  return {};
}

}  // namespace berth::core
